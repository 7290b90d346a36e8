// The page's signing client (web/src/keys/signing.ts) against a real server, in Node:
// talks commands prepared by the server, signed by the client and posted to
// …/statements; reports built and signed by the client as the server builds them. The
// server on this branch accepts only the key it made for each actor, so the client is
// given that key's seed (as the @noble/curves fallback holds a seed); which key signs is
// not what is tested here, but that what the client builds and signs is recorded as the
// actor's own act, not custodially. Without a key the same client sends the token alone.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { verifyEntry } from '../src/record/statement.ts';
import { Api } from '../web/src/api/client.ts';
import { type StoredKey, verifierKeyText } from '../web/src/keys/device-key.ts';
import type { KeyStore } from '../web/src/keys/key-store.ts';
import { Signing } from '../web/src/keys/signing.ts';
import { ed25519PublicKey } from '../web/src/shims/ed25519.ts';
import { BASE, ID, observation, startTestServer, type TestServer } from './helpers/server.ts';

let s: TestServer;
let origin: string;

before(async () => {
  s = await startTestServer();
  origin = await s.app.listen({ port: 0, host: '127.0.0.1' });
});

after(async () => {
  await s?.destroy();
});

/** A key store holding, for `actor`, a key made from the seed of the key file the server holds for it. */
function serversKey(actor: string): KeyStore {
  const text = readFileSync(join(s.dir, 'keys', 'actors', `${actor}.key`), 'utf8').trim();
  const seed = Uint8Array.from(Buffer.from(text.split('+').slice(4).join('+'), 'base64').subarray(1));
  const publicKey = ed25519PublicKey(seed);
  const stored: StoredKey = {
    actor,
    kind: 'noble',
    publicKey,
    vkey: verifierKeyText(actor, publicKey),
    seed,
    created: new Date().toISOString(),
    enrolled: true,
  };
  return { load: async () => stored, save: async () => undefined };
}

const none: KeyStore = { load: async () => undefined, save: async () => undefined };

async function client(actor: string, store: KeyStore): Promise<Signing> {
  const signing = new Signing(new Api(s.tokens[actor]), `${origin}${BASE}`, ID, actor, () => [], store);
  await signing.load();
  return signing;
}

async function entry(index: number) {
  const res = await s.as('ru', 'GET', `${BASE}/record/entries?from=${index}&to=${index + 1}`);
  return verifyEntry(new TextEncoder().encode(JSON.parse(res.body).entries[0]));
}

test('talks commands: prepared, signed by the client, recorded as the actor’s own (not custodial)', async () => {
  const ru = await client('ru', serversKey('ru'));
  assert.equal(ru.mode, 'browser');
  const issue = await ru.talks('issues', { id: 'width', title: 'Width of the strip', numeric: { unit: 'km' } });
  assert.equal(issue.type, 'talks.issue.open');
  const e = await entry(issue.index!);
  assert.equal(e.statement.author, 'ru');
  assert.equal(e.custodial, undefined);
  assert.equal(e.key, (await serversKey('ru').load(ID, 'ru'))!.vkey);

  // A confidential submission: sealed; the client still names what it recorded.
  const il = await client('il', serversKey('il'));
  const sub = await il.talks('submissions', { text: 'floor: 2 km', issue: 'width', position: 2, confidential: true });
  assert.equal(sub.type, 'talks.submit');
  assert.ok(sub.id, 'the id from the sealed content');
  const se = await entry(sub.index!);
  assert.equal(se.custodial, undefined);
  assert.ok('sealed' in se.statement.body);

  const close = await ru.talks(`issues/${encodeURIComponent('width')}/close`, {});
  assert.equal(close.type, 'talks.issue.close');
});

test('reports: one as a `report` statement, several as `reports`, as the server builds them, signed by the client', async () => {
  const undof = await client('undof', serversKey('undof'));
  const one = await undof.reports([observation('w-1', 'sy-tank', 'sy', { tanks: 2 }, '2025-12-27T06:00:00Z')]);
  assert.equal(one.type, 'report');
  const e1 = await entry(one.indexes![0]);
  assert.equal(e1.statement.type, 'report');
  // UNDOF's observations are not open to every actor: the page sealed them, the server opens them.
  const opened = async (item: unknown) =>
    JSON.parse(Buffer.from((await s.deployment.openSealed((item as { sealed: string }).sealed))!.content).toString('utf8'));
  assert.equal((await opened(e1.statement.body)).id, 'w-1');
  assert.equal(e1.custodial, undefined);
  const two = await undof.reports([
    observation('w-2', 'sy-tank', 'sy', { tanks: 2 }, '2025-12-27T06:01:00Z'),
    observation('w-3', 'sy-tank', 'sy', { tanks: 2 }, '2025-12-27T06:02:00Z'),
  ]);
  assert.equal(two.type, 'reports');
  const e2 = await entry(two.indexes![0]);
  const items = e2.statement.body.reports as { sealed: string }[];
  assert.ok(items.every((i) => Object.keys(i).join() === 'sealed,time'));
  assert.deepEqual(
    (await Promise.all(items.map(opened))).map((r: { id: string }) => r.id),
    ['w-2', 'w-3'],
  );
  assert.equal(e2.custodial, undefined);
});

test('without a key the client sends the token alone, and the server signs custodially', async () => {
  const undof = await client('undof', none);
  assert.equal(undof.mode, 'custodial');
  const r = await undof.reports([observation('w-9', 'sy-tank', 'sy', { tanks: 1 }, '2025-12-27T06:03:00Z')]);
  assert.equal((await entry(r.indexes![0])).custodial, true);
  const sy = await client('sy', none);
  const sub = await sy.talks('submissions', { text: 'an open note' });
  assert.equal((await entry(sub.index!)).custodial, true);
});
