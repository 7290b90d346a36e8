import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSignerKey, parseVerifierKey } from '../record/keys.ts';
import { detente } from '../../test/helpers/record-bundle.ts';
import { tempDir } from '../../test/helpers/record-fixtures.ts';

test('keys new writes a private key file and prints its verifier key', (t) => {
  const dir = tempDir(t);
  const out = join(dir, 'il.key');
  const r = detente(['keys', 'new', 'il', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(statSync(out).mode & 0o777, 0o600);
  const signer = parseSignerKey(readFileSync(out, 'utf8').trim());
  assert.equal(r.stdout, `${signer.verifier.vkey}\n`);
  assert.equal(parseVerifierKey(r.stdout.trim()).name, 'il');
  assert.match(r.stderr, /keep it secret/);
});

test('keys new never overwrites, and names the default file after the key', (t) => {
  const dir = tempDir(t);
  const r = detente(['keys', 'new', 'detente/demo/southern-syria'], dir);
  assert.equal(r.code, 0, r.stderr);
  const file = join(dir, 'detente_demo_southern-syria.key');
  const before = readFileSync(file, 'utf8');
  const again = detente(['keys', 'new', 'detente/demo/southern-syria'], dir);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /exists; refusing to overwrite/);
  assert.equal(readFileSync(file, 'utf8'), before);
  writeFileSync(join(dir, 'taken.key'), 'x');
  assert.equal(detente(['keys', 'new', 'x', '--out', join(dir, 'taken.key')]).code, 1);
});

test('keys: usage errors exit 2', () => {
  for (const args of [
    ['keys'],
    ['keys', 'old', 'x'],
    ['keys', 'new'],
    ['keys', 'new', 'a b'],
    ['keys', 'new', 'a+b'],
    ['keys', 'new', 'x', 'y'],
    ['keys', 'new', 'x', '--force'],
  ]) {
    const r = detente(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^detente keys: /);
  }
});
