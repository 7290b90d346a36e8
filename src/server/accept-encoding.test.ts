import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseCoding } from './accept-encoding.ts';

test('the best coding the client accepts, brotli before gzip', () => {
  assert.equal(chooseCoding('gzip, deflate, br, zstd'), 'br');
  assert.equal(chooseCoding('gzip'), 'gzip');
  assert.equal(chooseCoding('x-gzip'), 'gzip');
  assert.equal(chooseCoding('br;q=0.5, gzip;q=0.8'), 'gzip');
  assert.equal(chooseCoding('*'), 'br');
  assert.equal(chooseCoding('*, br;q=0'), 'gzip');
});

test('identity when nothing else is accepted, or nothing else is there', () => {
  assert.equal(chooseCoding(undefined), 'identity');
  assert.equal(chooseCoding(''), 'identity');
  assert.equal(chooseCoding('identity'), 'identity');
  assert.equal(chooseCoding('deflate'), 'identity');
  assert.equal(chooseCoding('br;q=0, gzip;q=0'), 'identity');
  assert.equal(chooseCoding('identity, gzip;q=0.5'), 'identity');
  assert.equal(chooseCoding('br, gzip', new Set(['gzip'])), 'gzip');
  assert.equal(chooseCoding('br', new Set()), 'identity');
});
