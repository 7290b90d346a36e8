// The mediator's bench on a server (docs/analytics.md "The bench in the server and the
// UI"): one model per arrangement, kept beside the record but never in it, since it
// holds each party's reservation value, which no party may ever learn. It is the
// mediator's working paper: replaced whole by each PUT, in DIR/record/<id>/bench.json
// (written atomically) when the server has a data directory, in memory otherwise.
// The analysis is `detente analyze`'s, computed from the same model by the same code.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { type Analysis, analyze } from '../../analyze/analyze.ts';
import { issueIds } from '../../analyze/forecast.ts';
import { formatProblem, type Model, ModelError, type ModelProblem, parseModel } from '../../analyze/model.ts';
import { writeFileAtomic } from '../../store/atomic-file.ts';
import { logDir } from '../../store/layout.ts';
import type { Deployment } from '../deployment.ts';
import { BadRequest } from '../errors.ts';
import { BENCH_LIMITS } from '../schemas.ts';

export const BENCH_FILE = 'bench.json';

/** What GET …/talks/bench answers: the model as the mediator gave it, and its analysis (null, null before any). */
export interface BenchView {
  model: unknown;
  analysis: Analysis | null;
}

/** A model file or stored bench that cannot be used: every problem, as `SOURCE: PATH: reason` lines. */
export class BenchFileError extends Error {}

/** Checks a model as `detente analyze` does; its analysis, or ModelError naming every bad field. */
function checked(raw: unknown): { model: Model; analysis: Analysis } {
  const model = parseModel(raw);
  return { model, analysis: analyze(model) };
}

/** Where a valid model asks more of the server than one request may (BENCH_LIMITS). */
function overLimits(m: Model): ModelProblem[] {
  const out: ModelProblem[] = [];
  const L = BENCH_LIMITS;
  if (m.stakeholders && m.stakeholders.length > L.stakeholders)
    out.push({ path: 'stakeholders', reason: `at most ${L.stakeholders} stakeholders on a server` });
  if (m.stakeholders && issueIds(m.stakeholders).length > L.forecastIssues)
    out.push({ path: 'stakeholders', reason: `at most ${L.forecastIssues} issues to forecast on a server` });
  const f = m.frontier;
  if (f && 'points' in f && f.points.length > L.frontierPoints) out.push({ path: 'frontier.points', reason: `at most ${L.frontierPoints} points on a server` });
  if (f && 'curve' in f && f.curve.length > L.curveChars) out.push({ path: 'frontier.curve', reason: `at most ${L.curveChars} characters on a server` });
  return out;
}

export class BenchStore {
  private raw: unknown = null;
  private analysis: Analysis | null = null;

  /** `dir`: where bench.json lives (the arrangement's record directory); none keeps the bench in memory. */
  constructor(private readonly dir?: string) {
    const file = this.file();
    if (file === undefined || !existsSync(file)) return;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new BenchFileError(`${file}: not JSON: ${(e as Error).message}`);
    }
    this.set(raw, file);
  }

  private file(): string | undefined {
    return this.dir === undefined ? undefined : join(this.dir, BENCH_FILE);
  }

  private set(raw: unknown, source: string): void {
    try {
      this.analysis = checked(raw).analysis;
    } catch (e) {
      if (!(e instanceof ModelError)) throw e;
      throw new BenchFileError(e.problems.map((p) => `${source}: ${formatProblem(p)}`).join('\n'));
    }
    this.raw = raw;
  }

  view(): BenchView {
    return { model: this.raw, analysis: this.analysis };
  }

  /** Replaces the model: a bad one (or one past BENCH_LIMITS) is a 400 naming each bad field's path, and changes nothing. */
  put(raw: unknown): BenchView {
    let analysis: Analysis;
    try {
      const model = parseModel(raw);
      const over = overLimits(model);
      if (over.length) throw new ModelError(over);
      analysis = analyze(model);
    } catch (e) {
      if (!(e instanceof ModelError)) throw e;
      const issues = e.problems.map((p) => ({ path: p.path, message: p.reason }));
      throw new BadRequest(formatProblem(e.problems[0]), issues);
    }
    this.save(raw);
    this.raw = raw;
    this.analysis = analysis;
    return this.view();
  }

  private save(raw: unknown): void {
    const file = this.file();
    if (file === undefined) return;
    mkdirSync(this.dir!, { recursive: true });
    writeFileAtomic(file, JSON.stringify(raw, null, 2) + '\n');
  }
}

/** Reads a model file (JSON or YAML) as `detente analyze` does; BenchFileError with `FILE: PATH: reason` lines when unusable. */
export function readModelFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new BenchFileError(`${path}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new BenchFileError(`${path}: not JSON or YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  try {
    checked(raw);
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    throw new BenchFileError(e.problems.map((p) => `${path}: ${formatProblem(p)}`).join('\n'));
  }
  return raw;
}

// One bench per deployment, held beside it rather than in it: the deployment composes
// the record, and the bench must stay out of everything the record feeds.
const benches = new WeakMap<Deployment, BenchStore>();

export interface BenchOptions {
  /** the data directory; without it the bench lives in memory */
  dataDir?: string;
  /** a model to start with (already read with readModelFile); it replaces a stored one */
  initial?: unknown;
}

/** Sets up a deployment's bench at start: the stored one under the data directory, or `initial`. Throws BenchFileError for a bad stored bench. */
export function attachBench(d: Deployment, o: BenchOptions = {}): BenchStore {
  const store = new BenchStore(o.dataDir === undefined ? undefined : logDir(o.dataDir, d.id));
  if (o.initial !== undefined) store.put(o.initial);
  benches.set(d, store);
  return store;
}

/** The deployment's bench; one in memory when none was attached (a server built without start, as in tests). */
export function benchOf(d: Deployment): BenchStore {
  let b = benches.get(d);
  if (!b) benches.set(d, (b = new BenchStore()));
  return b;
}
