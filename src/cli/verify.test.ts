import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BundleInputError, verifyBundle } from '../record/bundle.ts';
import { exportBundle } from './export.ts';
import { logDir } from '../store/layout.ts';
import { appendEntries } from '../../test/helpers/record-bundle.ts';
import { newSigner, ORIGIN, tempDir } from '../../test/helpers/record-fixtures.ts';

const logSigner = newSigner(ORIGIN);
const authors = [newSigner('il'), newSigner('sy')];

async function bundleOf(t: Parameters<typeof tempDir>[0], n: number) {
  const dir = tempDir(t);
  const data = join(dir, 'data');
  const old = await appendEntries(data, logSigner, authors, 0, n);
  const out = join(dir, 'bundle');
  await exportBundle(logDir(data, 'southern-syria'), out);
  return { dir, out, old };
}

test('an empty log exports and verifies', async (t) => {
  const { out, old } = await bundleOf(t, 0);
  const r = verifyBundle(out, { since: old });
  assert.ok(r.ok);
  assert.equal(r.size, 0);
  assert.equal(r.since, 0);
});

test('unusable bundles are told apart from failed checks', async (t) => {
  const { dir, out } = await bundleOf(t, 3);
  const bad = join(dir, 'bad-keys');
  cpSync(out, bad, { recursive: true });
  writeFileSync(join(bad, 'keys.json'), '["il"]');
  assert.throws(
    () => verifyBundle(bad),
    (e: unknown) => e instanceof BundleInputError && /must map author ids to verifier keys/.test(e.message),
  );
  writeFileSync(join(bad, 'keys.json'), '{"il": "il+00000000+AAAA"}');
  assert.throws(() => verifyBundle(bad), /the key of "il"/);
  writeFileSync(join(bad, 'log-key.vkey'), 'nonsense\n');
  assert.throws(() => verifyBundle(bad), BundleInputError);
});

test('a leaf-hashes file that does not match the signed root is ignored, not trusted', async (t) => {
  const { dir, out } = await bundleOf(t, 5);
  const copy = join(dir, 'copy');
  cpSync(out, copy, { recursive: true });
  writeFileSync(join(copy, 'leaf-hashes'), Buffer.alloc(5 * 32));
  const r = verifyBundle(copy);
  assert.ok(r.ok);
  assert.match(r.notes.join('\n'), /leaf-hashes ignored: it does not hash to the checkpoint's root/);
});

test('an older checkpoint ahead of the bundle means the log went backwards', async (t) => {
  const small = await bundleOf(t, 2);
  const big = await bundleOf(t, 4);
  const r = verifyBundle(small.out, { since: big.old });
  assert.ok(!r.ok);
  assert.match(r.message, /the --since checkpoint is for 4 entries, more than this bundle's 2: the log went backwards/);
});
