// A party's replica re-runs the engine over what it may open and holds the server to
// its recorded findings (design §5, last point): it re-derives the findings about its
// own forces exactly, lists those it cannot check with the commitments of the reports
// they rest on, and names a finding the server recorded that its engine does not derive.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { formatTime } from '../src/arrangement/time.ts';
import {
  checkedArrangement,
  EngineCheckError,
  type EngineCheckSummary,
  engineCheck,
  FINDINGS_CHECK_FILE,
  NOT_CHECKABLE_FILE,
} from '../src/follow/engine-check.ts';
import { readSignerKeyFile } from '../src/record/key-file.ts';
import { Follower } from '../src/follow/follower.ts';
import { parseEntry } from '../src/record/statement.ts';
import { signedEntry } from '../src/server/core/signed-entry.ts';
import { listen, storedEntries } from './helpers/follow-server.ts';
import { BASE, EXAMPLE, ID, json, observation, startTestServer, type TestServer } from './helpers/server.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'detente-follow-findings-'));
  dirs.push(d);
  return d;
}

const T = '2025-12-27T07:00:00Z';

/** Israel over its tank limit (its own report), Syria over its own (UNDOF's report, which Israel may not open). */
async function serverWithFindings(): Promise<{ s: TestServer; url: string }> {
  const s = await startTestServer({ web: false });
  try {
    const url = await listen(s);
    await json(await s.as('il', 'POST', `${BASE}/reports`, observation('il-own-1', 'il-tk-1', 'il', { tanks: 80 }, T, [35.75, 33.1], 'il')), 202);
    await json(await s.as('undof', 'POST', `${BASE}/reports`, observation('un-sy-1', 'sy-tk-1', 'sy', { tanks: 90 }, T, [35.95, 33.05])), 202);
    await s.deployment.recordFindings();
    await settled(s);
    return { s, url };
  } catch (e) {
    // A listening server left behind would keep the test process, and npm test, from ending.
    await s.destroy();
    throw e;
  }
}

/** Waits until the log's checkpoint covers every entry (checkpoints follow appends within a second). */
async function settled(s: TestServer): Promise<void> {
  const log = s.deployment.log;
  for (let i = 0; i < 300 && Number(log.checkpoint().split('\n')[1]) < log.size; i++) await new Promise((r) => setTimeout(r, 10));
}

function replica(s: TestServer, url: string, actor: string, dir = tmp()): Follower {
  return new Follower({ dir, url, arrangement: ID, token: s.tokens[actor], checks: [engineCheck({ dir, actor, arrangementFile: EXAMPLE })] });
}

function summary(dir: string): EngineCheckSummary {
  return JSON.parse(readFileSync(join(dir, FINDINGS_CHECK_FILE), 'utf8')) as EngineCheckSummary;
}

function notCheckable(dir: string): { finding: { rule: string; actor?: string }; hidden: { entry: number; n: number; sealed: string | null }[] }[] {
  const path = join(dir, NOT_CHECKABLE_FILE);
  return existsSync(path)
    ? readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
    : [];
}

test("each party re-derives the findings about its own forces; the other's it lists with the commitments they rest on", async (t) => {
  const { s, url } = await serverWithFindings();
  t.after(() => s.destroy());
  const il = replica(s, url, 'il');
  t.after(() => il.close());
  assert.deepEqual((await il.round()).discrepancies, []);
  const mine = summary(il.dir);
  assert.ok(mine.checked >= 1, `il checked ${JSON.stringify(mine)}`);
  assert.equal(mine.missing + mine.extra, 0);

  // Syria's tank violation rests on UNDOF's report, which Israel may not open: listed, with its commitment.
  const sy = notCheckable(il.dir).find((n) => n.finding.rule === 'r-sy-tanks-0-10');
  assert.ok(sy, 'the finding about Syria is listed as not checkable by Israel');
  const entries = await storedEntries(s.dir);
  const hidden = sy.hidden.find((h) => h.sealed !== null);
  assert.ok(hidden, 'it names a report Israel cannot open');
  const body = parseEntry(entries[hidden.entry]).statement.body as { sealed?: string; reports?: { sealed?: string }[] };
  assert.equal(hidden.sealed, body.reports ? body.reports[hidden.n].sealed : body.sealed, 'the commitment is the one in the public entry');
  assert.equal(
    notCheckable(il.dir).find((n) => n.finding.rule === 'r-il-tanks-0-10'),
    undefined,
    'its own finding it checked',
  );

  // Syria checks its own, and the guarantor (the example adds it to every report) checks both.
  for (const actor of ['sy', 'us']) {
    const f = replica(s, url, actor);
    t.after(() => f.close());
    assert.deepEqual((await f.round()).discrepancies, [], actor);
    assert.ok(summary(f.dir).checked >= (actor === 'us' ? 2 : 1), `${actor}: ${JSON.stringify(summary(f.dir))}`);
    assert.equal(
      notCheckable(f.dir).some((n) => n.finding.rule === 'r-sy-tanks-0-10'),
      false,
      `${actor} checks the finding about Syria`,
    );
  }
});

test('a finding the server recorded that the engine does not derive from the same reports is a discrepancy', async (t) => {
  const { s, url } = await serverWithFindings();
  t.after(() => s.destroy());
  const il = replica(s, url, 'il');
  t.after(() => il.close());
  assert.deepEqual((await il.round()).discrepancies, []);

  // The mediator's server records a violation by Israel that no report shows.
  const entries = await storedEntries(s.dir);
  const own = entries.findIndex((e) => parseEntry(e).statement.author === 'il' && parseEntry(e).statement.type.startsWith('report'));
  const forged = {
    finding: 'violation',
    state: 'open',
    rule: 'r-il-troops-0-10',
    kind: 'limit',
    time: T,
    actor: 'il',
    zone: 'il-0-10',
    asset: 'troops',
    observed: 5000,
    max: 1,
    units: ['il-tk-1'],
    basis: [{ entry: own, n: 0 }],
    at: { entry: own, n: 0 },
  };
  const log = s.deployment.log;
  const { bytes } = signedEntry(readSignerKeyFile(join(s.dir, 'keys', 'log.key')), {
    type: 'findings',
    arrangement: ID,
    body: { through: log.size, findings: [forged] },
    time: formatTime(Date.now()),
  });
  await log.append(bytes);
  await settled(s);

  const r = await il.round();
  const found = r.discrepancies.filter((x) => x.kind === 'finding');
  assert.equal(found.length, 1, JSON.stringify(r.discrepancies));
  assert.match(found[0].detail, /the server recorded this finding/);
  assert.match(found[0].detail, /r-il-troops-0-10/);
  assert.equal(summary(il.dir).missing, 1);
});

test('the replica judges only by the arrangement file the record began with', () => {
  const genesis = { sha256: '0'.repeat(64), geometry: {} };
  assert.throws(
    () => checkedArrangement(EXAMPLE, genesis),
    (e: Error) => e instanceof EngineCheckError && /not the arrangement the record began with/.test(e.message),
  );
});
