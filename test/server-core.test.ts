// The server's core: one statement path for live and replay, a record that grows by
// what happens (not by itself), and a record that runs only the arrangement it began with.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { withoutRules } from '../src/arrangement/amend.ts';
import { loadArrangementSource } from '../src/arrangement/load.ts';
import { parseTime } from '../src/arrangement/time.ts';
import { readSignerKeyFile } from '../src/record/key-file.ts';
import { generateKey, parseSignerKey, type Signer } from '../src/record/keys.ts';
import { signStatement } from '../src/record/statement.ts';
import { Deployment, DeploymentRefused } from '../src/server/deployment.ts';
import { demoTalks, NEGOTIATED_RULES } from '../src/sim/demo-talks.ts';
import { detente } from './helpers/record-bundle.ts';
import { EXAMPLE, exampleSource, observation } from './helpers/server.ts';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'detente-core-'));
}

/** Every view a restart must reproduce, for every actor, read from the deployment itself. */
function views(d: Deployment) {
  const out: Record<string, unknown> = {};
  for (const a of d.actors.values()) out[`${a.id} posture`] = d.posture(a);
  out.findings = [...d.book.after(0)];
  out.open = d.openFindings();
  out.talks = d.talks;
  out.arrangement = d.arrangementView();
  out.keys = d.keyBook.toJSON();
  return JSON.parse(JSON.stringify(out));
}

test('announced after a commitment fell due, an idle server adds a handful of entries, not one per tick', async () => {
  const dir = tempDir();
  const source = loadArrangementSource(EXAMPLE);
  const rulesById = new Map(((source.value as { rules?: { id: string }[] }).rules ?? []).map((r) => [r.id, r]));
  const negotiable = withoutRules(source, NEGOTIATED_RULES);
  let now = 0;
  const d = await Deployment.open({ dataDir: dir, source: negotiable, deployment: 'test', now: () => now, checkpointIntervalMs: 0 });
  try {
    now = Date.parse('2025-12-20T00:00:00Z');
    await d.postReports(d.actors.get('undof')!, observation('o-1', 'sy-1', 'sy', { troops: 10 }, '2025-12-20T00:00:00Z'));
    for (const s of demoTalks(rulesById)) {
      now = parseTime(s.at);
      await d.command(d.actors.get(s.actor)!, s.command as never);
    }
    // The text is announced; now time runs on, far past c-ru-deploy's fixed due date.
    now = Date.parse('2026-12-02T12:00:00Z');
    d.clockMoved();
    const before = d.log.size;
    await new Promise((r) => setTimeout(r, 1500));
    const added = d.log.size - before;
    assert.ok(added <= 5, `an idle server appended ${added} entries in 1.5 s`);
    const rules = new Set(d.openFindings().map((f) => `${f.rule} ${f.state}`));
    assert.ok(rules.has('c-ru-deploy overdue'), 'the commitment that fell due is overdue');
    const size = d.log.size;
    const seen = views(d);
    await d.close();
    // The same after a restart: nothing more is written, the state is the same.
    const e = await Deployment.open({ dataDir: dir, source: negotiable, deployment: 'test', now: () => now, checkpointIntervalMs: 0 });
    try {
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(e.log.size, size);
      assert.deepEqual(views(e), seen);
    } finally {
      await e.close();
    }
  } finally {
    await d.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a server refuses to start on an edited arrangement file, and says what changed', async () => {
  const work = tempDir();
  const exampleDir = join(work, 'example');
  cpSync(dirname(EXAMPLE), exampleDir, { recursive: true });
  const file = join(exampleDir, 'arrangement.yaml');
  const data = join(work, 'data');
  const open = () => Deployment.open({ dataDir: data, source: loadArrangementSource(file), deployment: 'test', checkpointIntervalMs: 0 });
  try {
    const d = await open();
    const size = d.log.size;
    await d.close();
    // The same file again: accepted, nothing written.
    const same = await open();
    assert.equal(same.log.size, size);
    await same.close();

    const text = readFileSync(file, 'utf8');
    const edited = text.replace('    max: 75\n', '    max: 80\n');
    assert.notEqual(edited, text, 'the example has a 75-tank limit to edit');
    writeFileSync(file, edited);
    await assert.rejects(open(), (e: Error) => {
      assert.ok(e instanceof DeploymentRefused, String(e));
      assert.match(e.message, /rules\[\d+\]\.max: 75 → 80/);
      return true;
    });
    // `detente serve` says so and exits 2, having written nothing.
    const cli = detente(['serve', '--arrangement', file, '--data', data, '--port', '0']);
    assert.equal(cli.code, 2, cli.stderr);
    assert.match(cli.stderr, /max: 75 → 80/);
    // A geometry file changed under the record is refused too.
    writeFileSync(file, text);
    const geo = readFileSync(join(exampleDir, 'zones.geojson'), 'utf8');
    writeFileSync(join(exampleDir, 'zones.geojson'), geo.replace('"properties": {', '"properties": { "edited": true,'));
    await assert.rejects(open(), /geometry file zones\.geojson: changed/);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

// Random sessions: reports (single and batched, some refused), talks commands (some
// refused), time passing. Whatever happened live, a restart on the record alone
// reaches the same state.
type Step =
  | { kind: 'report'; unit: number; actor: 'sy' | 'il' | 'tr'; troops: number; tanks: number; x: number; y: number; batch: number }
  | { kind: 'submit'; party: 'il' | 'sy'; confidential: boolean; position?: number }
  | { kind: 'relay'; to: 'il' | 'sy' }
  | { kind: 'issue' }
  | { kind: 'time'; hours: number }
  // key statements, and reports signed with what they made: an enrolled key, a rotated-away one
  | { kind: 'key'; actor: 'undof' | 'il'; action: 'enroll' | 'rotate' | 'signed' | 'stale' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('report' as const),
    unit: fc.nat(5),
    actor: fc.constantFrom('sy' as const, 'il' as const, 'tr' as const),
    troops: fc.nat(2000),
    tanks: fc.nat(120),
    x: fc.double({ min: 35.7, max: 36.2, noNaN: true }),
    y: fc.double({ min: 32.6, max: 33.4, noNaN: true }),
    batch: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({
    kind: fc.constant('submit' as const),
    party: fc.constantFrom('il' as const, 'sy' as const),
    confidential: fc.boolean(),
    position: fc.option(fc.nat(20), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('relay' as const), to: fc.constantFrom('il' as const, 'sy' as const) }),
  fc.record({ kind: fc.constant('issue' as const) }),
  fc.record({ kind: fc.constant('time' as const), hours: fc.integer({ min: 1, max: 24 * 40 }) }),
  fc.record({
    kind: fc.constant('key' as const),
    actor: fc.constantFrom('undof' as const, 'il' as const),
    action: fc.constantFrom('enroll' as const, 'rotate' as const, 'signed' as const, 'stale' as const),
  }),
);

test('property: the state a restart derives from the record equals the live state', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
      const dir = tempDir();
      let now = Date.parse('2025-12-20T08:00:00Z');
      let n = 0;
      const open = () => Deployment.open({ dataDir: dir, source: exampleSource(), deployment: 'test', now: () => now, checkpointIntervalMs: 0 });
      const d = await open();
      // Each actor's keys as the test holds them: the newest signs; a rotated-away one is kept to try.
      const keys = new Map(['undof', 'il'].map((a) => [a, [readSignerKeyFile(join(dir, 'keys', 'actors', `${a}.key`))]]));
      const stale = new Map<string, Signer>();
      try {
        for (const s of steps) {
          const t = new Date(now).toISOString();
          const ignore = (p: Promise<unknown>) => p.catch(() => undefined);
          if (s.kind === 'key') {
            const mine = keys.get(s.actor)!;
            const actor = d.actors.get(s.actor)!;
            const current = mine[mine.length - 1];
            if (s.action === 'enroll' || s.action === 'rotate') {
              const next = parseSignerKey(generateKey(s.actor).skey);
              const body = { action: s.action, key: next.verifier.vkey };
              const ok = await d.postSigned(actor, signStatement(current, { type: 'key', arrangement: 'southern-syria', body, time: t })).then(
                () => true,
                () => false,
              );
              if (ok && s.action === 'rotate') stale.set(s.actor, mine.pop()!);
              if (ok) mine.push(next);
            } else if (s.actor === 'undof') {
              const signer = s.action === 'stale' ? stale.get('undof') : current;
              const body = { reports: [observation(`r-${n++}`, 'sy-9', 'sy', { troops: 5 }, t)] };
              if (signer) await ignore(d.postSigned(actor, signStatement(signer, { type: 'reports', arrangement: 'southern-syria', body, time: t })));
            }
          } else if (s.kind === 'report') {
            const list = Array.from({ length: s.batch }, (_, k) =>
              observation(`r-${n++}`, `${s.actor}-${s.unit + k}`, s.actor, { troops: s.troops, tanks: s.tanks }, t, [s.x, s.y]),
            );
            await ignore(d.postReports(d.actors.get('undof')!, s.batch === 1 ? list[0] : list));
          } else if (s.kind === 'submit') {
            const issue = d.talks.issues[0]?.id;
            const body = {
              kind: 'submit',
              text: `position ${n++}`,
              confidential: s.confidential,
              ...(issue && s.position !== undefined ? { issue, position: s.position } : {}),
            };
            await ignore(d.command(d.actors.get(s.party)!, body as never));
          } else if (s.kind === 'relay') {
            await ignore(d.command(d.actors.get('ru')!, { kind: 'relay', to: s.to, text: `relay ${n++}` } as never));
          } else if (s.kind === 'issue') {
            await ignore(d.command(d.actors.get('ru')!, { kind: 'open-issue', id: `i-${n++}`, title: 'buffer width', numeric: { unit: 'km' } } as never));
          } else {
            now += s.hours * 3_600_000;
            d.clockMoved();
            await new Promise((r) => setTimeout(r, 5));
          }
        }
        // Let a clock statement on its way land before comparing, and the findings statement for what it found.
        await new Promise((r) => setTimeout(r, 20));
        await d.recordFindings();
        const live = views(d);
        const size = d.log.size;
        await d.close();
        // From the snapshot written on close…
        const e = await open();
        try {
          assert.equal(e.log.size, size);
          assert.equal(e.restoredFrom, size, 'restored from the snapshot');
          assert.deepEqual(views(e), live);
        } finally {
          await e.close();
        }
        // …and from nothing but the record.
        rmSync(join(dir, 'record', 'southern-syria', 'state.db'), { force: true });
        const f = await open();
        try {
          assert.equal(f.restoredFrom, 0, 'replayed from the start');
          assert.deepEqual(views(f), live);
        } finally {
          await f.close();
        }
      } finally {
        await d.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }),
    { numRuns: 12 },
  );
});

test("a finding names the report it rests on by its record address: the entry's index and the report's position in it", async () => {
  const dir = tempDir();
  const d = await Deployment.open({
    dataDir: dir,
    source: exampleSource(),
    deployment: 'test',
    now: () => Date.parse('2025-12-27T12:00:00Z'),
    checkpointIntervalMs: 0,
  });
  try {
    const t = '2025-12-27T10:00:00Z';
    // Three Syrian brigades in the 0–10 km area; the third takes the tanks over 75.
    const batch = [
      observation('a-1', 'sy-a', 'sy', { tanks: 30 }, t, [35.95, 33.05]),
      observation('a-2', 'sy-b', 'sy', { tanks: 30 }, t, [35.95, 33.05]),
      observation('a-3', 'sy-c', 'sy', { tanks: 30 }, t, [35.95, 33.05]),
    ];
    const { indexes } = await d.postReports(d.actors.get('undof')!, batch);
    const booked = [...d.book.after(0)].find((b) => b.finding.rule === 'r-sy-tanks-0-10');
    assert.ok(booked, 'the tank limit was broken');
    assert.deepEqual(booked.at, { entry: indexes[2], n: 2 });
    const entry = JSON.parse(Buffer.from(await d.log.entry(booked.at.entry)).toString('utf8'));
    // The report is sealed in the entry (undof's observations are not open to everyone): its opening names it.
    const opened = await d.openSealed(entry.statement.body.reports[booked.at.n!].sealed);
    assert.equal(JSON.parse(Buffer.from(opened!.content).toString('utf8')).id, booked.finding.report);
  } finally {
    await d.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a record altered on disk is refused on start, naming the entry; serving before the check, writes wait and the check stops it', async () => {
  const dir = tempDir();
  const open = (readsBeforeCheck = false, onRefused?: (e: Error) => void) =>
    Deployment.open({
      dataDir: dir,
      source: exampleSource(),
      deployment: 'test',
      now: () => Date.parse('2025-12-27T12:00:00Z'),
      checkpointIntervalMs: 0,
      readsBeforeCheck,
      onRefused,
    });
  try {
    const d = await open();
    for (let i = 0; i < 40; i++)
      await d.postReports(d.actors.get('undof')!, observation(`t-${i}`, `sy-${i}`, 'sy', { troops: 10 + i }, '2025-12-27T10:00:00Z'));
    await d.close();
    // The entries holding reports, in order (findings statements sit between them).
    const reportEntries = (db: Database.Database) =>
      (db.prepare('SELECT idx, data FROM entries ORDER BY idx').all() as { idx: number; data: Buffer }[])
        .filter((r) => r.data.toString('utf8').includes('"type":"report"'))
        .map((r) => r.idx);
    // The commitment to Syria's troops in the third report's entry changes: the entry no longer hashes to the signed tree.
    // (It sits in a full tile, which opening the log alone does not re-hash.)
    const alter = (data: string) => data.replace(/"sealed":"(.)/, (_m, c: string) => `"sealed":"${c === '0' ? '1' : '0'}`);
    const db = new Database(join(dir, 'record', 'southern-syria', 'log.db'));
    const third = reportEntries(db)[2];
    const row = db.prepare('SELECT data FROM entries WHERE idx = ?').get(third) as { data: Buffer };
    db.prepare('UPDATE entries SET data = ? WHERE idx = ?').run(Buffer.from(alter(row.data.toString('utf8'))), third);
    db.close();
    await assert.rejects(open(), (e: Error) => {
      assert.ok(e instanceof DeploymentRefused, String(e));
      assert.match(e.message, new RegExp(`entry ${third}\\b`));
      return true;
    });
    let refused: Error | undefined;
    const e = await open(true, (err) => (refused = err));
    try {
      await assert.rejects(e.postReports(e.actors.get('undof')!, observation('t-9', 'sy-9', 'sy', { troops: 1 }, '2025-12-27T10:00:00Z')), /checked|altered/);
      for (let i = 0; i < 200 && !refused; i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(refused, 'the check in the background refused the record');
      assert.match(refused.message, new RegExp(`entry ${third}\\b`));
      await assert.rejects(e.postReports(e.actors.get('undof')!, observation('t-10', 'sy-9', 'sy', { troops: 1 }, '2025-12-27T10:00:00Z')), /altered/);
    } finally {
      await e.close();
    }
    // Altered in the newest, partial tile: caught on opening the log, and named all the same.
    const db2 = new Database(join(dir, 'record', 'southern-syria', 'log.db'));
    const newest = reportEntries(db2).at(-1)!;
    const last = db2.prepare('SELECT data FROM entries WHERE idx = ?').get(newest) as { data: Buffer };
    db2.prepare('UPDATE entries SET data = ? WHERE idx = ?').run(Buffer.from(alter(last.data.toString('utf8'))), newest);
    db2.close();
    await assert.rejects(open(), new RegExp(`entry (${third}|${newest})\\b`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
