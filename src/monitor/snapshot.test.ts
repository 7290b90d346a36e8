// Snapshots: an engine restored from one (through JSON) goes on exactly as the
// engine it was taken from, on random arrangements and streams, with announcements
// (extend) and passing time (finish) among the reports.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { caseArbitrary } from '../../test/reference/generate.ts';
import { type Arrangement, compileArrangement } from '../arrangement/compile.ts';
import { IssueList } from '../arrangement/issues.ts';
import { validateDocument } from '../arrangement/validate.ts';
import { IdSet } from './id-set.ts';
import { Monitor } from './engine.ts';
import type { Finding } from './findings.ts';
import { parseReportByJson as parseReportLine, type Report } from './reports.ts';
import type { MonitorSnapshot } from './snapshot.ts';
import { testArrangement } from './testdoc.ts';

function compile(doc: object): Arrangement {
  const out = new IssueList('(test)');
  const checked = validateDocument(doc, out, () => ({ error: 'no files', name: '(none)' }));
  assert.ok(checked && out.issues.length === 0, JSON.stringify(out.issues));
  return compileArrangement(checked);
}

type Op = { k: 'push'; r: Report } | { k: 'extend'; at: number } | { k: 'finish'; until: number };

/** Everything a caller can see of an engine. */
function seen(m: Monitor): unknown {
  return { open: m.openNow(), posture: [...m.posture()], next: m.nextDeadline() ?? null, now: m.now };
}

const through = (s: MonitorSnapshot): MonitorSnapshot => JSON.parse(JSON.stringify(s)) as MonitorSnapshot;

test('restored from a snapshot (through JSON), an engine goes on exactly as the one it was taken from', () => {
  fc.assert(
    fc.property(caseArbitrary, fc.nat(), fc.nat(), fc.nat(), fc.nat(), (c, baseCut, extendAt, finishAt, snapAt) => {
      // The announced text: the rules after a cut, the ones before it in force from the start
      // (a commitment waiting on one outside them moves to the text with it).
      const rules = c.arrangement.rules;
      const cut = baseCut % (rules.length + 1);
      const base = rules.slice(0, cut);
      for (let again = true; again; ) {
        again = false;
        for (let i = base.length - 1; i >= 0; i--) {
          const after = (base[i] as { after?: string }).after;
          if (after !== undefined && !base.some((r) => r.id === after)) {
            base.splice(i, 1);
            again = true;
          }
        }
      }
      const baseIds = new Set(base.map((r) => r.id));
      const plain = compile({ ...c.arrangement, rules: base });
      const amended = compile({ ...c.arrangement, rules: [...base, ...rules.filter((r) => !baseIds.has(r.id))] });

      const reports = c.reports.map((r) => parseReportLine(JSON.stringify(r)));
      const ops: Op[] = reports.map((r) => ({ k: 'push', r }));
      const timeAt = (i: number) => Math.max(...reports.slice(0, Math.max(1, i)).map((r) => r.time));
      const e = extendAt % (ops.length + 1);
      ops.splice(e, 0, { k: 'extend', at: timeAt(e) + 60_000 });
      const f = finishAt % (ops.length + 1);
      ops.splice(f, 0, { k: 'finish', until: timeAt(f) + 30 * 60_000 });
      ops.push({ k: 'finish', until: Date.parse(c.until) });
      const s = snapAt % (ops.length + 1);

      const apply = (m: Monitor, op: Op): Finding[] => (op.k === 'push' ? m.push(op.r) : op.k === 'extend' ? m.extend(amended, op.at) : m.finish(op.until));
      const a = new Monitor(plain);
      const b = new Monitor(plain);
      for (const op of ops.slice(0, s)) assert.deepEqual(apply(b, op), apply(a, op));
      const snap = through(b.snapshot());
      const inForce = ops.slice(0, s).some((op) => op.k === 'extend') ? amended : plain;
      const r = Monitor.restore(inForce, snap);
      assert.deepEqual(seen(r), seen(a), 'as restored');
      for (const op of ops.slice(s)) assert.deepEqual(apply(r, op), apply(a, op), `at ${op.k}`);
      assert.deepEqual(seen(r), seen(a), 'at the end');
      for (const rep of reports) assert.equal(r.knows(rep.id), true, rep.id);
      const { ids: ia, ...sa } = a.snapshot();
      const { ids: ir, ...sr } = r.snapshot();
      assert.deepEqual(sr, sa);
      assert.deepEqual(new Set(IdSet.fromJSON(ir ?? []).values()), new Set(IdSet.fromJSON(ia ?? []).values()));
    }),
    { numRuns: Number(process.env.DETENTE_FC_RUNS ?? 60) },
  );
});

test('a snapshot refuses an arrangement with other rules, and carries no ids when they are kept elsewhere', () => {
  const rules = [{ id: 'p', kind: 'presence', zone: 'z1', forbid: ['b'] }];
  // Kept elsewhere (a store, say): anything with has and add.
  const held = new Set<string>();
  const ids = { has: (id: string) => held.has(id), add: (id: string) => !held.has(id) && held.add(id) !== undefined };
  const m = new Monitor(testArrangement(rules), { ids });
  m.push(parseReportLine('{"type":"observation","id":"o1","time":"2025-12-27T10:00:00Z","unit":"u","actor":"b","position":[35.85,33.05]}'));
  const snap = through(m.snapshot());
  assert.equal(snap.ids, undefined);
  assert.throws(
    () => Monitor.restore(testArrangement([...rules, { id: 'q', kind: 'presence', zone: 'z2', forbid: ['a'] }]), snap),
    /rules \[p\], not \[p, q\]/,
  );
  const r = Monitor.restore(testArrangement(rules), snap, { ids });
  assert.equal(r.knows('o1'), true);
  assert.deepEqual(
    r.openNow().map((f) => f.rule),
    ['p'],
  );
});

test('an engine keeping its ids itself carries them in its snapshot', () => {
  const m = new Monitor(testArrangement([]));
  m.push(parseReportLine('{"type":"observation","id":"o-17","time":"2025-12-27T10:00:00Z","unit":"u","actor":"b","position":[35.85,33.05]}'));
  m.push(parseReportLine('{"type":"ack","id":"x","time":"2025-12-27T10:00:00Z","actor":"a","notification":"n"}'));
  const r = Monitor.restore(testArrangement([]), through(m.snapshot()));
  assert.equal(r.knows('o-17'), true);
  assert.equal(r.knows('x'), true);
  assert.equal(r.knows('o-18'), false);
});
