// The follower as its party's witness: a server whose arrangement names it (quorum 1)
// submits its checkpoints to it and gets cosignatures, each for a checkpoint the
// follower had verified; a checkpoint signed by the log key but not matching the
// mirrored tree is refused.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FollowClient } from '../src/follow/client.ts';
import { Follower } from '../src/follow/follower.ts';
import { followerWitness, startFollowerWitness } from '../src/follow/witness.ts';
import { formatAddCheckpoint } from '../src/record/add-checkpoint.ts';
import { openCheckpoint, signCheckpoint } from '../src/record/checkpoint.ts';
import { cosignaturesOf, cosignerFromSeed, parseCosignatureKey } from '../src/record/cosignature.ts';
import { readSignerKeyFile } from '../src/record/key-file.ts';
import { formatWitnessKey } from '../src/witness/key-file.ts';
import { listen, postReports } from './helpers/follow-server.ts';
import { BASE, ID } from './helpers/server.ts';
import { eventually, startWitnessedServer, witnessedSource } from './helpers/test-witness.ts';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

test('a server pointed at the follower as its witness gets cosignatures, only for what the follower verified', async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'detente-follow-witness-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const seed = randomBytes(32);
  const name = 'w-il';
  const keyFile = join(tmp, 'witness.key');
  writeFileSync(keyFile, `${formatWitnessKey(name, seed)}\n`, { mode: 0o600 });
  const vkey = cosignerFromSeed(name, seed).vkey;
  const port = await freePort();

  const s = await startWitnessedServer({
    dir: join(tmp, 'server'),
    source: witnessedSource([{ name, vkey }], 1),
    urls: new Map([[name, `http://127.0.0.1:${port}`]]),
  });
  t.after(() => s.destroy());
  const url = await listen(s);
  const follower = new Follower({ dir: join(tmp, 'follower'), url, arrangement: ID, token: s.tokens.il });
  const witness = await startFollowerWitness({ follower, keyFile, port, host: '127.0.0.1' });
  t.after(async () => {
    await witness.close();
    await follower.close();
  });
  assert.equal(witness.vkey, vkey);

  await postReports(s, 3);
  const size = s.deployment.log.size;
  const note = await eventually('a witnessed checkpoint covering every entry', 10_000, async () => {
    const res = await s.as('il', 'GET', `${BASE}/record/checkpoint`);
    if (res.statusCode !== 200) return undefined;
    const n = res.body;
    return Number(n.split('\n')[1]) >= size ? n : undefined;
  });
  assert.equal(cosignaturesOf(note, [parseCosignatureKey(vkey)]).size, 1, 'cosigned by the follower');
  const cp = openCheckpoint(note, s.deployment.log.verifierKey);
  const verified = follower.verified!;
  assert.ok(verified.size >= cp.size, 'the follower had verified what it cosigned');
  assert.equal(Buffer.from(await follower.rootAt(cp.size)).toString('hex'), Buffer.from(cp.root).toString('hex'));
  assert.deepEqual(follower.stopped, undefined);

  // A follower of its own reads the witnessed checkpoint and finds its quorum there…
  const plain = new Follower({ dir: join(tmp, 'plain'), url, arrangement: ID, token: s.tokens.sy });
  t.after(() => plain.close());
  const r = await plain.round();
  assert.deepEqual(r.discrepancies, []);
  assert.equal(cosignaturesOf(plain.verified!.checkpoint, [parseCosignatureKey(vkey)]).size, 1);
  // …and one whose server serves a checkpoint as witnessed without the cosignature records it.
  const strip: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    if (!String(input).endsWith('/record/checkpoint')) return res;
    const text = (await res.text()).replace(new RegExp(`^— ${name} .*\n`, 'm'), '');
    return new Response(text, { status: res.status, headers: res.headers });
  };
  const lied = new Follower({
    dir: join(tmp, 'lied'),
    url,
    arrangement: ID,
    token: s.tokens.sy,
    client: new FollowClient({ url, arrangement: ID, token: s.tokens.sy, fetch: strip }),
  });
  t.after(() => lied.close());
  const l = await lied.round();
  assert.deepEqual(
    l.discrepancies.map((d) => d.kind),
    ['witness-quorum'],
  );
  assert.match(l.discrepancies[0].detail, /0 of the 1 witness cosignature/);
});

test('a checkpoint the log signed with another root than the mirrored tree is refused', async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'detente-follow-witness-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const seed = randomBytes(32);
  const keyFile = join(tmp, 'witness.key');
  writeFileSync(keyFile, `${formatWitnessKey('w-sy', seed)}\n`, { mode: 0o600 });
  const s = await startWitnessedServer({ dir: join(tmp, 'server'), source: witnessedSource([{ name: 'w-sy', vkey: cosignerFromSeed('w-sy', seed).vkey }], 1) });
  t.after(() => s.destroy());
  const url = await listen(s);
  await postReports(s, 2);
  const follower = new Follower({ dir: join(tmp, 'follower'), url, arrangement: ID, token: s.tokens.sy, latest: true });
  const w = await followerWitness({ follower, keyFile });
  t.after(async () => {
    await w.close();
    await follower.close();
  });
  const r = await follower.round();
  assert.deepEqual(r.discrepancies, []);
  const logSigner = readSignerKeyFile(join(s.dir, 'keys', 'log.key'));
  const honest = r.size;
  const forged = signCheckpoint({ origin: logSigner.verifier.name, size: honest, root: randomBytes(32), extensions: [] }, logSigner);
  const refused = await w.add(formatAddCheckpoint({ old: 0, proof: [], note: forged }));
  assert.equal(refused.status, 422, refused.body);
  assert.match(refused.body, /another root/);
  const good = await w.add(formatAddCheckpoint({ old: 0, proof: [], note: follower.verified!.checkpoint }));
  assert.equal(good.status, 200, good.body);
});
