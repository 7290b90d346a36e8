// A client that remembers: it moves only along consistency proofs from what it
// remembers, with a quorum of witness cosignatures when witnesses are named, and calls
// two signed checkpoints that cannot both hold a fork. Logs and witnesses are made here
// with the record's own code. Run: node --import tsx --test web/src/record/judge-checkpoint.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signCheckpoint } from '../../../src/record/checkpoint.ts';
import { generateCosigner } from '../../../src/record/cosignature.ts';
import { generateKey, parseSignerKey } from '../../../src/record/keys.ts';
import { leafHash, rootOf } from '../../../src/record/merkle.ts';
import { consistencyRanges } from '../../../src/record/proofs.ts';
import { judgeCheckpoint } from './judge-checkpoint.ts';

const ORIGIN = 'detente/test/southern-syria';
const logSigner = parseSignerKey(generateKey('detente-log').skey);
const log = logSigner.verifier;

function history(tag: string, n: number) {
  const leaves = Array.from({ length: n }, (_, i) => leafHash(new TextEncoder().encode(`${tag} entry ${i}`)));
  return {
    note: (size: number) => signCheckpoint({ origin: ORIGIN, size, root: rootOf(leaves.slice(0, size)), extensions: [] }, logSigner),
    consistency: async (m: number, k: number) => consistencyRanges(m, k).map((r) => rootOf(leaves.slice(r.lo, r.hi))),
  };
}

const honest = history('a', 40);
// A second history sharing the first 10 entries, then differing.
const other = {
  note: (size: number) => {
    const leaves = Array.from({ length: size }, (_, i) => leafHash(new TextEncoder().encode(i < 10 ? `a entry ${i}` : `b entry ${i}`)));
    return signCheckpoint({ origin: ORIGIN, size, root: rootOf(leaves), extensions: [] }, logSigner);
  },
  consistency: async (m: number, k: number) => {
    const leaves = Array.from({ length: k }, (_, i) => leafHash(new TextEncoder().encode(i < 10 ? `a entry ${i}` : `b entry ${i}`)));
    return consistencyRanges(m, k).map((r) => rootOf(leaves.slice(r.lo, r.hi)));
  },
};

test('the first checkpoint is taken; a later one only with a proof from the remembered one', async () => {
  const first = await judgeCheckpoint({ offered: honest.note(5), log, consistency: honest.consistency });
  assert.equal(first.kind, 'first');
  for (const to of [6, 8, 16, 33, 40]) {
    const v = await judgeCheckpoint({ offered: honest.note(to), remembered: honest.note(5), log, consistency: honest.consistency });
    assert.equal(v.kind, 'advanced', `5 → ${to}`);
  }
  assert.equal((await judgeCheckpoint({ offered: honest.note(5), remembered: honest.note(5), log, consistency: honest.consistency })).kind, 'same');
  assert.equal((await judgeCheckpoint({ offered: honest.note(3), remembered: honest.note(20), log, consistency: honest.consistency })).kind, 'older');
});

test('a second history signed with the same log key is a fork, both ways and at equal size', async () => {
  for (const [rem, off] of [
    [honest.note(12), other.note(20)],
    [honest.note(20), other.note(12)],
    [honest.note(15), other.note(15)],
  ]) {
    const v = await judgeCheckpoint({ offered: off, remembered: rem, log, consistency: other.consistency });
    assert.equal(v.kind, 'fork');
    if (v.kind === 'fork') {
      assert.equal(v.remembered, rem);
      assert.equal(v.offered, off);
    }
  }
  // Both histories agree on their first 10 entries: no fork there.
  assert.equal((await judgeCheckpoint({ offered: other.note(20), remembered: honest.note(10), log, consistency: other.consistency })).kind, 'advanced');
  // A log that answers with the honest proof for the forked checkpoint convinces nobody either.
  assert.equal((await judgeCheckpoint({ offered: other.note(20), remembered: honest.note(12), log, consistency: honest.consistency })).kind, 'fork');
});

test('no proof to be had, or a checkpoint not signed by the log: refused, not a fork, nothing moves', async () => {
  const v = await judgeCheckpoint({
    offered: honest.note(9),
    remembered: honest.note(5),
    log,
    consistency: async () => {
      throw new Error('503');
    },
  });
  assert.equal(v.kind, 'refused');
  const stranger = parseSignerKey(generateKey('detente-log').skey);
  const forged = signCheckpoint({ origin: ORIGIN, size: 9, root: new Uint8Array(32), extensions: [] }, stranger);
  assert.equal((await judgeCheckpoint({ offered: forged, remembered: honest.note(5), log, consistency: honest.consistency })).kind, 'refused');
});

test('with witnesses named, a checkpoint needs a quorum of valid cosignatures', async () => {
  const ws = ['il-witness', 'sy-witness', 'us-witness'].map((n) => generateCosigner(n).cosigner);
  const policy = { quorum: 2, keys: ws.map((w) => w.vkey) };
  const note = honest.note(7);
  const text = note.slice(0, note.indexOf('\n\n') + 1);
  const cosigned = (by: typeof ws) => note + by.map((w) => w.cosign(text, 1_767_000_000)).join('');
  const one = await judgeCheckpoint({ offered: cosigned(ws.slice(0, 1)), remembered: honest.note(5), log, witnesses: policy, consistency: honest.consistency });
  assert.equal(one.kind, 'refused');
  assert.match((one as { why: string }).why, /1 of the 2/);
  const two = await judgeCheckpoint({ offered: cosigned(ws.slice(1)), remembered: honest.note(5), log, witnesses: policy, consistency: honest.consistency });
  assert.equal(two.kind, 'advanced');
  if (two.kind === 'advanced') assert.deepEqual([...two.cosigners.keys()].sort(), [ws[1].vkey, ws[2].vkey].sort());
  // A cosignature of another checkpoint, pasted under this one, does not count.
  const otherNote = other.note(12);
  const otherText = otherNote.slice(0, otherNote.indexOf('\n\n') + 1);
  const pasted = note + ws[0].cosign(text, 1) + ws[1].cosign(otherText, 1);
  assert.equal((await judgeCheckpoint({ offered: pasted, log, witnesses: policy, consistency: honest.consistency })).kind, 'refused');
});
