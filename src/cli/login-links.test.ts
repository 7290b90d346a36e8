import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loginLinks } from './login-links.ts';

test('one line per actor with a token: name, role, and a link carrying the token encoded', () => {
  const actors = new Map([
    ['il', { role: 'party' as const, name: 'Israel' }],
    ['ru', { role: 'mediator' as const }],
    ['x', { role: 'observer' as const, name: 'No token' }],
  ]);
  const lines = loginLinks('http://127.0.0.1:7474/', { actors, tokens: { il: 'dt_a+b/c', ru: 'dt_r' } });
  assert.equal(lines.length, 2);
  assert.match(lines[0], /^ {4}Israel +party +http:\/\/127\.0\.0\.1:7474\/\?token=dt_a%2Bb%2Fc$/);
  assert.match(lines[1], /^ {4}ru +mediator +http:\/\/127\.0\.0\.1:7474\/\?token=dt_r$/);
});
