// What the round tests share: the example's zones as the file gives them, a third
// withdrawal area a later round draws, and a draft agreed in full (each clause named and
// the draft's sections, by the hash the talks view shows) and approved.
import { loadArrangementSource } from '../../src/arrangement/load.ts';
import { BASE, EXAMPLE, json, type TestServer } from './server.ts';

export const EXAMPLE_ZONES = (loadArrangementSource(EXAMPLE).value as { zones: object[] }).zones;

export const WD3 = {
  id: 'il-wd-3',
  name: 'Withdrawal phase 3 (a later round)',
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [35.7, 33.2],
        [35.75, 33.2],
        [35.75, 33.25],
        [35.7, 33.25],
        [35.7, 33.2],
      ],
    ],
  },
};

/** Both parties accept the clauses named and the draft's sections (as the view's hash says); the guarantor approves. */
export async function agreeAndApprove(s: TestServer, version: number, clauses: string[]): Promise<void> {
  for (const party of ['il', 'sy'])
    for (const clause of clauses) await json(await s.as(party, 'POST', `${BASE}/talks/stances`, { draft: version, clause, stance: 'accept' }), 201);
  const hash = (await json(await s.as('il', 'GET', `${BASE}/talks`), 200)).drafts.at(-1).sections_hash;
  for (const party of ['il', 'sy'])
    await json(await s.as(party, 'POST', `${BASE}/talks/stances`, { draft: version, clause: 'sections', stance: 'accept', sections_hash: hash }), 201);
  await json(await s.as('us', 'POST', `${BASE}/talks/approval`, { draft: version }), 201);
}
