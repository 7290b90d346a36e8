// Reads a KTAB spatial-model-of-politics scenario in its CSV form (KAPSARC's KTAB,
// examples/smp/doc/*.csv) as bench stakeholders. The layout, as KTAB's smpc reads it:
//   line 1: scenario name, description, number of actors, number of dimensions
//   line 2: headers: Actor, Description, Power (or Influence), then a position and a
//           salience column per dimension
//   then one line per actor.
// KTAB's saliences are on 0–100; the bench's on 0–1, so they are divided by 100.
// Positions are on KTAB's 0–100 scale already.
import type { Stakeholder } from './model.ts';

export class KtabError extends Error {}

const cells = (line: string) => line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));

/** An issue id from a position header: "Policy Position" → policy, "Pstn1" → dim1. */
function issueId(header: string, k: number): string {
  const words = header
    .toLowerCase()
    .replace(/\b(position|pstn\d*)\b/g, '')
    .trim()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return words || `dim${k + 1}`;
}

export function ktabStakeholders(text: string): Stakeholder[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 3) throw new KtabError('expected a scenario line, a header line and at least one actor');
  const head = cells(lines[0]).filter((c) => c !== '');
  const nums = head.slice(-2).map(Number);
  const [nActors, nDims] = nums;
  if (head.length < 2 || !Number.isInteger(nActors) || !Number.isInteger(nDims) || nActors < 1 || nDims < 1) {
    throw new KtabError('line 1: expected "name, description, actors, dimensions"');
  }
  const header = cells(lines[1]);
  const issues = Array.from({ length: nDims }, (_, k) => issueId(header[3 + 2 * k] ?? '', k));
  if (new Set(issues).size !== issues.length) issues.forEach((_, k) => (issues[k] = `dim${k + 1}`));
  const rows = lines.slice(2);
  if (rows.length !== nActors) throw new KtabError(`line 1 says ${nActors} actors, the file has ${rows.length}`);
  return rows.map((line, r) => {
    const c = cells(line);
    const at = (i: number, what: string) => {
      const v = Number(c[i]);
      if (c[i] === undefined || c[i] === '' || !Number.isFinite(v)) throw new KtabError(`line ${r + 3}: ${what}: expected a number, found "${c[i] ?? ''}"`);
      return v;
    };
    const position: Record<string, number> = {};
    const salience: Record<string, number> = {};
    issues.forEach((id, k) => {
      position[id] = at(3 + 2 * k, `${id} position`);
      salience[id] = at(4 + 2 * k, `${id} salience`) / 100;
    });
    return { id: c[0], position, salience, capability: at(2, 'power') };
  });
}
