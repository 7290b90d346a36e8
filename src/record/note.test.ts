import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RecordError } from './errors.ts';
import { generateKey, parseSignerKey, parseVerifierKey } from './keys.ts';
import { openNote, signNote } from './note.ts';

const v = JSON.parse(readFileSync(new URL('./testdata/signed-note.json', import.meta.url), 'utf8')) as {
  signerKey: string;
  verifierKey: string;
  text: string;
  signedNote: string;
  otherVerifierKey: string;
  otherSignatureLine: string;
  mustReject: Array<{ why: string; note: string }>;
};

test('signing reproduces Go’s signed note byte for byte (Ed25519 is deterministic)', () => {
  assert.equal(signNote(v.text, parseSignerKey(v.signerKey)), v.signedNote);
});

test('the Go note opens under its key', () => {
  const n = openNote(v.signedNote, v.verifierKey);
  assert.equal(n.text, v.text);
  assert.deepEqual(
    n.signatures.map((s) => [s.name, s.keyHash]),
    [['PeterNeumann', 0xc74f20a3]],
  );
  assert.deepEqual(n.unverified, []);
  assert.equal(openNote(new TextEncoder().encode(v.signedNote), [parseVerifierKey(v.verifierKey)]).text, v.text);
});

test('Go’s must-reject notes are rejected', () => {
  for (const { why, note } of v.mustReject) {
    assert.throws(
      () => openNote(note, v.verifierKey),
      (e: unknown) => e instanceof RecordError && /malformed note/.test(e.message),
      why,
    );
  }
});

test('signatures by unknown keys are set aside; one known signature is enough', () => {
  const both = v.signedNote + v.otherSignatureLine;
  const n = openNote(both, v.verifierKey);
  assert.equal(n.signatures.length, 1);
  assert.deepEqual(
    n.unverified.map((s) => s.name),
    ['EnochRoot'],
  );
  const m = openNote(both, [v.verifierKey, v.otherVerifierKey]);
  assert.deepEqual(
    m.signatures.map((s) => s.name),
    ['PeterNeumann', 'EnochRoot'],
  );
  // Only unknown keys: no verifiable signature.
  assert.throws(
    () => openNote(v.signedNote, v.otherVerifierKey),
    (e: unknown) => e instanceof RecordError && e.code === 'bad-signature' && /no signature by a known key/.test(e.message),
  );
  // Repeated lines are dropped, as Go does.
  assert.equal(openNote(both + v.otherSignatureLine, v.verifierKey).unverified.length, 1);
  assert.equal(openNote(v.signedNote + v.signedNote.slice(v.text.length + 1), v.verifierKey).signatures.length, 1);
});

test('a known key with a bad signature rejects the note', () => {
  const tampered = v.signedNote.replace('is the answer', 'is an answer');
  assert.throws(
    () => openNote(tampered, v.verifierKey),
    (e: unknown) => e instanceof RecordError && e.code === 'bad-signature' && /invalid signature by key PeterNeumann/.test(e.message),
  );
  // …even when another, unknown signature is present.
  assert.throws(() => openNote(tampered + v.otherSignatureLine, v.verifierKey), /invalid signature/);
});

test('text rules: UTF-8, no control characters, final newline', () => {
  const signer = parseSignerKey(v.signerKey);
  assert.throws(() => signNote('no newline', signer), /must end with a newline/);
  assert.throws(() => signNote('tab\there\n', signer), /control character U\+0009/);
  assert.throws(() => openNote(v.signedNote.replace('If', 'I\rf'), v.verifierKey), /control character U\+000d/);
  const bytes = new TextEncoder().encode(v.signedNote);
  bytes[0] = 0xff;
  assert.throws(() => openNote(bytes, v.verifierKey), /not valid UTF-8/);
  // Blank lines inside the text are allowed: the signatures follow the last one.
  const text = 'a\n\nb\n';
  assert.equal(openNote(signNote(text, signer), v.verifierKey).text, text);
  const unicode = 'ǝ\u2028 — émigré\n';
  assert.equal(openNote(signNote(unicode, signer), v.verifierKey).text, unicode);
});

test('signature lines must be well formed', () => {
  const line = v.signedNote.slice(v.text.length + 1);
  const b64 = line.split(' ')[2].trim();
  const bad = [
    `${v.text}\n- PeterNeumann ${b64}\n`,
    `${v.text}\n— PeterNeumann\n`,
    `${v.text}\n— PeterNeumann  ${b64}\n`,
    `${v.text}\n— PeterNeumann AAAA\n`,
    `${v.text}\n— PeterNeumann ${b64.replace('=', '')}\n`,
    `${v.text}\n`,
    `${v.text}\n\n`,
  ];
  for (const note of bad) assert.throws(() => openNote(note, v.verifierKey), /malformed note/, JSON.stringify(note));
});

test('at most 100 signatures', () => {
  const keys = Array.from({ length: 101 }, (_, i) => parseSignerKey(generateKey(`k${i}`).skey));
  const note = signNote('x\n', keys);
  assert.throws(() => openNote(note, keys[0].verifier), /more than 100 signatures/);
  assert.equal(openNote(signNote('x\n', keys.slice(0, 100)), keys[99].verifier).signatures.length, 1);
});
