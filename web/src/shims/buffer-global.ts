// The record's byte helpers use Node's global Buffer (hex, base64, equals, concat,
// readUInt32BE). In the browser that global comes from the `buffer` package, with one
// difference mended: Node's Buffer#equals takes any Uint8Array, the package's insists
// on one of its own Buffers and throws otherwise, which would turn a proof that does
// not verify into an exception. Imported first by the node:crypto shim, so it runs
// before any record module that touches Buffer at load time.
import { Buffer } from 'buffer';

Buffer.prototype.equals = function equals(this: Buffer, other: Uint8Array): boolean {
  return Buffer.compare(this, other) === 0;
};

const g = globalThis as { Buffer?: unknown };
if (g.Buffer === undefined) g.Buffer = Buffer;
