import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpareBuffers } from './spare-buffers.ts';

test('a spare buffer large enough is taken again, the smallest that fits; none kept, a new one', () => {
  const s = new SpareBuffers();
  const fresh = s.take(10);
  assert.equal(fresh.length, 10);
  const big = new ArrayBuffer(1000);
  const small = new ArrayBuffer(100);
  s.keep([big, small]);
  const a = s.take(50);
  assert.equal(a.buffer, small);
  assert.equal(a.length, 50);
  assert.equal(s.take(500).buffer, big);
  assert.notEqual(s.take(50).buffer, small, 'each spare is handed out once');
});

test('no more than a few are kept, the largest', () => {
  const s = new SpareBuffers();
  s.keep([1, 2, 3, 4, 5, 6].map((k) => new ArrayBuffer(k * 100)));
  s.keep([new ArrayBuffer(0)]);
  const sizes = [];
  for (;;) {
    const b = s.take(1);
    if (b.buffer.byteLength === 1) break; // a new one: the spares are gone
    sizes.push(b.buffer.byteLength);
  }
  assert.deepEqual(
    sizes.sort((x, y) => x - y),
    [300, 400, 500, 600],
  );
});
