import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { STATEMENT_ID_BYTES, statementId, writeStatementId } from './log.ts';

// The id as its definition reads: 8 bytes of the time (ms since -8.64e15, big-endian),
// then the signature's first 8 bytes, decoded by Buffer rather than by hand.
function reference(time: string, sig: string): Uint8Array {
  const id = new Uint8Array(16);
  const view = new DataView(id.buffer);
  const t = Date.parse(time) + 8.64e15;
  view.setUint32(0, Math.floor(t / 2 ** 32));
  view.setUint32(4, t % 2 ** 32);
  id.set(Buffer.from(sig, 'base64').subarray(0, 8), 8);
  return id;
}

test('statement ids: the time and the signature, written by hand as by Buffer and DataView', () => {
  fc.assert(
    fc.property(
      fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }),
      fc.uint8Array({ minLength: 64, maxLength: 64 }),
      fc.nat(40),
      (d, sig, at) => {
        const time = d.toISOString();
        const s = Buffer.from(sig).toString('base64');
        assert.deepEqual(statementId({ author: 'il', key: 'k', sig: s, time }), reference(time, s));
        const out = new Uint8Array(at + STATEMENT_ID_BYTES + 3).fill(0xaa);
        writeStatementId(time, s, out, at);
        assert.deepEqual(out.subarray(at, at + STATEMENT_ID_BYTES), reference(time, s));
        assert.ok(
          out.subarray(0, at).every((b) => b === 0xaa) && out.subarray(at + STATEMENT_ID_BYTES).every((b) => b === 0xaa),
          'nothing written outside the id',
        );
      },
    ),
    { numRuns: 5000 },
  );
});

test('a leap second, which Date cannot read, still gives the signature its place', () => {
  const sig = Buffer.alloc(64, 7).toString('base64');
  const id = statementId({ author: 'il', key: 'k', sig, time: '2016-12-31T23:59:60Z' });
  assert.deepEqual(id.subarray(0, 8), new Uint8Array(8));
  assert.deepEqual(id.subarray(8), new Uint8Array(8).fill(7));
});
