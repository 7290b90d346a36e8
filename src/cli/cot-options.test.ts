import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { UsageError } from './args.ts';
import { COT_FLAGS, cotOptions } from './cot-options.ts';

const actors = new Set(['il', 'sy']);
const flags = (v: Record<string, string>) => ({ ...COT_FLAGS, ...v });

test('--cot-port alone is plain TCP; no CoT flag is no listener', () => {
  assert.equal(cotOptions(flags({}), actors), undefined);
  assert.deepEqual(cotOptions(flags({ 'cot-port': '8087' }), actors), { port: 8087 });
  assert.throws(() => cotOptions(flags({ 'cot-port': '70000' }), actors), /--cot-port must be a number/);
});

test('the TLS flags go together, and the client map names actors of the arrangement', () => {
  assert.throws(() => cotOptions(flags({ 'cot-ca': 'x' }), actors), /--cot-ca goes with --cot-tls-port/);
  assert.throws(() => cotOptions(flags({ 'cot-tls-port': '8089', 'cot-ca': 'x' }), actors), /needs --cot-cert FILE, --cot-key FILE, --cot-clients FILE/);
  const dir = mkdtempSync(join(tmpdir(), 'detente-cot-flags-'));
  for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(dir, f), 'PEM');
  const tls = (clients: unknown) => {
    writeFileSync(join(dir, 'clients.json'), JSON.stringify(clients));
    return cotOptions(
      flags({
        'cot-tls-port': '8089',
        'cot-ca': join(dir, 'ca.pem'),
        'cot-cert': join(dir, 'cert.pem'),
        'cot-key': join(dir, 'key.pem'),
        'cot-clients': join(dir, 'clients.json'),
      }),
      actors,
    );
  };
  assert.throws(
    () => tls({ 'dev-1': { actor: 'tr' } }),
    (e) => e instanceof UsageError && /"dev-1": no actor "tr"/.test(e.message),
  );
  assert.throws(() => tls({ 'dev-1': 'il' }), /"dev-1": \{ "actor": ID/);
  const o = tls({ 'dev-1': { actor: 'il', device: 'ANDROID-1' }, 'dev-2': { actor: 'sy' } });
  assert.equal(o?.tls?.port, 8089);
  assert.deepEqual(
    [...(o?.tls?.clients ?? [])],
    [
      ['dev-1', { actor: 'il', device: 'ANDROID-1' }],
      ['dev-2', { actor: 'sy' }],
    ],
  );
});
