import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { signCheckpoint } from '../../record/checkpoint.ts';
import { generateCosigner } from '../../record/cosignature.ts';
import { EMPTY_ROOT } from '../../record/merkle.ts';
import { newSigner, ORIGIN, tempDir } from '../../../test/helpers/record-fixtures.ts';
import { WITNESSING_FILE, Witnessing } from './witnessing.ts';

function opened(dir: string, logKey: string, warnings: string[]): Witnessing {
  return new Witnessing({
    origin: ORIGIN,
    logKey,
    witnesses: { quorum: 1, keys: [{ name: 'w-a', key: generateCosigner('w-a').cosigner.vkey }] },
    urls: new Map(),
    dir,
    proof: async () => [],
    warn: (m) => warnings.push(m),
  });
}

test('a witnessed checkpoint kept on disk is served after a restart only if it is this log’s', async (t) => {
  const dir = tempDir(t);
  const log = newSigner(ORIGIN);
  const other = newSigner(ORIGIN);
  const note = (s: typeof log) => signCheckpoint({ origin: ORIGIN, size: 0, root: EMPTY_ROOT, extensions: [] }, s);
  const write = (witnessed: string) => writeFileSync(join(dir, WITNESSING_FILE), JSON.stringify({ v: 1, origin: ORIGIN, sizes: {}, witnessed }));

  write(note(log));
  const warnings: string[] = [];
  const ours = opened(dir, log.verifier.vkey, warnings);
  assert.equal(ours.witnessed?.note, note(log));
  await ours.close();

  write(note(other));
  const theirs = opened(dir, log.verifier.vkey, warnings);
  assert.equal(theirs.witnessed, undefined);
  assert.match(warnings.join('\n'), /is not this log's .* dropped/);
  await theirs.close();
});
