// GET …/keys and POST …/keys/enroll: a custodial deployment enrols a device's key with
// the actor's server-held key, marked custodial, and the key book says so at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateKey } from '../src/record/keys.ts';
import { verifyEntry } from '../src/record/statement.ts';
import { BASE, json, startTestServer } from './helpers/server.ts';

type KeysNow = { actors: { actor: string; keys: string[]; custodial: boolean }[] };

test('a custodial actor enrols a device key through the server; the key book lists it; bad keys are refused naming key', async () => {
  const s = await startTestServer();
  try {
    const before = (await json(await s.as('sy', 'GET', `${BASE}/keys`), 200)) as unknown as KeysNow;
    const il = before.actors.find((a) => a.actor === 'il');
    assert.equal(il?.custodial, true);
    assert.equal(il?.keys.length, 1, 'the server-held key');

    const device = generateKey('il').vkey;
    const size = s.deployment.log.size;
    const res = await s.as('il', 'POST', `${BASE}/keys/enroll`, { key: device, device: 'liaison laptop' });
    assert.equal(res.statusCode, 202, res.body);
    const entry = verifyEntry(await s.deployment.log.entry(size));
    assert.equal(entry.statement.type, 'key');
    assert.equal(entry.statement.author, 'il');
    assert.equal(entry.custodial, true);
    assert.deepEqual(entry.statement.body, { action: 'enroll', key: device, device: 'liaison laptop' });

    const after = (await json(await s.as('tr', 'GET', `${BASE}/keys`), 200)) as unknown as KeysNow;
    assert.ok(after.actors.find((a) => a.actor === 'il')?.keys.includes(device));

    // Another actor's key, a key that is not one, and the same key again: 4xx, nothing recorded.
    const sizeNow = s.deployment.log.size;
    for (const key of [generateKey('sy').vkey, 'not a key', device]) {
      const bad = await s.as('il', 'POST', `${BASE}/keys/enroll`, { key });
      assert.ok(bad.statusCode >= 400 && bad.statusCode < 500, `${key}: ${bad.statusCode} ${bad.body}`);
      assert.match(bad.body, /"path":"key"/);
    }
    assert.equal(s.deployment.log.size, sizeNow);
  } finally {
    await s.destroy();
  }
});
