// Differential test: the real engine (src/monitor/check-document.ts) against the plain
// reference in test/reference, on ~200 random arrangements and report streams, plus
// the hand-worked cases of test/reference/hand-cases.ts.
//
// Transitions are compared one by one, in order, every field exactly except cpa_s,
// cpa_km, cpa_m and lead_s (0.5%, with small absolute floors: see reference/compare.ts).
// On a failure the case is shrunk by fast-check, then further by deleting reports and
// rules while it still fails, and printed as JSON ({ arrangement, reports, until }) to
// paste into a fixture; the seed and shrink path are printed too, and so is a tally,
// over every failing case of the run, of what differs (grouped by cause), so that one
// frequent disagreement does not hide the others.
//
// Environment: DETENTE_FC_RUNS (default 200); DETENTE_FC_SEED and DETENTE_FC_PATH (to
// replay a failure).
// Until the engine's module exists the test is skipped, saying so; once the file exists
// any error loading it fails the test.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { differenceLabels, diffTransitions } from './reference/compare.ts';
import { caseArbitrary, toNdjson, type GeneratedCase } from './reference/generate.ts';
import { handCases } from './reference/hand-cases.ts';
import { referenceAmbiguities, referenceCheck } from './reference/monitor.ts';

type CheckDocument = (doc: unknown, ndjson: string, opts: { until: string }) => object[] | Promise<object[]>;

const enginePath = new URL('../src/monitor/check-document.ts', import.meta.url);
const missing = existsSync(enginePath) ? false : 'src/monitor/check-document.ts does not exist yet';
// Loaded only when present, so that the rest of `npm test -- reference` runs meanwhile.
const checkDocument: CheckDocument | undefined = missing ? undefined : ((await import('../src/monitor/check-document.ts')).checkDocument as CheckDocument);

/** The engine's transitions as NDJSON would carry them (no undefined fields, plain objects). */
async function engine(doc: unknown, reports: readonly object[], until: string): Promise<object[]> {
  const out = await (checkDocument as CheckDocument)(structuredClone(doc), toNdjson(reports), { until });
  return JSON.parse(JSON.stringify(out)) as object[];
}

/** The case as JSON for a fixture: the arrangement indented, coordinate lists and reports on one line each. */
function printable(c: GeneratedCase): string {
  let arrangement = JSON.stringify(c.arrangement, null, 2);
  // Collapse innermost arrays of numbers, repeatedly, so rings read as one line.
  for (let before = ''; before !== arrangement; ) {
    before = arrangement;
    arrangement = arrangement.replace(
      /\[\s*((?:-?[\d.e+-]+|\[[^[\]]*\])(?:,\s*(?:-?[\d.e+-]+|\[[^[\]]*\]))*)\s*\]/g,
      (_, inner: string) => `[${inner.replace(/\s+/g, '')}]`,
    );
  }
  const reports = c.reports.map((r) => `    ${JSON.stringify(r)}`).join(',\n');
  return `{\n  "arrangement": ${arrangement.replace(/\n/g, '\n  ')},\n  "reports": [\n${reports}\n  ],\n  "until": ${JSON.stringify(c.until)}\n}`;
}

/** Why the engine disagrees with the reference on this case, or null when it agrees. */
async function disagreement(c: GeneratedCase): Promise<string | null> {
  const expected = referenceCheck(c.arrangement, c.reports, Date.parse(c.until));
  let actual: object[];
  try {
    actual = await engine(c.arrangement, c.reports, c.until);
  } catch (e) {
    return `the engine threw: ${(e as Error).stack ?? String(e)}`;
  }
  return diffTransitions(expected, actual);
}

/**
 * Greedy delta debugging past fast-check's shrinking: drop chunks of reports (with the
 * acks of a dropped notification, which would otherwise be dangling), then rules not
 * named by another rule's `after`, keeping each cut while the case stays fair and
 * still fails. Bounded, so a slow engine cannot stall the report.
 */
async function minimise(c: GeneratedCase): Promise<GeneratedCase> {
  let current = c;
  let budget = 1500;
  const stillFails = async (candidate: GeneratedCase): Promise<boolean> => {
    if (budget-- <= 0) return false;
    if (referenceAmbiguities(candidate.arrangement, candidate.reports, Date.parse(candidate.until)).length > 0) return false;
    return (await disagreement(candidate)) !== null;
  };
  for (let size = Math.ceil(current.reports.length / 2); size >= 1; size = Math.floor(size / 2)) {
    for (let i = 0; i < current.reports.length; ) {
      const cut = current.reports.slice(i, i + size);
      const gone = new Set(cut.filter((r) => r.type === 'notification').map((r) => r.id));
      const reports = current.reports.filter((r, j) => (j < i || j >= i + size) && !(r.type === 'ack' && gone.has(r.notification as string)));
      const candidate = { ...current, reports };
      if (reports.length > 0 && (await stillFails(candidate))) current = candidate;
      else i += size;
    }
  }
  for (let i = 0; i < current.arrangement.rules.length; ) {
    const rule = current.arrangement.rules[i];
    const needed = current.arrangement.rules.some((r) => r.kind === 'commitment' && r.after === rule.id);
    const rules = current.arrangement.rules.filter((_, j) => j !== i);
    const candidate = { ...current, arrangement: { ...current.arrangement, rules } };
    if (!needed && rules.length > 0 && (await stillFails(candidate))) current = candidate;
    else i++;
  }
  return current;
}

describe('engine vs reference', { skip: missing }, () => {
  for (const h of handCases) {
    test(`hand-worked: ${h.name}`, async () => {
      const { arrangement, reports, until, expected } = h.build();
      const diff = diffTransitions(expected, await engine(arrangement, reports, until));
      assert.equal(diff, null, `${diff}\ncase:\n${JSON.stringify({ arrangement, reports, until }, null, 2)}`);
    });
  }

  test('random arrangements and streams: the same transitions as the reference', async () => {
    const runs = Number(process.env.DETENTE_FC_RUNS ?? 200);
    const seed = process.env.DETENTE_FC_SEED === undefined ? Date.now() ^ (Math.random() * 0x100000000) : Number(process.env.DETENTE_FC_SEED);
    const path = process.env.DETENTE_FC_PATH;
    const result = await fc.check(
      fc.asyncProperty(caseArbitrary, async (c) => {
        const diff = await disagreement(c);
        if (diff !== null) throw new Error(diff);
      }),
      { numRuns: runs, seed, ...(path === undefined ? {} : { path }) },
    );
    if (!result.failed) return;
    const shrunk = result.counterexample?.[0];
    if (!shrunk) assert.fail(`property failed without a counterexample (seed ${result.seed}): ${String(result.errorInstance)}`);
    const minimal = await minimise(shrunk);
    const diff = (await disagreement(minimal)) ?? (await disagreement(shrunk));
    // The same cases again, unshrunk, to count every kind of disagreement in this run.
    const tally = new Map<string, number>();
    let failing = 0;
    for (const c of fc.sample(caseArbitrary, { seed: result.seed, numRuns: runs })) {
      let labels: string[];
      try {
        labels = differenceLabels(referenceCheck(c.arrangement, c.reports, Date.parse(c.until)), await engine(c.arrangement, c.reports, c.until));
      } catch (e) {
        labels = [`the engine threw: ${String(e).split('\n')[0]}`];
      }
      if (labels.length > 0) failing++;
      for (const l of labels) tally.set(l, (tally.get(l) ?? 0) + 1);
    }
    const grouped = [...tally].sort((a, b) => b[1] - a[1]).map(([label, n]) => `  ${String(n).padStart(4)}  ${label}`);
    console.error(
      [
        '',
        `engine and reference disagree. Replay: DETENTE_FC_SEED=${result.seed} DETENTE_FC_PATH=${result.counterexamplePath}`,
        `${failing} of ${runs} cases fail; cases showing each difference (field differences, then the first misaligned transition):`,
        ...grouped,
        '',
        diff,
        '',
        `minimal case (${minimal.reports.length} reports, ${minimal.arrangement.rules.length} rules):`,
        printable(minimal),
        '',
      ].join('\n'),
    );
    assert.fail(`engine and reference disagree; minimal case printed above (seed ${result.seed}).\n${diff}`);
  });
});
