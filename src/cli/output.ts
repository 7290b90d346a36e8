// Buffered writing to stdout that respects back-pressure and stops quietly
// when the reader goes away (`detente check … | head`).
import type { Writable } from 'node:stream';

export class Output {
  private buf = '';
  closed = false;

  constructor(private readonly stream: Writable) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') this.closed = true;
      else throw e;
    });
  }

  write(s: string): void {
    if (this.closed) return;
    this.buf += s;
    if (this.buf.length > 1 << 16) this.flush();
  }

  private flush(): void {
    if (this.buf && !this.closed) this.stream.write(this.buf);
    this.buf = '';
  }

  async end(): Promise<void> {
    this.flush();
    if (this.closed) return;
    if (this.stream.writableNeedDrain) await new Promise((r) => this.stream.once('drain', r));
  }
}
