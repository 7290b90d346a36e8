// The witness over HTTP, in process (startWitness): the protocol's bytes on the wire,
// what the HTTP layer adds (no Content-Type needed, bounded bodies, 404/405), its key
// kept in the data directory, and no 5xx whatever a client sends.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import fc from 'fast-check';
import { tempDir } from '../../test/helpers/record-fixtures.ts';
import { testLog } from '../../test/helpers/witness-log.ts';
import { formatAddCheckpoint } from '../record/add-checkpoint.ts';
import { signCheckpoint } from '../record/checkpoint.ts';
import { cosignaturesOf, noteParts, parseCosignatureKey } from '../record/cosignature.ts';
import { decodeBase64 } from '../record/encoding.ts';
import { parseSignerKey, parseVerifierKey } from '../record/keys.ts';
import { KEY_FILE, parseWitnessKey, VKEY_FILE } from './key-file.ts';
import { MAX_BODY_BYTES, startWitness } from './server.ts';
import { WitnessState } from './state.ts';
import { createWitness } from './witness.ts';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request: exactly the headers given (no Content-Type unless named). */
function send(url: string, method: string, path: string, body?: string | Uint8Array, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function started(t: TestContext, logs: Record<string, string>, extra: { dir?: string; name?: string } = {}) {
  const dir = extra.dir ?? tempDir(t, 'detente-witness-');
  const w = await startWitness({ dir, logs, name: extra.name, now: () => 1760000000 });
  t.after(() => w.close());
  return { ...w, dir };
}

test('add-checkpoint over HTTP without a Content-Type: 200 and a cosignature that verifies', async (t) => {
  const log = await testLog();
  const w = await started(t, { [log.origin]: log.vkey });
  await log.grow(5);
  const r = await send(w.url, 'POST', '/add-checkpoint', await log.request(0, 5));
  assert.equal(r.status, 200, r.body);
  assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8');
  assert.equal(cosignaturesOf((await log.checkpoint(5)) + r.body, [parseCosignatureKey(w.vkey)]).get(w.vkey), 1760000000);
  // and with any Content-Type a client cares to send
  await log.grow(6);
  const typed = await send(w.url, 'POST', '/add-checkpoint', await log.request(5, 6), { 'Content-Type': 'application/octet-stream' });
  assert.equal(typed.status, 200, typed.body);
});

test('vectors over HTTP: a witness started with their seed answers their request with their cosignature line', async (t) => {
  const vdir = new URL('../record/testdata/witness/', import.meta.url);
  const v = JSON.parse(readFileSync(new URL('vectors.json', vdir), 'utf8')) as Record<string, string>;
  const origin = 'example.org/detente-test-log';
  const name = v.witnessCosigVkey.split('+')[0];
  const w = await startWitness({
    dir: tempDir(t, 'detente-witness-'),
    name,
    seed: Buffer.from(v.witnessSeedHex, 'hex'),
    logs: { [origin]: v.logVkey },
    now: () => Number(v.cosigTimestamp),
  });
  t.after(() => w.close());
  assert.equal(w.vkey, v.witnessCosigVkey);
  const request = readFileSync(new URL('addcheckpoint-request.txt', vdir), 'utf8');
  // a new witness is at 0: it says so, and the log starts it with the checkpoint at 3
  const first = await send(w.url, 'POST', '/add-checkpoint', request);
  assert.deepEqual([first.status, first.body], [409, '0\n']);
  const logKey = parseSignerKey(
    `PRIVATE+KEY+${origin}+${v.logVkey.split('+')[1]}+${Buffer.concat([Buffer.of(1), Buffer.from(v.logSeedHex, 'hex')]).toString('base64')}`,
  );
  const at3 = signCheckpoint({ origin, size: 3, root: decodeBase64(v.oldRoot, 'root'), extensions: [] }, logKey);
  assert.equal((await send(w.url, 'POST', '/add-checkpoint', formatAddCheckpoint({ old: 0, proof: [], note: at3 }))).status, 200);
  const r = await send(w.url, 'POST', '/add-checkpoint', request);
  assert.equal(r.status, 200, r.body);
  assert.equal(r.body, noteParts(v.note).lines.find((l) => l.name === name)?.line);
});

test('409 over HTTP: exactly "<size>\\n" with Content-Type text/x.tlog.size', async (t) => {
  const log = await testLog();
  const w = await started(t, { [log.origin]: log.vkey });
  await log.grow(9);
  assert.equal((await send(w.url, 'POST', '/add-checkpoint', await log.request(0, 4))).status, 200);
  const r = await send(w.url, 'POST', '/add-checkpoint', await log.request(0, 9));
  assert.equal(r.status, 409);
  assert.equal(r.headers['content-type'], 'text/x.tlog.size');
  assert.equal(r.body, '4\n');
});

test('every status over HTTP: 400, 403, 404, 422', async (t) => {
  const log = await testLog();
  const stranger = await testLog('detente/test/stranger');
  const w = await started(t, { [log.origin]: log.vkey });
  await log.grow(6);
  await stranger.grow(2);
  const post = async (body: string) => (await send(w.url, 'POST', '/add-checkpoint', body)).status;
  assert.equal(await post('old x\n\n'), 400);
  assert.equal(await post((await log.request(0, 6)).replace('old 0', 'old 7')), 400);
  assert.equal(await post(await stranger.request(0, 2)), 404);
  const other = await testLog(log.origin);
  await other.grow(6);
  assert.equal(await post(await other.request(0, 6)), 403);
  assert.equal(await post((await log.request(3, 6)).replace('old 3', 'old 0')), 422);
});

test('a body over the bound is 413, announced or streamed; other paths 404; other methods 405', async (t) => {
  const log = await testLog();
  const w = await started(t, { [log.origin]: log.vkey });
  const big = `old 0\n\n${'x'.repeat(MAX_BODY_BYTES)}`;
  assert.equal((await send(w.url, 'POST', '/add-checkpoint', big)).status, 413);
  assert.equal((await send(w.url, 'POST', '/add-checkpoint', big, { 'Transfer-Encoding': 'chunked' })).status, 413);
  assert.equal((await send(w.url, 'POST', '/', 'old 0\n\n')).status, 404);
  assert.equal((await send(w.url, 'POST', '/add-checkpoint/', 'old 0\n\n')).status, 404);
  assert.equal((await send(w.url, 'GET', '/checkpoint')).status, 404);
  const get = await send(w.url, 'GET', '/add-checkpoint');
  assert.equal(get.status, 405);
  assert.equal(get.headers.allow, 'POST');
  // the witness still works afterwards
  await log.grow(1);
  assert.equal((await send(w.url, 'POST', '/add-checkpoint', await log.request(0, 1))).status, 200);
});

test('its key is made on first start, owner only, and kept; witness.vkey holds the verifier key; another name is refused', async (t) => {
  const dir = join(tempDir(t, 'detente-witness-'), 'w');
  const log = await testLog();
  const first = await startWitness({ dir, logs: { [log.origin]: log.vkey }, name: 'party.example/witness' });
  await first.close();
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(statSync(join(dir, KEY_FILE)).mode & 0o777, 0o600);
  assert.equal(readFileSync(join(dir, VKEY_FILE), 'utf8'), `${first.vkey}\n`);
  assert.equal(parseWitnessKey(readFileSync(join(dir, KEY_FILE), 'utf8').trim()).vkey, first.vkey);
  assert.match(first.vkey, /^party\.example\/witness\+[0-9a-f]{8}\+/);
  const again = await startWitness({ dir, logs: { [log.origin]: log.vkey } });
  assert.equal(again.vkey, first.vkey);
  await again.close();
  await assert.rejects(startWitness({ dir, logs: { [log.origin]: log.vkey }, name: 'someone-else' }), /not "someone-else"/);
});

test('a second witness on the same data directory is refused while the first runs', async (t) => {
  const log = await testLog();
  const w = await started(t, { [log.origin]: log.vkey });
  await assert.rejects(startWitness({ dir: w.dir, logs: { [log.origin]: log.vkey } }), /in use by another witness/);
  assert.ok(existsSync(join(w.dir, KEY_FILE)));
});

test('whatever a client sends, the answer is a 4xx or a cosignature, never a 5xx or a throw', async (t) => {
  const log = await testLog();
  await log.grow(8);
  const state = WitnessState.open(tempDir(t, 'detente-witness-'));
  t.after(() => void state.close());
  const w = await started(t, { [log.origin]: log.vkey });
  const add = createWitness({
    cosigners: [(await import('../record/cosignature.ts')).generateCosigner('w').cosigner],
    logs: new Map([[log.origin, [parseVerifierKey(log.vkey)]]]),
    state,
  });
  const valid = await log.request(0, 8);
  // mutations of a valid body (bytes flipped, cut, spliced) and plain noise
  const bodies = fc.oneof(
    fc.uint8Array({ maxLength: 400 }),
    fc.string({ maxLength: 400 }),
    fc
      .tuple(fc.nat(valid.length), fc.nat(valid.length), fc.string({ maxLength: 8 }))
      .map(([a, b, s]) => valid.slice(0, Math.min(a, b)) + s + valid.slice(Math.max(a, b))),
    fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
      const bytes = Buffer.from(valid);
      bytes[i % bytes.length] ^= x;
      return new Uint8Array(bytes);
    }),
  );
  await fc.assert(
    fc.asyncProperty(bodies, async (body) => {
      const a = await add(body);
      assert.ok([200, 400, 403, 404, 409, 422].includes(a.status), `${a.status}`);
    }),
    { numRuns: 400 },
  );
  // and over HTTP, a sample of the same
  for (const body of fc.sample(bodies, 40)) {
    const r = await send(w.url, 'POST', '/add-checkpoint', body);
    assert.ok(r.status >= 200 && r.status < 500, `${r.status} ${r.body}`);
  }
});
