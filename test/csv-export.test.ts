// The CSV exports over HTTP (docs/csv.md): RFC 4180 as a strict independent reader
// reads it, the columns as documented, a byte-order mark only on request, each actor's
// rows per the disclosure policy, and a large export streamed as it is produced.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Fastify from 'fastify';
import { FINDING_COLUMNS } from '../src/interop/csv/findings.ts';
import { REPORT_COLUMNS } from '../src/interop/csv/reports.ts';
import type { Finding } from '../src/monitor/findings.ts';
import { bookedView } from '../src/server/core/monitoring-service.ts';
import { findingsCsv } from '../src/server/exports/csv-exports.ts';
import { FindingsBook } from '../src/server/findings-book.ts';
import { sendStream } from '../src/server/routes/stream-reply.ts';
import { openDerivedStore } from '../src/store/derived-sqlite.ts';
import { parseRfc4180 } from './helpers/rfc4180.ts';
import { BASE, json, observation, STORY_START, startTestServer } from './helpers/server.ts';

const T = new Date(STORY_START - 60_000).toISOString();
const ilTrack = {
  type: 'track',
  id: 'csv-il-1',
  time: T,
  source: 'il',
  unit: 'jet-c1',
  actor: 'il',
  category: 'aircraft',
  position: [35.21, 32.81],
  altitude_m: 6000,
  velocity: { east_mps: 100, north_mps: 0, up_mps: 0 },
};
const TEAM = [35.8456789, 33.1567891];

function table(body: string): Record<string, string>[] {
  const { records } = parseRfc4180(body);
  const [head, ...rows] = records;
  return rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

test('findings.csv and reports.csv: RFC 4180, documented columns, headers, a BOM only with ?bom=1, per-actor rows', { timeout: 60_000 }, async () => {
  const s = await startTestServer({ web: false });
  try {
    await json(await s.as('il', 'POST', `${BASE}/reports`, ilTrack), 202);
    // A unit id with every character CSV must quote: it comes back whole.
    const odd = 'post "9", north\r\nside';
    await json(await s.as('undof', 'POST', `${BASE}/reports`, observation('csv-post', odd, 'il', { troops: 12 }, T)), 202);
    await json(
      await s.as('undof', 'POST', `${BASE}/reports`, observation('csv-team', 'undof-team-1', 'undof', { troops: 8 }, T, TEAM as [number, number])),
      202,
    );

    const f = await s.as('ru', 'GET', `${BASE}/findings.csv`);
    assert.equal(f.statusCode, 200);
    assert.equal(f.headers['content-type'], 'text/csv; charset=utf-8; header=present');
    assert.equal(f.headers['content-disposition'], 'attachment; filename="southern-syria-findings.csv"');
    const parsed = parseRfc4180(f.body);
    assert.equal(parsed.bom, false);
    assert.deepEqual(parsed.records[0], [...FINDING_COLUMNS]);
    const findings = table(f.body);
    const json_ = (await json(await s.as('ru', 'GET', `${BASE}/findings`), 200)) as (Finding & { seq: number })[];
    assert.deepEqual(
      findings.map((r) => [Number(r.seq), r.rule, r.state]),
      json_.map((x) => [x.seq, x.rule, x.state]),
      'the same transitions as GET …/findings',
    );
    const post = findings.find((r) => r.rule === 'r-aos-only-undof');
    assert.deepEqual(JSON.parse(post?.units ?? 'null'), [odd], 'a unit id with quotes, a comma and CRLF comes back whole');

    const bom = await s.as('ru', 'GET', `${BASE}/findings.csv?bom=1`);
    assert.equal(bom.rawPayload.subarray(0, 3).toString('hex'), 'efbbbf');
    assert.deepEqual(parseRfc4180(bom.body).records, parsed.records);
    assert.notEqual(f.rawPayload[0], 0xef);

    // Reports: Israel's track reaches Israel and the mediator, not Syria or Turkey; UNDOF's team is coarse for Syria.
    const rows = async (a: string) => {
      const r = await s.as(a, 'GET', `${BASE}/reports.csv`);
      assert.equal(r.statusCode, 200);
      assert.deepEqual(parseRfc4180(r.body).records[0], [...REPORT_COLUMNS]);
      return table(r.body);
    };
    const byId = (rs: Record<string, string>[], id: string) => rs.find((r) => r.id === id);
    for (const a of ['il', 'ru']) {
      const r = byId(await rows(a), 'csv-il-1');
      assert.deepEqual([r?.lon, r?.lat, r?.altitude_m, r?.east_mps, r?.author], ['35.21', '32.81', '6000', '100', 'il'], a);
      assert.match(r?.sealed ?? '', /^[0-9a-f]{64}$/, 'its commitment in the record');
    }
    const sy = await rows('sy');
    assert.equal(byId(sy, 'csv-il-1'), undefined, 'Syria gets no row of the Israeli track');
    const team = byId(sy, 'csv-team');
    assert.equal(team?.coarse, '5000m/3600s');
    assert.notEqual(team?.lon, String(TEAM[0]));
    assert.equal(team?.other, '', 'the coarse mark is in its column, not repeated');
    assert.deepEqual(await rows('tr'), [], 'Turkey reads none of these reports');
    assert.deepEqual(byId(await rows('undof'), 'csv-team')?.lon, String(TEAM[0]));

    // Bad switches are 400s naming the query field.
    const bad = await s.as('ru', 'GET', `${BASE}/findings.csv?bom=yes`);
    assert.equal(bad.statusCode, 400);
    assert.equal(JSON.parse(bad.body).issues[0].path, 'query.bom');
  } finally {
    await s.destroy();
  }
});

test('the spreadsheet guard, on request only', { timeout: 30_000 }, async () => {
  const s = await startTestServer({ web: false });
  try {
    await json(await s.as('undof', 'POST', `${BASE}/reports`, observation('csv-formula', '=HYPERLINK("x")', 'il', { troops: 1 }, T)), 202);
    const plain = table((await s.as('ru', 'GET', `${BASE}/reports.csv`)).body);
    assert.equal(plain.find((r) => r.id === 'csv-formula')?.unit, '=HYPERLINK("x")');
    const guarded = table((await s.as('ru', 'GET', `${BASE}/reports.csv?spreadsheet=1`)).body);
    const g = guarded.find((r) => r.id === 'csv-formula');
    assert.equal(g?.unit, `'=HYPERLINK("x")`);
    assert.equal(g?.lon, '35.825', 'numbers are not altered');
  } finally {
    await s.destroy();
  }
});

test('a large findings export streams: first bytes long before the last row is read, memory reported', { timeout: 180_000 }, async (t) => {
  // The export's own path (findingsCsv, sendStream) over a real socket, from a findings
  // book paged from its derived store like a server's; the book is filled directly, as
  // 200,000 transitions through the engine and the record would take minutes.
  const dir = mkdtempSync(join(tmpdir(), 'detente-csv-'));
  const store = openDerivedStore(dir);
  const app = Fastify();
  try {
    const N = 200_000;
    const book = new FindingsBook(store);
    const base: Finding = { finding: 'violation', state: 'open', rule: 'r-aos-only-undof', kind: 'presence', time: T, actor: 'il', zone: 'aos', units: ['u'] };
    for (let i = 0; i < N; i++) book.add({ ...base, units: [`u-${i}`] }, ['il'], { entry: 1, n: i });
    book.flush();
    // Count the transitions the export reads from the book, as it reads them.
    let read = 0;
    const after = book.csvAfter.bind(book);
    book.csvAfter = function* (since: number, v: number, sheet: boolean) {
      for (const b of after(since, v, sheet)) {
        read++;
        yield b;
      }
    };
    const reader = { id: 'ru', role: 'mediator' as const };
    app.get('/findings.csv', (_req, reply) =>
      sendStream(reply, 'text/csv', findingsCsv({ book, readsFinding: () => true, readsTrigger: () => true, findingView: (_a, b) => bookedView(b) }, reader)),
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const t0 = performance.now();
    const result = await new Promise<{ readAtFirst: number; readWhilePaused: number; lines: number; last: string }>((resolve, reject) => {
      const req = request({ port, host: '127.0.0.1', path: '/findings.csv' }, (res) => {
        let readAtFirst = -1;
        let readWhilePaused = 0;
        let lines = 0;
        let tail = '';
        let last = '';
        res.on('data', (c: Buffer) => {
          if (readAtFirst < 0) {
            readAtFirst = read;
            // Hold still a while: a streamed export waits for us (socket buffers aside).
            res.pause();
            setTimeout(() => {
              readWhilePaused = read - readAtFirst;
              res.resume();
            }, 300);
          }
          const parts = (tail + c.toString('utf8')).split('\r\n');
          tail = parts.pop() ?? '';
          if (parts.length) last = parts[parts.length - 1];
          const before = lines;
          lines += parts.length;
          if (Math.floor(lines / 20_000) > Math.floor(before / 20_000)) peak = Math.max(peak, process.memoryUsage().rss);
        });
        res.on('end', () => resolve({ readAtFirst, readWhilePaused, lines, last }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
    const s = (performance.now() - t0) / 1000;
    assert.ok(result.readAtFirst < N / 2, `first bytes came after ${result.readAtFirst} of ${N} rows were read`);
    assert.ok(
      result.readAtFirst + result.readWhilePaused < N,
      `the export went on to the end (${result.readWhilePaused} more rows) while the client read nothing`,
    );
    assert.equal(result.lines, N + 1, 'a header and every transition');
    assert.equal(result.last.split(',')[0], String(N), 'the last row is the last transition');
    t.diagnostic(
      `${N} rows in ${s.toFixed(1)} s; first bytes after ${result.readAtFirst} rows read, ${result.readWhilePaused} more while the client paused; RSS growth ${((peak - rss0) / 1e6).toFixed(1)} MB`,
    );
  } finally {
    await app.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
