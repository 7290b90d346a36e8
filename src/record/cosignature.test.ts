// Cosignatures against another implementation's vectors (../shared/vectors/witness,
// copied to testdata/witness): the same key IDs, the same signed message, the same
// signature bytes (Ed25519 is deterministic), and the other side's line verifies here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { formatAddCheckpoint, parseAddCheckpoint } from './add-checkpoint.ts';
import { openCheckpoint } from './checkpoint.ts';
import { cosignaturesOf, cosignedMessage, cosignerFromSeed, generateCosigner, noteParts, parseCosignatureKey } from './cosignature.ts';
import { decodeBase64 } from './encoding.ts';
import { parseSignerKey } from './keys.ts';
import { signNote } from './note.ts';

const dir = new URL('./testdata/witness/', import.meta.url);
const v = JSON.parse(readFileSync(new URL('vectors.json', dir), 'utf8')) as Record<string, unknown> & {
  logVkey: string;
  witnessCosigVkey: string;
  witnessSeedHex: string;
  logSeedHex: string;
  oldSize: number;
  proof: string[];
  cosigTimestamp: number;
  cosignedMessage: string;
  note: string;
};
const request = readFileSync(new URL('addcheckpoint-request.txt', dir), 'utf8');
const witnessName = v.witnessCosigVkey.split('+')[0];
const checkpointText = noteParts(v.note).text;

test('our cosigner from the vector seed has the vector verifier key and signs the same line', () => {
  const c = cosignerFromSeed(witnessName, Buffer.from(v.witnessSeedHex, 'hex'));
  assert.equal(c.vkey, v.witnessCosigVkey);
  assert.equal(Buffer.from(cosignedMessage(checkpointText, v.cosigTimestamp)).toString(), v.cosignedMessage);
  const theirs = noteParts(v.note).lines.find((l) => l.name === witnessName);
  assert.equal(c.cosign(checkpointText, v.cosigTimestamp), theirs?.line);
});

test("the other implementation's cosignature verifies, and nothing else does", () => {
  const w = parseCosignatureKey(v.witnessCosigVkey);
  assert.deepEqual([...cosignaturesOf(v.note, [w])], [[w.vkey, v.cosigTimestamp]]);
  // the log's own signature line is not a cosignature, even under the log's name
  const underLogName = parseCosignatureKey(generateCosigner('example.org/detente-test-log').cosigner.vkey);
  assert.equal(cosignaturesOf(v.note, [underLogName]).size, 0);
  // another checkpoint text under the same line does not verify
  const forged = v.note.replace('\n7\n', '\n8\n');
  assert.equal(cosignaturesOf(forged, [w]).size, 0);
  // and the log's signature still opens the note with the cosignature beside it
  assert.equal(Number(openCheckpoint(v.note, v.logVkey).size), 7);
});

test('a log key (type 0x01) is refused as a witness key, and a wrong key ID is named', () => {
  assert.throws(() => parseCosignatureKey(v.logVkey), /0x04/);
  const [name, id] = v.witnessCosigVkey.split('+');
  const key = v.witnessCosigVkey.slice(name.length + id.length + 2);
  assert.throws(() => parseCosignatureKey(`${name}+00000000+${key}`), /key ID 00000000 does not match/);
});

test('the add-checkpoint body: ours is byte for byte the vector, and parses back', () => {
  const log = parseSignerKey(
    `PRIVATE+KEY+example.org/detente-test-log+${v.logVkey.split('+')[1]}+${Buffer.concat([Buffer.of(1), Buffer.from(v.logSeedHex, 'hex')]).toString('base64')}`,
  );
  const note = signNote(checkpointText, log);
  const body = formatAddCheckpoint({ old: v.oldSize, proof: v.proof.map((p) => decodeBase64(p, 'proof')), note });
  assert.equal(body, request);
  const back = parseAddCheckpoint(request);
  assert.equal(back.old, 3);
  assert.deepEqual(
    back.proof.map((p) => Buffer.from(p).toString('base64')),
    v.proof,
  );
  assert.equal(back.note, note);
});

test('malformed add-checkpoint bodies are refused naming why', () => {
  for (const [body, why] of [
    ['', /no "old" line/],
    ['old -1\n\nx', /old <size>/],
    ['old 01\n\nx', /old <size>/],
    ['old 3\nnot base64!\n\nx', /proof line 1 is not base64/],
    ['old 3\nAAAA\n\nx', /proof line 1 is not a 32-byte hash/],
    ['old 3\n', /no blank line/],
    [`old 3\n${`${Buffer.alloc(32).toString('base64')}\n`.repeat(64)}\nx`, /more than 63/],
  ] as const)
    assert.throws(() => parseAddCheckpoint(body), why, JSON.stringify(body));
});
