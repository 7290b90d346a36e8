// Reads a file as lines of exact bytes (split on 0x0A, nothing decoded), in chunks, so
// a bundle of any size streams through in constant memory.

import { closeSync, openSync, readSync } from 'node:fs';

export function* readLines(path: string, chunkSize = 1 << 20): Generator<Buffer> {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(chunkSize);
    let carry: Buffer = Buffer.alloc(0);
    for (;;) {
      const n = readSync(fd, chunk, 0, chunkSize, null);
      if (n === 0) break;
      const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let start = 0;
      for (let nl = data.indexOf(0x0a, start); nl >= 0; nl = data.indexOf(0x0a, start)) {
        yield Buffer.from(data.subarray(start, nl)); // a copy: the chunk buffer is reused
        start = nl + 1;
      }
      carry = Buffer.from(data.subarray(start));
    }
    // A last line without its newline is still a line.
    if (carry.length > 0) yield carry;
  } finally {
    closeSync(fd);
  }
}
