// A party disputes a finding (issue 11, point 4): a signed statement in the record, sealed
// so that only the party, the mediator and the guarantor read it; they see it beside the
// finding it disputes; it survives a restart; a bad dispute is refused naming the field.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEntry } from '../src/record/statement.ts';
import { findingAddress } from './helpers/finding-address.ts';
import { BASE, json, observation, startTestServer, type TestServer } from './helpers/server.ts';

const T = '2025-12-27T07:00:00Z';

async function withViolation(dir?: string): Promise<TestServer> {
  const s = await startTestServer({ web: false, ...(dir ? { dir } : {}) });
  if (!dir) {
    await json(await s.as('il', 'POST', `${BASE}/reports`, observation('il-own-1', 'il-tk-1', 'il', { tanks: 80 }, T, [35.75, 33.1], 'il')), 202);
    await s.deployment.recordFindings();
  }
  return s;
}

const REASON = 'the tanks were in transit under notice n-3, outside the zone within the hour';

test('a party disputes a finding; the mediator and the guarantor read it beside the finding, the other party and Turkey do not', async (t) => {
  const s = await withViolation();
  t.after(() => s.destroy());
  const finding = await findingAddress(s, 'r-il-tanks-0-10');
  const posted = (await json(await s.as('il', 'POST', `${BASE}/findings/disputes`, { finding, reason: REASON }), 202)) as { indexes: number[] };
  const [index] = posted.indexes;

  // The public entry holds only a commitment: nobody learns the reason, or what is disputed, from the record.
  const entry = parseEntry((await s.deployment.log.entries(index, index + 1))[0]);
  assert.equal(entry.statement.type, 'dispute');
  assert.deepEqual(Object.keys(entry.statement.body), ['sealed']);
  assert.equal(entry.statement.author, 'il');

  for (const [actor, sees] of [
    ['il', true],
    ['ru', true],
    ['us', true],
    ['sy', false],
    ['tr', false],
    ['undof', false],
  ] as const) {
    const list = (await json(await s.as(actor, 'GET', `${BASE}/findings/disputes`), 200)) as {
      by: string;
      reason: string;
      finding: unknown;
      disputed: { rule?: string } | null;
    }[];
    assert.equal(list.length, sees ? 1 : 0, actor);
    if (sees) {
      assert.equal(list[0].by, 'il');
      assert.equal(list[0].reason, REASON);
      assert.deepEqual(list[0].finding, finding);
      assert.equal(list[0].disputed?.rule, 'r-il-tanks-0-10', 'shown with the finding it disputes');
    }
    const sealed = (entry.statement.body as { sealed: string }).sealed;
    const res = await s.as(actor, 'GET', `${BASE}/record/sealed/${sealed}`);
    assert.equal(res.statusCode, sees ? 200 : 404, `${actor} reading the sealed dispute`);
  }
  // The finding's history: the disputes of that one finding.
  const of = (await json(await s.as('us', 'GET', `${BASE}/findings/disputes?entry=${finding.entry}&n=${finding.n}`), 200)) as unknown[];
  assert.equal(of.length, 1);
  const other = (await json(await s.as('us', 'GET', `${BASE}/findings/disputes?entry=${finding.entry}&n=${finding.n + 1}`), 200)) as unknown[];
  assert.equal(other.length, 0);

  // A restart replays it.
  await s.stop();
  const again = await withViolation(s.dir);
  t.after(() => again.destroy());
  const after = (await json(await again.as('us', 'GET', `${BASE}/findings/disputes`), 200)) as { reason: string }[];
  assert.deepEqual(
    after.map((d) => d.reason),
    [REASON],
  );
});

test('a dispute is refused naming why: not a party, no such finding, no reason', async (t) => {
  const s = await withViolation();
  t.after(() => s.destroy());
  const finding = await findingAddress(s, 'r-il-tanks-0-10');
  const forbidden = await s.as('undof', 'POST', `${BASE}/findings/disputes`, { finding, reason: REASON });
  assert.equal(forbidden.statusCode, 403);
  assert.match(forbidden.body, /only a party may dispute a finding/);
  const nowhere = await s.as('il', 'POST', `${BASE}/findings/disputes`, { finding: { entry: 0, n: 0 }, reason: REASON });
  assert.equal(nowhere.statusCode, 400);
  assert.equal(JSON.parse(nowhere.body).issues[0].path, 'finding');
  const past = await s.as('il', 'POST', `${BASE}/findings/disputes`, { finding: { entry: 10_000, n: 0 }, reason: REASON });
  assert.equal(past.statusCode, 400);
  const empty = await s.as('il', 'POST', `${BASE}/findings/disputes`, { finding, reason: '  ' });
  assert.equal(empty.statusCode, 400);
  assert.match(JSON.parse(empty.body).issues[0].path, /reason/);
  const size = s.deployment.log.size;
  const long = await s.as('il', 'POST', `${BASE}/findings/disputes`, { finding, reason: 'x'.repeat(2001) });
  assert.equal(long.statusCode, 400);
  assert.equal(s.deployment.log.size, size, 'nothing recorded for a refused dispute');
});
