import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRfc4180 } from '../../../test/helpers/rfc4180.ts';
import { csvChunks, csvReadable } from './stream.ts';

async function text(chunks: AsyncIterable<string | Buffer>): Promise<string> {
  let out = '';
  for await (const c of chunks) out += c.toString();
  return out;
}

test('header, then every row in order; a byte-order mark only when asked', async () => {
  const rows = [
    ['1', 'a,b'],
    ['2', 'ש"ע'],
  ];
  const plain = await text(csvChunks(['n', 'v'], rows));
  assert.deepEqual(parseRfc4180(plain), { bom: false, records: [['n', 'v'], ...rows] });
  const marked = await text(csvChunks(['n', 'v'], rows, { bom: true }));
  assert.equal(parseRfc4180(marked).bom, true);
  assert.equal(Buffer.from(marked).subarray(0, 3).toString('hex'), 'efbbbf');
  // An empty source is a header alone.
  assert.deepEqual(parseRfc4180(await text(csvChunks(['n'], []))).records, [['n']]);
});

test('rows are pulled only as the reader reads: the source is held back, and stopped when the reader goes', async () => {
  let produced = 0;
  let stopped = false;
  function* rows() {
    try {
      for (let i = 0; i < 1_000_000; i++) {
        produced++;
        yield [i, 'some text of a row'];
      }
    } finally {
      stopped = true;
    }
  }
  const chunk = 4096;
  const stream = csvReadable(['i', 'text'], rows(), { chunk });
  const first: Buffer = await new Promise((resolve) => stream.once('readable', () => resolve(stream.read() as Buffer)));
  assert.ok(first.length >= chunk);
  await new Promise((r) => setTimeout(r, 50));
  // About a chunk of rows (24 bytes each), and a chunk more that the stream may buffer: nowhere near the million.
  assert.ok(produced < 1000, `produced ${produced} rows for one chunk read`);
  stream.destroy();
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(stopped, true, 'the source is closed when the reader goes away');
});
