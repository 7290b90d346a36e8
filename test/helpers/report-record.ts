// A data directory whose record holds the southern-Syria example's reports and the
// findings statements the server wrote over them: what `detente report` reads.
import { readFileSync } from 'node:fs';
import { filerOf } from '../../src/sim/feed.ts';
import { ACTORS, BASE, json, startTestServer } from './server.ts';

const REPORTS = new URL('../../examples/southern-syria/reports.ndjson', import.meta.url).pathname;

/** After the example's last report: every deadline of the story has passed. */
export const REPORT_NOW = Date.parse('2026-04-01T00:00:00Z');

/**
 * Fills `dir` (a fresh data directory) and stops the server. Returns what GET …/findings
 * listed to each actor (the server's need-to-know), to compare with what a report lists.
 */
export async function exampleRecord(dir: string): Promise<Map<string, Record<string, unknown>[]>> {
  const s = await startTestServer({ dir, now: () => REPORT_NOW, web: false });
  try {
    const reports = readFileSync(REPORTS, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const actors = new Set<string>(ACTORS);
    const poster = (r: Record<string, unknown>) => filerOf(r as Parameters<typeof filerOf>[0], actors);
    // Consecutive reports by the same poster go in one request, in the file's order.
    for (let i = 0; i < reports.length; ) {
      const by = poster(reports[i]);
      let j = i;
      while (j < reports.length && poster(reports[j]) === by) j++;
      await json(await s.as(by, 'POST', `${BASE}/reports`, reports.slice(i, j)), 202);
      i = j;
    }
    await s.deployment.recordFindings();
    const seen = new Map<string, Record<string, unknown>[]>();
    for (const a of ACTORS) {
      const res = await s.as(a, 'GET', `${BASE}/findings`);
      // An actor the policy lets read no findings is refused the route, which lists nothing to it.
      seen.set(a, res.statusCode === 403 ? [] : ((await json(res, 200)) as Record<string, unknown>[]));
    }
    return seen;
  } finally {
    await s.stop();
  }
}
