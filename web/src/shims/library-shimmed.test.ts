// The record's own verification code (src/record), run in Node as the browser build
// runs it: node:crypto replaced by the stand-in in this directory, node:fs refused, and
// Node's global Buffer removed, so the `buffer` package stands in for it. Its answers
// must equal those of the same code on Node's own crypto.
// Run: node --import tsx --test web/src/shims/library-shimmed.test.ts
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { formatCheckpoint, signCheckpoint } from '../../../src/record/checkpoint.ts';
import { generateKey, parseSignerKey } from '../../../src/record/keys.ts';
import { leafHash, RootBuilder } from '../../../src/record/merkle.ts';
import { signNote } from '../../../src/record/note.ts';
import { buildEntry } from '../../../src/record/statement.ts';

const here = new URL('./', import.meta.url);
const testdata = new URL('../../../src/record/testdata/', import.meta.url);
// The vectors hold 2^64 - 1 as a bare JSON number; read such numbers as strings.
const vectors = (name: string) => JSON.parse(readFileSync(new URL(name, testdata), 'utf8').replace(/: (\d+)([,\n])/g, ': "$1"$2')) as Record<string, unknown>[];

function runShimmed(input: unknown): { out: Record<string, unknown>; stderr: string } {
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'data:text/javascript,delete globalThis.Buffer',
      '--import',
      'tsx',
      '--import',
      new URL('node-hooks-register.mjs', here).pathname,
      new URL('library-shimmed-run.ts', here).pathname,
    ],
    { input: JSON.stringify(input), encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  return { out: JSON.parse(r.stdout), stderr: r.stderr };
}

test('record verification on the browser stand-ins answers as on node:crypto', () => {
  const note = JSON.parse(readFileSync(new URL('signed-note.json', testdata), 'utf8')) as {
    verifierKey: string;
    signedNote: string;
    mustReject: { note: string }[];
  };
  const author = parseSignerKey(generateKey('il').skey);
  const entries = [0, 1, 2].map((i) =>
    Buffer.from(
      buildEntry(
        author,
        { type: 'report', arrangement: 'southern-syria', body: { n: i, text: 'zone «aos» — ü' }, time: '2026-01-12T02:00:00Z' },
        '2026-01-12T02:00:01Z',
      ),
    ).toString('utf8'),
  );
  const tampered = entries[1].replace('"n":1', '"n":7');
  const root = new RootBuilder();
  for (const e of entries) root.push(leafHash(Buffer.from(e)));
  const log = parseSignerKey(generateKey('log').skey);
  const cp = signCheckpoint({ origin: 'detente/test/southern-syria', size: 3, root: root.root(), extensions: [] }, log);
  const forged = signNote(formatCheckpoint({ origin: 'detente/test/southern-syria', size: 4, root: root.root(), extensions: [] }), author);
  const inclusion = vectors('inclusion.json');
  const consistency = vectors('consistency.json');

  const { out, stderr } = runShimmed({
    vkey: note.verifierKey,
    notes: [note.signedNote, ...note.mustReject.map((m) => m.note)],
    checkpoint: cp,
    logKey: log.verifier.vkey,
    entries: [...entries, tampered],
    inclusion,
    consistency,
  });
  assert.match(stderr, /stand-in: node:crypto for merkle\.ts/);
  assert.match(stderr, /stand-in: node:crypto for ed25519\.ts/);
  assert.equal((out.notes as string[])[0], 'ok');
  assert.ok(
    (out.notes as string[]).slice(1).every((r) => r !== 'ok'),
    'every note the Go tests reject is rejected',
  );
  assert.equal(out.checkpoint, 'ok');
  assert.deepEqual((out.entries as string[]).slice(0, 3), ['ok', 'ok', 'ok']);
  assert.match((out.entries as string[])[3], /signature/);
  assert.deepEqual(
    out.leafHashes,
    [...entries, tampered].map((e) => Buffer.from(leafHash(Buffer.from(e))).toString('hex')),
  );
  assert.deepEqual(
    out.inclusion,
    inclusion.map((v) => !v.wantErr),
  );
  assert.deepEqual(
    out.consistency,
    consistency.map((v) => !v.wantErr),
  );
  assert.match(out.decodeRejects as string, /RecordError: x is not canonical base64/);

  // A checkpoint signed by a key other than the log's is refused.
  const forgedRun = runShimmed({
    vkey: note.verifierKey,
    notes: [],
    checkpoint: forged,
    logKey: log.verifier.vkey,
    entries: [],
    inclusion: [],
    consistency: [],
  });
  assert.match(forgedRun.out.checkpoint as string, /no signature by a known key/);
});

test('witness cosignatures checked on the browser stand-ins: the vector verifies, an altered one does not', () => {
  const v = JSON.parse(readFileSync(new URL('witness/vectors.json', testdata), 'utf8')) as { witnessCosigVkey: string; note: string; cosigTimestamp: number };
  const altered = v.note.replace(/\n(\d+)\n/, (_, n) => `\n${Number(n) + 1}\n`);
  const { out, stderr } = runShimmed({
    vkey: '',
    notes: [],
    checkpoint: '',
    logKey: '',
    entries: [],
    inclusion: [],
    consistency: [],
    cosigned: [
      { note: v.note, witnesses: [v.witnessCosigVkey] },
      { note: altered, witnesses: [v.witnessCosigVkey] },
    ],
  });
  assert.match(stderr, /stand-in: node:crypto for cosignature\.ts/);
  assert.deepEqual(out.cosigned, [{ [v.witnessCosigVkey]: v.cosigTimestamp }, {}]);
});
