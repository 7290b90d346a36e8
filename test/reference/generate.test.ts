// The generator is only useful if its cases are well-formed and reach every kind of
// finding; a generator that never produced, say, a late notice would let the
// differential test pass while testing nothing there. Fixed seed: deterministic.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { caseArbitrary } from './generate.ts';
import { referenceCheck } from './monitor.ts';

const samples = fc.sample(caseArbitrary, { numRuns: 80, seed: 20251227 });

test('generated cases are well-formed: 20–200 reports, unique ids, valid times and positions, known references', () => {
  for (const c of samples) {
    const { arrangement: doc, reports } = c;
    assert.ok(reports.length >= 20 && reports.length <= 200, `${reports.length} reports`);
    assert.equal(new Set(reports.map((r) => r.id)).size, reports.length, 'report ids are unique');
    for (const r of reports) {
      assert.match(r.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/);
      if (r.position) {
        assert.ok(Math.abs(r.position[0]) <= 180 && Math.abs(r.position[1]) <= 90);
      }
    }
    assert.ok(!Number.isNaN(Date.parse(c.until)));
    const ids = (list: { id: string }[]): Set<string> => new Set(list.map((x) => x.id));
    const zones = ids(doc.zones);
    const actors = ids(doc.actors);
    for (const x of [doc.actors, doc.zones, doc.rules, doc.assets, doc.lines ?? []]) {
      assert.equal(ids(x).size, x.length, 'ids unique within their list');
      for (const { id } of x) assert.match(id, /^[a-z0-9][a-z0-9-]*$/);
    }
    for (const z of doc.zones) for (const m of z.minus ?? []) assert.ok(zones.has(m));
    for (const r of doc.rules) {
      if ('zone' in r) assert.ok(zones.has(r.zone), `${r.id}.zone`);
      if ('actor' in r) assert.ok(actors.has(r.actor), `${r.id}.actor`);
      if (r.kind === 'inspection') {
        assert.equal(doc.actors.find((a) => a.id === r.actor)?.role, 'observer', 'inspection rules belong to observers');
      }
    }
  }
});

test('generated streams mix the situations the brief asks for', () => {
  let outOfOrder = 0;
  let withdrawn = 0;
  let onVertex = 0;
  let ties = 0;
  for (const c of samples) {
    const vertices = new Set<string>();
    for (const z of c.arrangement.zones) {
      const g = z.geometry;
      if (!g) continue;
      const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
      for (const ring of polys.flat()) for (const p of ring) vertices.add(`${p[0]},${p[1]}`);
    }
    let clock = -Infinity;
    let previous = NaN;
    for (const r of c.reports) {
      const t = Date.parse(r.time);
      if (t < clock) outOfOrder++;
      if (t === previous) ties++;
      clock = Math.max(clock, t);
      previous = t;
      if (r.status === 'withdrawn') withdrawn++;
      if (r.position && vertices.has(`${r.position[0]},${r.position[1]}`)) onVertex++;
    }
  }
  assert.ok(outOfOrder > 20, `out-of-order reports: ${outOfOrder}`);
  assert.ok(withdrawn > 20, `withdrawals: ${withdrawn}`);
  assert.ok(onVertex > 20, `positions exactly on a vertex: ${onVertex}`);
  assert.ok(ties > 20, `reports at the same time as the previous one: ${ties}`);
});

test('generated cases reach every finding and state', () => {
  const seen = new Map<string, number>();
  for (const c of samples) {
    for (const t of referenceCheck(c.arrangement, c.reports, Date.parse(c.until)) as { finding: string; state: string }[]) {
      const k = `${t.finding}/${t.state}`;
      seen.set(k, (seen.get(k) ?? 0) + 1);
    }
  }
  const wanted = [
    'violation/open',
    'violation/closed',
    'unnotified/open',
    'unnotified/closed',
    'late-notice/open',
    'late-notice/closed',
    'unacknowledged/open',
    'unacknowledged/closed',
    'separation/open',
    'separation/closed',
    'loss/open',
    'loss/closed',
    'commitment/due',
    'commitment/fulfilled',
    'commitment/overdue',
    'inspection-overdue/open',
    'inspection-overdue/closed',
  ];
  for (const k of wanted) assert.ok((seen.get(k) ?? 0) >= 3, `${k} seen ${seen.get(k) ?? 0} times in ${samples.length} cases`);
});
