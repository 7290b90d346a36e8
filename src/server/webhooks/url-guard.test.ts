import assert from 'node:assert/strict';
import { test } from 'node:test';
import { guardedLookup, isPrivateAddress, refuseUrl } from './url-guard.ts';

test('private, loopback, link-local and mapped addresses are private; public ones are not', () => {
  for (const a of [
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '0.0.0.0',
    '100.64.0.1',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '224.0.0.1',
  ])
    assert.equal(isPrivateAddress(a), true, a);
  for (const a of ['8.8.8.8', '172.32.0.1', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) assert.equal(isPrivateAddress(a), false, a);
  assert.equal(isPrivateAddress('not-an-ip'), true);
});

test('refuseUrl: only http(s); private hosts unless allowed', () => {
  assert.equal(refuseUrl('https://hooks.example.org/x', false), undefined);
  assert.equal(refuseUrl('http://8.8.8.8/x', false), undefined);
  for (const u of ['ftp://example.org', 'file:///etc/passwd', 'javascript:alert(1)', 'gopher://x', 'nonsense']) assert.ok(refuseUrl(u, true), u);
  for (const u of ['http://127.0.0.1:8080/', 'http://[::1]/', 'http://localhost/', 'http://a.localhost/', 'http://10.0.0.1/', 'http://169.254.169.254/'])
    assert.ok(refuseUrl(u, false), u);
  assert.equal(refuseUrl('http://127.0.0.1:8080/', true), undefined);
});

test('guardedLookup refuses a name that resolves only inward, and passes it when allowed', async () => {
  const resolve = (allow: boolean) =>
    new Promise<{ err: NodeJS.ErrnoException | null; address: unknown }>((r) => guardedLookup(allow)('localhost', {}, (err, address) => r({ err, address })));
  const refused = await resolve(false);
  assert.equal(refused.err?.code, 'EPRIVATE');
  const allowed = await resolve(true);
  assert.equal(allowed.err, null);
  assert.ok(isPrivateAddress(String(allowed.address)));
});
