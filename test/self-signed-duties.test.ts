// Challenge, access-refused and resolution statements signed by the actor itself (issue 15):
// a party, observer or mediator that holds its own key signs them and POSTs them to
// …/statements; they are checked as the custodial routes check them (who may file which,
// what they name) and applied the same; the custodial routes refuse such an actor with the
// 403 that tells it to sign its own; a statement under another's name, or signed with a key
// the key book does not hold for its author, is a 403.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { JsonObject } from '../src/record/canonical.ts';
import { canonicalJson } from '../src/record/canonical.ts';
import { encodeBase64 } from '../src/record/encoding.ts';
import { generateKey, parseSignerKey, type Signer } from '../src/record/keys.ts';
import { seal } from '../src/record/sealed.ts';
import { endorse, parseEntry, signStatement } from '../src/record/statement.ts';
import { genesisStatement } from '../src/server/core/arrangement-note.ts';
import { custodialSigners } from '../src/server/keyring.ts';
import { dutiesSource } from './helpers/duties.ts';
import { BASE, exampleSource, ID, json, STORY_START, startTestServer, type TestServer } from './helpers/server.ts';

const signer = (name: string): Signer => parseSignerKey(generateKey(name).skey);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** Israel (a party), UNDOF (the observer) and Russia (the mediator) hold their own keys; the server signs for the rest. */
const CUSTODIAL = ['sy', 'us', 'tr'];

type F = { finding: string; state: string; rule: string; actor?: string; challenge?: string; reason?: string; [k: string]: unknown };
type Issues = { error: string; issues?: { path: string }[] };

interface Fixture {
  s: TestServer;
  own: Record<'il' | 'undof' | 'ru', Signer>;
  clock: { now: number };
  /** the server with the same options on the same data directory */
  reopen(): Promise<TestServer>;
}

async function fixture(t: { after: (fn: () => Promise<void>) => void }): Promise<Fixture> {
  const own = { il: signer('il'), undof: signer('undof'), ru: signer('ru') };
  const actors = (exampleSource().value as { actors: { id: string }[] }).actors.map((a) =>
    a.id in own ? { ...a, keys: [own[a.id as keyof typeof own].verifier.vkey] } : a,
  );
  const source = dutiesSource({ actors });
  const dir = mkdtempSync(join(tmpdir(), 'detente-self-signed-'));
  // What the parties and the mediator do offline: endorse the genesis the server will record.
  const held = custodialSigners(dir, CUSTODIAL);
  const genesis = genesisStatement(source, new Map([...held].map(([id, s]) => [id, s.verifier.vkey])), 'ru');
  const clock = { now: STORY_START };
  const opts = { web: false, dir, source, custodial: CUSTODIAL, endorsements: [endorse(own.il, genesis), endorse(own.ru, genesis)], now: () => clock.now };
  const s = await startTestServer(opts);
  t.after(() => s.destroy());
  return { s, own, clock, reopen: () => startTestServer(opts) };
}

function signed(by: Signer, type: string, body: JsonObject, time: number) {
  return signStatement(by, { type, arrangement: ID, body, time: iso(time) });
}

/** A statement over a sealed body, with its opening beside it, as a dispute or resolution travels. */
function signedSealed(by: Signer, type: string, content: JsonObject, time: number) {
  const c = seal(canonicalJson(content));
  return { ...signed(by, type, { sealed: c.sealed }, time), sealed: [{ salt: encodeBase64(c.salt), content: canonicalJson(content) }] };
}

const post = (s: TestServer, actor: string, st: unknown) => s.as(actor, 'POST', `${BASE}/statements`, st);
const findings = async (s: TestServer): Promise<F[]> => (await json(await s.as('ru', 'GET', `${BASE}/findings`), 200)) as F[];
const pathOf = async (res: { statusCode: number; body: string }) => ((await json(res, 400)) as Issues).issues?.[0]?.path;
const CH = ['challenge', 'late-inspection', 'access-refused'];
const mine = (fs: F[]) => fs.filter((f) => CH.includes(f.finding)).map((f) => `${f.finding}:${f.state}:${f.actor}`);

async function isCustodial(s: TestServer, index: number): Promise<boolean> {
  return parseEntry((await s.deployment.log.entries(index, index + 1))[0]).custodial === true;
}

test('a party with its own key signs its challenge request: applied as the custodial one; the custodial route, a forged author and the wrong role are 403', async (t) => {
  const { s, own, clock } = await fixture(t);
  const now = clock.now;

  const custodialRoute = (await json(await s.as('il', 'POST', `${BASE}/challenges`, { zone: 'il-0-10' }), 403)) as Issues;
  assert.match(custodialRoute.error, /signs its own statements/);
  // Another's name under Israel's token; Israel's name under a key the key book does not hold for it; an observer's own challenge.
  await json(await post(s, 'il', signed(signer('sy'), 'challenge', { zone: 'il-0-10', time: iso(now) }, now)), 403);
  await json(await post(s, 'il', signed(signer('il'), 'challenge', { zone: 'il-0-10', time: iso(now) }, now)), 403);
  await json(await post(s, 'undof', signed(own.undof, 'challenge', { zone: 'il-0-10', time: iso(now) }, now)), 403);
  // Bad bodies are 400s naming the field.
  assert.equal(await pathOf(await post(s, 'il', signed(own.il, 'challenge', { zone: 'aos', time: iso(now) }, now))), 'statement.body.zone');
  assert.equal(await pathOf(await post(s, 'il', signed(own.il, 'challenge', { zone: 'il-0-10', time: iso(now - 3600000) }, now))), 'statement.body.time');
  assert.equal(await pathOf(await post(s, 'il', signed(own.il, 'challenge', { zone: 'il-0-10', time: iso(now), x: 1 }, now))), 'statement.body');
  assert.equal(mine(await findings(s)).length, 0, 'nothing refused was applied');

  const selfIndex = ((await json(await post(s, 'il', signed(own.il, 'challenge', { zone: 'il-0-10', time: iso(now) }, now)), 202)) as { indexes: number[] })
    .indexes[0];
  assert.equal(await isCustodial(s, selfIndex), false, 'recorded as Israel’s own, not custodial');
  const custodial = (await json(await s.as('sy', 'POST', `${BASE}/challenges`, { zone: 'il-0-10' }), 202)) as { challenge: string; indexes: number[] };
  assert.equal(await isCustodial(s, custodial.indexes[0]), true);

  const fs = (await findings(s)).filter((f) => f.finding === 'challenge');
  const self = fs.find((f) => f.challenge === `challenge-${selfIndex}`);
  const other = fs.find((f) => f.challenge === custodial.challenge);
  assert.ok(self && other, 'both requests opened a challenge finding');
  // The same finding but for who asked, which request it is, and the entry it rests on.
  const strip = (f: F) => Object.fromEntries(Object.entries(f).filter(([k]) => !['challenge', 'requested_by', 'seq', 'at', 'basis'].includes(k)));
  assert.deepEqual(strip(self), strip(other));
  assert.deepEqual([self.at, self.basis], [{ entry: selfIndex }, [{ entry: selfIndex, n: 0 }]]);
  assert.equal(self.requested_by, 'il');
  assert.equal(other.requested_by, 'sy');
});

test('an observer with its own key signs a refusal of access: a finding against the refusing party, as the custodial one gives', async (t) => {
  const { s, own, clock } = await fixture(t);
  const now = clock.now;
  const { challenge } = (await json(await s.as('sy', 'POST', `${BASE}/challenges`, { zone: 'il-0-10' }), 202)) as { challenge: string };
  const body = (x: object = {}) => ({ challenge, by: 'il', time: iso(now), reason: 'turned back at the checkpoint', ...x });

  const custodialRoute = (await json(await s.as('undof', 'POST', `${BASE}/challenges/${challenge}/refusal`, { by: 'il' }), 403)) as Issues;
  assert.match(custodialRoute.error, /signs its own statements/);
  await json(await post(s, 'il', signed(own.il, 'access-refused', body(), now)), 403);
  await json(await post(s, 'undof', signed(signer('undof'), 'access-refused', body(), now)), 403);
  await json(await post(s, 'undof', signed(signer('ru'), 'access-refused', body(), now)), 403);
  assert.equal(await pathOf(await post(s, 'undof', signed(own.undof, 'access-refused', body({ by: 'tr' }), now))), 'statement.body.by');
  await json(await post(s, 'undof', signed(own.undof, 'access-refused', body({ challenge: 'challenge-999999' }), now)), 404);

  const index = ((await json(await post(s, 'undof', signed(own.undof, 'access-refused', body(), now)), 202)) as { indexes: number[] }).indexes[0];
  assert.equal(await isCustodial(s, index), false);
  await json(await post(s, 'undof', signed(own.undof, 'access-refused', body(), now + 1)), 409);
  // What the custodial refusal gives (test/duties-server.test.ts): the refusal opens against Israel, the request closes.
  assert.deepEqual(mine(await findings(s)), ['challenge:open:undof', 'access-refused:open:il', 'challenge:closed:undof']);
});

test('a mediator with its own key signs a resolution: the finding closes as on the custodial route, and a restart replays it', async (t) => {
  const { s, own, clock, reopen } = await fixture(t);
  const now = clock.now;
  const { challenge } = (await json(await s.as('sy', 'POST', `${BASE}/challenges`, { zone: 'il-0-10' }), 202)) as { challenge: string };
  await json(await post(s, 'undof', signed(own.undof, 'access-refused', { challenge, by: 'il', time: iso(now) }, now)), 202);
  // Syria disputes the request's finding (it is about the observer; Syria asked for it).
  await s.deployment.recordFindings();
  const finding = await addressOf(s, (f) => f.finding === 'challenge' && f.state === 'open');
  const dispute = ((await json(await s.as('sy', 'POST', `${BASE}/findings/disputes`, { finding, reason: 'asked in error' }), 202)) as { indexes: number[] })
    .indexes[0];
  const list = (await json(await s.as('ru', 'GET', `${BASE}/findings/disputes`), 200)) as { index: number; disputed: JsonObject }[];
  const disputed = list.find((d) => d.index === dispute)?.disputed;
  assert.ok(disputed, 'the mediator reads the disputed finding as recorded');
  const resolution = (x: object = {}) =>
    ({ dispute, outcome: 'withdrawn', reasons: 'the request was withdrawn by Syria', finding: disputed, ...x }) as JsonObject;

  const custodialRoute = (await json(
    await s.as('ru', 'POST', `${BASE}/findings/disputes/${dispute}/resolution`, { outcome: 'withdrawn', reasons: 'x' }),
    403,
  )) as Issues;
  assert.match(custodialRoute.error, /signs its own statements/);
  await json(await post(s, 'il', signedSealed(own.il, 'resolution', resolution(), now)), 403);
  await json(await post(s, 'ru', signedSealed(signer('ru'), 'resolution', resolution(), now)), 403);
  await json(await post(s, 'ru', signedSealed(signer('us'), 'resolution', resolution(), now)), 403);
  const wrongFinding = resolution({ finding: { ...disputed, rule: 'r-il-tanks-0-10' } });
  assert.equal(await pathOf(await post(s, 'ru', signedSealed(own.ru, 'resolution', wrongFinding, now))), 'sealed[0].content.finding');
  assert.equal(await pathOf(await post(s, 'ru', signedSealed(own.ru, 'resolution', resolution({ outcome: 'maybe' }), now))), 'sealed[0].content.outcome');
  await json(await post(s, 'ru', signedSealed(own.ru, 'resolution', resolution({ dispute: 1 }), now)), 404);

  const index = ((await json(await post(s, 'ru', signedSealed(own.ru, 'resolution', resolution(), now)), 202)) as { indexes: number[] }).indexes[0];
  assert.equal(await isCustodial(s, index), false);
  await json(await post(s, 'ru', signedSealed(own.ru, 'resolution', resolution({ outcome: 'upheld' }), now + 1)), 409);
  await json(await s.as('us', 'POST', `${BASE}/findings/disputes/${dispute}/resolution`, { outcome: 'upheld', reasons: 'the commission too' }), 409);

  const closed = (await findings(s)).filter((f) => f.finding === 'challenge' && f.challenge === challenge);
  assert.deepEqual(
    closed.map((f) => `${f.state}${f.reason?.startsWith('withdrawn') ? ` (${f.reason})` : ''}`),
    ['open', 'closed', `closed (withdrawn on dispute ${dispute})`],
  );
  const view = (await json(await s.as('sy', 'GET', `${BASE}/findings/disputes`), 200)) as { index: number; resolution?: { outcome: string; by: string } }[];
  assert.deepEqual(view.find((d) => d.index === dispute)?.resolution && { ...view.find((d) => d.index === dispute)?.resolution, index: 0, time: '' }, {
    outcome: 'withdrawn',
    reasons: 'the request was withdrawn by Syria',
    by: 'ru',
    index: 0,
    time: '',
  });

  const before = (await s.as('ru', 'GET', `${BASE}/findings`)).body;
  await s.stop();
  const again = await reopen();
  try {
    assert.equal((await again.as('ru', 'GET', `${BASE}/findings`)).body, before);
  } finally {
    await again.stop();
  }
});

/** The address of the first recorded finding that `pick` chooses, in the server's findings statements. */
async function addressOf(s: TestServer, pick: (f: F) => boolean): Promise<{ entry: number; n: number }> {
  const log = s.deployment.log;
  const entries = await log.entries(0, log.size);
  for (let entry = 0; entry < entries.length; entry++) {
    const st = parseEntry(entries[entry]).statement;
    if (st.type !== 'findings') continue;
    const items = (st.body as { findings: { sealed?: string }[] }).findings;
    for (let n = 0; n < items.length; n++) {
      const it = items[n];
      const opened = it.sealed ? JSON.parse(Buffer.from((await log.openSealed(it.sealed, { entry, n }))?.content ?? []).toString('utf8')) : it;
      if (pick(opened)) return { entry, n };
    }
  }
  throw new Error('no such recorded finding');
}
