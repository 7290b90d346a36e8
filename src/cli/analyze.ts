// `detente analyze MODEL|-`: the mediator's bench on a model file (JSON or YAML,
// docs/spec/analytics.md); `--from ktab FILE` reads a KTAB SMP scenario (CSV) instead, and
// `--from genius PROFILE_A PROFILE_B` two GENIUS utility spaces over one domain.
// Exit 0 with the analysis as JSON on stdout; 2 when the model is unusable, with every
// bad field named by its path on stderr.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { analyze } from '../analyze/analyze.ts';
import { GeniusError, geniusFrontier, parseUtilitySpace } from '../analyze/genius.ts';
import { KtabError, ktabStakeholders } from '../analyze/ktab.ts';
import { formatProblem, ModelError, parseModel } from '../analyze/model.ts';
import { parseArgs, UsageError } from './args.ts';

const FORMATS = ['model', 'ktab', 'genius'] as const;
type Format = (typeof FORMATS)[number];

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** The whole command on texts already read (two for genius, else one): what it prints and its exit code. */
export function analyzeText(text: string | string[], name: string, format: Format = 'model'): Outcome {
  const refuse = (lines: string[]): Outcome => ({ code: 2, stdout: '', stderr: lines.map((l) => `${name}: ${l}\n`).join('') });
  const texts = Array.isArray(text) ? text : [text];
  let data: unknown;
  if (format === 'genius') {
    try {
      data = { frontier: geniusFrontier(parseUtilitySpace(texts[0], 'profile A'), parseUtilitySpace(texts[1] ?? '', 'profile B')) };
    } catch (e) {
      if (e instanceof GeniusError) return refuse([e.message]);
      throw e;
    }
  } else if (format === 'ktab') {
    try {
      data = { stakeholders: ktabStakeholders(texts[0]) };
    } catch (e) {
      if (e instanceof KtabError) return refuse([e.message]);
      throw e;
    }
  } else {
    try {
      // YAML is a superset of JSON, so one parser reads both.
      data = parseYaml(texts[0]);
    } catch (e) {
      return refuse([`not JSON or YAML: ${(e as Error).message.split('\n')[0]}`]);
    }
  }
  try {
    const result = analyze(parseModel(data));
    return { code: 0, stdout: JSON.stringify(result, null, 2) + '\n', stderr: '' };
  } catch (e) {
    if (e instanceof ModelError) return refuse(e.problems.map(formatProblem));
    throw e;
  }
}

export async function run(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { values: { from: 'model' } });
  const format = a.values.from as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--from: expected one of ${FORMATS.join(', ')}`);
  if (a.positional.length !== (format === 'genius' ? 2 : 1)) {
    throw new UsageError('usage: detente analyze MODEL|- | --from ktab FILE | --from genius PROFILE_A PROFILE_B');
  }
  const texts: string[] = [];
  for (const file of a.positional) {
    try {
      texts.push(readFileSync(file === '-' ? 0 : file, 'utf8'));
    } catch (e) {
      process.stderr.write(`detente analyze: cannot read ${file}: ${(e as Error).message}\n`);
      return 2;
    }
  }
  const out = analyzeText(texts, a.positional.map((f) => (f === '-' ? '(stdin)' : f)).join(' + '), format);
  process.stdout.write(out.stdout);
  process.stderr.write(out.stderr);
  return out.code;
}
