import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSignerKey, parseVerifierKey } from '../record/keys.ts';
import { endorsementProblem, verifyStatement } from '../record/statement.ts';
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

test('keys new --actor makes a key named with the actor (and --recovery its recovery key); keys sign endorses a statement; revoke signs a key statement', (t) => {
  const dir = tempDir(t);
  const work = detente(['keys', 'new', '--actor', 'il'], dir);
  assert.equal(work.code, 0, work.stderr);
  assert.equal(parseVerifierKey(work.stdout.trim()).name, 'il');
  const rec = detente(['keys', 'new', '--actor', 'il', '--recovery'], dir);
  assert.equal(rec.code, 0, rec.stderr);
  assert.match(rec.stderr, /recovery key of il .*offline/);
  const statement = { v: 1, type: 'arrangement', author: 'ru', time: '2025-12-29T00:00:00.000Z', arrangement: 'a', body: { n: 1 } };
  writeFileSync(join(dir, 'st.json'), JSON.stringify(statement));
  const signed = detente(['keys', 'sign', '--key', join(dir, 'il-key.key'), '--statement', join(dir, 'st.json')]);
  assert.equal(signed.code, 0, signed.stderr);
  const e = JSON.parse(signed.stdout);
  assert.equal(e.key, work.stdout.trim());
  assert.equal(endorsementProblem(statement as never, e), undefined);
  const revoke = detente(['keys', 'revoke', '--key', join(dir, 'il-recovery.key'), '--arrangement', 'a', '--revoke', work.stdout.trim()]);
  assert.equal(revoke.code, 0, revoke.stderr);
  const st = JSON.parse(revoke.stdout);
  assert.deepEqual(st.statement.body, { action: 'revoke', keys: [work.stdout.trim()] });
  assert.equal(st.key, rec.stdout.trim());
  assert.doesNotThrow(() => verifyStatement(st));
  assert.equal(detente(['keys', 'rotate', '--key', join(dir, 'il-key.key'), '--arrangement', 'a']).code, 2);
});
