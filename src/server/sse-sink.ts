// An event stream's socket as the bus writes to it. Frames go straight to the socket,
// in HTTP/1.1 chunked framing written here, rather than through ServerResponse.write:
// that corks the connection and writes on the next tick, so thousands of streams'
// writes would all land in one tick after the bus's fan-out slice, out of its budget.
// Each frame is one shared Buffer, and so is its chunked framing: the framed copy is
// made once (for the first socket) and written whole by every other, one write each.
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Sink } from './bus.ts';

const CRLF = Buffer.from('\r\n');
const headers = new Map<number, Buffer>();

function chunkHeader(length: number): Buffer {
  let h = headers.get(length);
  if (!h) {
    h = Buffer.from(`${length.toString(16)}\r\n`);
    if (headers.size < 4096) headers.set(length, h);
  }
  return h;
}

/** frames the fan-out shares → the same bytes in chunked framing (gone with the frame) */
const framed = new WeakMap<Buffer, Buffer>();

function inChunk(chunk: Buffer): Buffer {
  let f = framed.get(chunk);
  if (!f) {
    f = Buffer.concat([chunkHeader(chunk.length), chunk, CRLF]);
    framed.set(chunk, f);
  }
  return f;
}

export class SseSink implements Sink {
  private readonly socket: Socket;

  /** `res` has had its head written (chunked: no content-length); its head is sent now. */
  constructor(res: ServerResponse) {
    res.flushHeaders();
    if (!res.socket) throw new Error('the event stream has no socket');
    this.socket = res.socket;
  }

  write(chunk: Buffer): boolean {
    if (chunk.length === 0) return true;
    // Now, within the caller's time: uncorked, a socket tries the kernel at once.
    return this.socket.write(inChunk(chunk));
  }

  get writableLength(): number {
    return this.socket.writableLength;
  }

  once(event: 'drain', listener: () => void): unknown {
    return this.socket.once(event, listener);
  }

  destroy(): void {
    this.socket.destroy();
  }
}
