import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signCheckpoint } from '../record/checkpoint.ts';
import { generateCosigner } from '../record/cosignature.ts';
import { generateKey, parseSignerKey } from '../record/keys.ts';
import { cosignaturesIn } from './record-read.ts';

test('cosignatures: those that verify under the genesis witnesses are reported, with their times; others are not', () => {
  const log = parseSignerKey(generateKey('detente/test/a').skey);
  const note = signCheckpoint({ origin: 'detente/test/a', size: 3, root: new Uint8Array(32).fill(7), extensions: [] }, log);
  const text = note.slice(0, note.lastIndexOf('\n\n') + 1);
  const [a, b, stranger] = ['il-witness', 'sy-witness', 'il-witness'].map((n) => generateCosigner(n).cosigner);
  const cosigned = note + a.cosign(text, 1_766_000_000) + stranger.cosign(text, 1_766_000_100);
  const genesis = {
    witnesses: {
      quorum: 1,
      keys: [
        { name: 'il-witness', key: a.vkey },
        { name: 'sy-witness', key: b.vkey },
        { name: 'bad', key: 'not a key' },
      ],
    },
  };
  assert.deepEqual(cosignaturesIn(cosigned, genesis), [{ name: 'il-witness', time: 1_766_000_000 }], 'the stranger of the same name counts for nothing');
  // A cosignature over another checkpoint's text does not count for this one.
  const other = b.cosign(text.replace('\n3\n', '\n4\n'), 1_766_000_200);
  assert.deepEqual(cosignaturesIn(note + other, genesis), []);
  assert.deepEqual(cosignaturesIn(cosigned, {}), [], 'a genesis naming no witnesses');
  assert.deepEqual(cosignaturesIn(note, genesis), [], 'the log signature alone');
});
