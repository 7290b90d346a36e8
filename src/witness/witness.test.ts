// The witness's answers, C2SP tlog-witness v1.0.0: the other implementation's vectors,
// then every status in a test of its own, with checkpoints and proofs from a real log.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { type TestContext, test } from 'node:test';
import fc from 'fast-check';
import { makeEntries, newSigner, tempDir } from '../../test/helpers/record-fixtures.ts';
import { testLog } from '../../test/helpers/witness-log.ts';
import { formatAddCheckpoint, parseAddCheckpoint } from '../record/add-checkpoint.ts';
import { signCheckpoint } from '../record/checkpoint.ts';
import { cosignaturesOf, cosignerFromSeed, generateCosigner, noteParts, parseCosignatureKey } from '../record/cosignature.ts';
import { decodeBase64 } from '../record/encoding.ts';
import { parseSignerKey, parseVerifierKey } from '../record/keys.ts';
import { WitnessState } from './state.ts';
import { type AddCheckpoint, createWitness, type WitnessAnswer } from './witness.ts';

const vdir = new URL('../record/testdata/witness/', import.meta.url);
const v = JSON.parse(readFileSync(new URL('vectors.json', vdir), 'utf8')) as {
  logVkey: string;
  logSeedHex: string;
  witnessCosigVkey: string;
  witnessSeedHex: string;
  oldSize: number;
  oldRoot: string;
  cosigTimestamp: number;
  note: string;
};
const vectorRequest = readFileSync(new URL('addcheckpoint-request.txt', vdir), 'utf8');
const VECTOR_ORIGIN = 'example.org/detente-test-log';

function open(t: TestContext, logs: Record<string, string[]>, now: () => number = () => 1700000000) {
  const state = WitnessState.open(tempDir(t, 'detente-witness-'));
  t.after(() => void state.close());
  const { cosigner } = generateCosigner('w.example/one');
  const add = createWitness({
    cosigners: [cosigner],
    logs: new Map(Object.entries(logs).map(([o, ks]) => [o, ks.map((k) => parseVerifierKey(k))])),
    state,
    now,
  });
  return { state, add, cosigner, verifier: parseCosignatureKey(cosigner.vkey) };
}

function assertCosigned(answer: WitnessAnswer, note: string, verifier: ReturnType<typeof parseCosignatureKey>, time?: number): void {
  assert.equal(answer.status, 200, answer.body);
  assert.equal(answer.contentType, 'text/plain; charset=utf-8');
  assert.match(answer.body, /^(— \S+ \S+\n)+$/);
  const got = cosignaturesOf(note + answer.body, [verifier]);
  assert.equal(got.size, 1, 'the answer is a valid cosignature of the checkpoint');
  if (time !== undefined) assert.equal(got.get(verifier.vkey), time);
}

function assert409(answer: WitnessAnswer, size: number): void {
  assert.equal(answer.status, 409, answer.body);
  assert.equal(answer.contentType, 'text/x.tlog.size');
  assert.equal(answer.body, `${size}\n`);
}

test('vectors: at size 3 with their old root, the vector request is answered with exactly their cosignature line', async (t) => {
  const state = WitnessState.open(tempDir(t, 'detente-witness-'));
  t.after(() => void state.close());
  const name = v.witnessCosigVkey.split('+')[0];
  const cosigner = cosignerFromSeed(name, Buffer.from(v.witnessSeedHex, 'hex'));
  assert.equal(cosigner.vkey, v.witnessCosigVkey);
  const add = createWitness({ cosigners: [cosigner], logs: new Map([[VECTOR_ORIGIN, [parseVerifierKey(v.logVkey)]]]), state, now: () => v.cosigTimestamp });
  // Reach size 3 the way a log would: old 0 and the log's checkpoint at 3.
  const logKey = parseSignerKey(
    `PRIVATE+KEY+${VECTOR_ORIGIN}+${v.logVkey.split('+')[1]}+${Buffer.concat([Buffer.of(1), Buffer.from(v.logSeedHex, 'hex')]).toString('base64')}`,
  );
  const at3 = signCheckpoint({ origin: VECTOR_ORIGIN, size: v.oldSize, root: decodeBase64(v.oldRoot, 'root'), extensions: [] }, logKey);
  assert.equal((await add(formatAddCheckpoint({ old: 0, proof: [], note: at3 }))).status, 200);
  assert.deepEqual(state.get(VECTOR_ORIGIN)?.root, decodeBase64(v.oldRoot, 'root'));

  const answer = await add(vectorRequest);
  const theirs = noteParts(v.note).lines.find((l) => l.name === name);
  assert.ok(theirs);
  assert.equal(answer.status, 200);
  assert.equal(answer.body, theirs.line);
  assert.equal(state.get(VECTOR_ORIGIN)?.size, 7);
  // and it verifies under their key, as the other side checks it
  assert.equal(cosignaturesOf(parseAddCheckpoint(vectorRequest).note + answer.body, [parseCosignatureKey(v.witnessCosigVkey)]).size, 1);
});

test('200: a log growing step by step is cosigned at each step, with the clock’s time, and its state follows', async (t) => {
  const log = await testLog();
  let now = 1750000000;
  const { add, state, verifier } = open(t, { [log.origin]: [log.vkey] }, () => now);
  let old = 0;
  for (const size of [1, 2, 5, 16, 17, 100, 257]) {
    await log.grow(size);
    now += 7;
    const answer = await add(await log.request(old, size));
    assertCosigned(answer, await log.checkpoint(size), verifier, now);
    assert.equal(state.get(log.origin)?.size, size);
    assert.deepEqual(state.get(log.origin)?.root, Uint8Array.from(await log.log.rootAt(size)));
    old = size;
  }
  assert.equal(state.get(log.origin)?.note, await log.checkpoint(257));
});

test('200: the checkpoint already cosigned, resent (old = size = stored), is cosigned afresh', async (t) => {
  const log = await testLog();
  let now = 1750000000;
  const { add, verifier } = open(t, { [log.origin]: [log.vkey] }, () => now);
  await log.grow(9);
  assert.equal((await add(await log.request(0, 9))).status, 200);
  now += 60;
  assertCosigned(await add(await log.request(9, 9)), await log.checkpoint(9), verifier, now);
});

test('200: the first checkpoint of a log (old 0, no proof) is taken on trust, and so is the empty tree', async (t) => {
  const log = await testLog();
  const { add, verifier, state } = open(t, { [log.origin]: [log.vkey] });
  assertCosigned(await add(await log.request(0, 0)), await log.checkpoint(0), verifier);
  assert.equal(state.get(log.origin)?.size, 0);
  await log.grow(4);
  assertCosigned(await add(await log.request(0, 4)), await log.checkpoint(4), verifier);
});

test('400: malformed bodies, each named', async (t) => {
  const log = await testLog();
  const { add } = open(t, { [log.origin]: [log.vkey] });
  await log.grow(3);
  const good = await log.request(0, 3);
  const note = await log.checkpoint(3);
  const bodies: [string, string | Uint8Array][] = [
    ['empty', ''],
    ['no old line', note],
    ['old with a leading zero', `old 03\n\n${note}`],
    ['old negative', `old -1\n\n${note}`],
    ['proof line not base64', `old 0\nnot base64!\n\n${note}`],
    ['proof hash of 31 bytes', `old 0\n${Buffer.alloc(31).toString('base64')}\n\n${note}`],
    ['64 proof lines', `old 0\n${`${Buffer.alloc(32).toString('base64')}\n`.repeat(64)}\n${note}`],
    ['no blank line after the proof', good.replace('\n\n', '\n')],
    ['a checkpoint without a size', `old 0\n\n${log.origin}\nx\n${Buffer.alloc(32).toString('base64')}\n\n— a b\n`],
    ['a note without signatures block', `old 0\n\n${log.origin}\n3\n`],
    ['not UTF-8', Buffer.concat([Buffer.from('old 0\n\n'), Buffer.of(0xff, 0xfe), Buffer.from(note)])],
  ];
  for (const [what, body] of bodies) {
    const a = await add(body);
    assert.equal(a.status, 400, `${what}: ${a.status} ${a.body}`);
    assert.equal(a.contentType, 'text/plain; charset=utf-8');
    assert.ok(a.body.length > 1, `${what}: the answer says why`);
  }
  // none of them changed anything: the good request is still the first
  assert.equal((await add(good)).status, 200);
});

test('400: old larger than the checkpoint size', async (t) => {
  const log = await testLog();
  const { add, state } = open(t, { [log.origin]: [log.vkey] });
  await log.grow(3);
  const a = await add(formatAddCheckpoint({ old: 4, proof: [], note: await log.checkpoint(3) }));
  assert.equal(a.status, 400);
  assert.match(a.body, /old size 4 is larger than the checkpoint's size 3/);
  assert.equal(state.get(log.origin), undefined);
});

test('403: a checkpoint signed by a key the witness does not trust for that origin', async (t) => {
  const log = await testLog();
  const { add, state } = open(t, { [log.origin]: [log.vkey] });
  await log.grow(3);
  // same origin, same key name, another key: the split-view log with a second key
  const impostor = newSigner(log.origin);
  const forged = signCheckpoint({ origin: log.origin, size: 3, root: await log.log.rootAt(3), extensions: [] }, impostor);
  const a = await add(formatAddCheckpoint({ old: 0, proof: [], note: forged }));
  assert.equal(a.status, 403, a.body);
  assert.match(a.body, /no signature by a known key/);
  assert.equal(state.get(log.origin), undefined);
});

test('403: a trusted key whose signature fails (the checkpoint changed under it)', async (t) => {
  const log = await testLog();
  const { add } = open(t, { [log.origin]: [log.vkey] });
  await log.grow(5);
  const honest = await log.checkpoint(5);
  const other = await testLog(log.origin);
  await other.grow(5);
  const otherRoot = noteParts(await other.checkpoint(5)).text.split('\n')[2];
  const tampered = honest.replace(honest.split('\n')[2], otherRoot);
  assert.notEqual(tampered, honest);
  const a = await add(formatAddCheckpoint({ old: 0, proof: [], note: tampered }));
  assert.equal(a.status, 403, a.body);
  assert.match(a.body, /invalid signature/);
  // a valid signature beside the failing one does not save it
  const both = `${tampered}${noteParts(await other.checkpoint(5)).lines[0].line}`;
  assert.equal((await add(formatAddCheckpoint({ old: 0, proof: [], note: both }))).status, 403);
});

test('404: a log the witness does not serve', async (t) => {
  const log = await testLog('detente/test/other');
  const served = await testLog();
  const { add } = open(t, { [served.origin]: [served.vkey] });
  await log.grow(2);
  const a = await add(await log.request(0, 2));
  assert.equal(a.status, 404);
  assert.match(a.body, /unknown log origin "detente\/test\/other"/);
});

test('409: old is not the stored size; the body is the size, as text/x.tlog.size', async (t) => {
  const log = await testLog();
  const { add } = open(t, { [log.origin]: [log.vkey] });
  await log.grow(20);
  assert409(await add(await log.request(4, 10)), 0);
  assert.equal((await add(await log.request(0, 10))).status, 200);
  assert409(await add(await log.request(0, 20)), 10); // behind
  assert409(await add(await log.request(12, 20)), 10); // ahead
  assert.equal((await add(await log.request(10, 20))).status, 200);
});

test('422: a consistency proof that does not verify', async (t) => {
  const log = await testLog();
  const { add, state } = open(t, { [log.origin]: [log.vkey] });
  await log.grow(13);
  assert.equal((await add(await log.request(0, 6))).status, 200);
  const req = parseAddCheckpoint(await log.request(6, 13));
  const flipped = req.proof.map((h, i) => (i === 1 ? Uint8Array.from(h, (b, j) => (j === 0 ? b ^ 1 : b)) : h));
  const a = await add(formatAddCheckpoint({ ...req, proof: flipped }));
  assert.equal(a.status, 422, a.body);
  assert.match(a.body, /consistency proof from 6 to 13 does not verify/);
  // a proof for other sizes, and a missing proof, fail too
  assert.equal((await add(formatAddCheckpoint({ ...req, proof: await log.log.consistencyProof(5, 13) }))).status, 422);
  assert.equal((await add(formatAddCheckpoint({ ...req, proof: [] }))).status, 422);
  assert.equal(state.get(log.origin)?.size, 6);
});

test('422: a second history signed with the same log key: no proof from what the witness saw can join it', async (t) => {
  const log = await testLog();
  const { add, state } = open(t, { [log.origin]: [log.vkey] });
  await log.grow(8);
  assert.equal((await add(await log.request(0, 5))).status, 200);
  // the operator replays a different history under the same key and origin
  const fork = await openForkedLog(log);
  const a = await add(await fork.request(5, 8));
  assert.equal(a.status, 422, a.body);
  // the fork's signed checkpoint is kept as evidence; the honest state is unchanged
  assert.deepEqual(
    state.refusedCheckpoints(log.origin).map((r) => r.note),
    [await fork.checkpoint(8)],
  );
  assert.equal(state.get(log.origin)?.size, 5);
});

/** A log with other entries, signed with `honest`'s key: the split view. */
async function openForkedLog(honest: Awaited<ReturnType<typeof testLog>>) {
  const { openLog } = await import('../record/log.ts');
  const { MemoryStore } = await import('../store/memory.ts');
  const { signCheckpoint: sign } = await import('../record/checkpoint.ts');
  const log = await openLog({ store: new MemoryStore(), origin: honest.origin, logSigner: honest.signer, checkpointIntervalMs: 1 });
  await Promise.all(makeEntries(8, [newSigner('sy')], 1000).map((e) => log.append(e)));
  return {
    async request(old: number, size: number) {
      const note = sign({ origin: honest.origin, size, root: await log.rootAt(size), extensions: [] }, honest.signer);
      return formatAddCheckpoint({ old, proof: await log.consistencyProof(old, size), note });
    },
    async checkpoint(size: number) {
      return sign({ origin: honest.origin, size, root: await log.rootAt(size), extensions: [] }, honest.signer);
    },
  };
}

test('422: old 0 with a proof', async (t) => {
  const log = await testLog();
  const { add, state } = open(t, { [log.origin]: [log.vkey] });
  await log.grow(6);
  const a = await add(formatAddCheckpoint({ old: 0, proof: await log.log.consistencyProof(3, 6), note: await log.checkpoint(6) }));
  assert.equal(a.status, 422, a.body);
  assert.match(a.body, /old size 0 takes an empty proof/);
  assert.equal(state.get(log.origin), undefined);
});

test('422: the same size as stored with another root (this witness answers 422, not v1.0.0’s 409)', async (t) => {
  const log = await testLog();
  const { add, state } = open(t, { [log.origin]: [log.vkey] });
  await log.grow(8);
  assert.equal((await add(await log.request(0, 8))).status, 200);
  const fork = await openForkedLog(log);
  const a = await add(formatAddCheckpoint({ old: 8, proof: [], note: await fork.checkpoint(8) }));
  assert.equal(a.status, 422, a.body);
  assert.match(a.body, /forked/);
  assert.deepEqual(state.get(log.origin)?.root, Uint8Array.from(await log.log.rootAt(8)));
  // both halves of the split view are on the witness's disk: the cosigned one and the fork
  assert.equal(state.get(log.origin)?.note, await log.checkpoint(8));
  assert.deepEqual(
    state.refusedCheckpoints(log.origin).map((r) => r.note),
    [await fork.checkpoint(8)],
  );
});

test('422: a checkpoint of size 0 whose root is not the empty tree’s', async (t) => {
  const log = await testLog();
  const { add } = open(t, { [log.origin]: [log.vkey] });
  await log.grow(1);
  const note = signCheckpoint({ origin: log.origin, size: 0, root: await log.log.rootAt(1), extensions: [] }, log.signer);
  assert.equal((await add(formatAddCheckpoint({ old: 0, proof: [], note }))).status, 422);
});

test('several keys for one log: a checkpoint signed by any of them is taken; logs are kept apart', async (t) => {
  const a = await testLog('detente/test/a');
  const b = await testLog('detente/test/b');
  const spare = newSigner('detente/test/a');
  const { add, state } = open(t, { [a.origin]: [spare.verifier.vkey, a.vkey], [b.origin]: [b.vkey] });
  await a.grow(3);
  await b.grow(7);
  assert.equal((await add(await a.request(0, 3))).status, 200);
  assert.equal((await add(await b.request(0, 7))).status, 200);
  // b's key does not sign for a
  const crossed = signCheckpoint({ origin: a.origin, size: 3, root: await a.log.rootAt(3), extensions: [] }, b.signer);
  assert.equal((await add(formatAddCheckpoint({ old: 3, proof: [], note: crossed }))).status, 403);
  assert.equal(state.get(a.origin)?.size, 3);
  assert.equal(state.get(b.origin)?.size, 7);
});

async function race(add: AddCheckpoint, bodies: string[]): Promise<WitnessAnswer[]> {
  return Promise.all(bodies.map((b) => add(b)));
}

test('concurrent requests for one log: one is cosigned, the others told the new size; never a rollback', async (t) => {
  const log = await testLog();
  const { add, state } = open(t, { [log.origin]: [log.vkey] });
  await log.grow(40);
  assert.equal((await add(await log.request(0, 10))).status, 200);
  // from 10 to 11, 20, 30, 40 at once, in this order: the first wins
  const answers = await race(add, await Promise.all([11, 20, 30, 40].map((n) => log.request(10, n))));
  assert.deepEqual(
    answers.map((a) => a.status),
    [200, 409, 409, 409],
  );
  for (const a of answers.slice(1)) assert409(a, 11);
  assert.equal(state.get(log.origin)?.size, 11);
  // a smaller checkpoint sent after a bigger one never rolls the state back
  assert.equal((await add(await log.request(11, 30))).status, 200);
  assert409(await add(await log.request(11, 20)), 30);
  assert.equal(state.get(log.origin)?.size, 30);
});

test('concurrent requests for one log answer exactly as if served one at a time, in arrival order', async (t) => {
  const log = await testLog();
  const N = 8;
  await log.grow(N);
  const bodies = new Map<string, string>();
  for (let old = 0; old <= N; old++) for (let size = old; size <= N; size++) bodies.set(`${old} ${size}`, await log.request(old, size));
  const pairs = fc.array(
    fc.tuple(fc.nat(N), fc.nat(N)).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const),
    { minLength: 1, maxLength: 30 },
  );
  await fc.assert(
    fc.asyncProperty(pairs, async (reqs) => {
      const { add, state } = open(t, { [log.origin]: [log.vkey] });
      const answers = await Promise.all(reqs.map(([old, size]) => add(bodies.get(`${old} ${size}`)!)));
      let size = 0;
      for (const [i, [old, next]] of reqs.entries()) {
        if (old !== size) assert.deepEqual([answers[i].status, answers[i].body], [409, `${size}\n`], `request ${i}`);
        else {
          assert.equal(answers[i].status, 200, `request ${i}: ${answers[i].body}`);
          size = next;
        }
      }
      assert.equal(state.get(log.origin)?.size ?? 0, size);
      await state.close();
    }),
    { numRuns: 60 },
  );
});
