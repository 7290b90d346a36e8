// A loopback client that behaves like ATAK on a TAK server's streaming port: it
// connects, sends TAK's <auth>, streams position events back to back (an XML
// declaration before each, as ATAK writes them) in chunks of random sizes that cut
// events anywhere, and reads what the server sends back as CoT.
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { CotEvent } from '../../src/interop/cot/event.ts';
import { CotStreamParser } from '../../src/interop/cot/parse.ts';
import { rng } from '../../src/sim/random.ts';

export interface Position {
  uid: string;
  /** RFC 3339 */
  time: string;
  lat: number;
  lon: number;
  /** m/s and degrees from true north: a <track> */
  speed?: number;
  course?: number;
  callsign?: string;
}

/** One position event as ATAK writes it. */
export function atakEvent(p: Position): string {
  const stale = new Date(Date.parse(p.time) + 120_000).toISOString();
  const track = p.speed !== undefined ? `<track speed="${p.speed}" course="${p.course ?? 0}"/>` : '';
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
    `<event version="2.0" uid="${p.uid}" type="a-f-G-U-C" time="${p.time}" start="${p.time}" stale="${stale}" how="m-g">` +
    `<point lat="${p.lat}" lon="${p.lon}" hae="9999999.0" ce="9.9" le="9999999.0"/>` +
    `<detail>${track}<contact callsign="${p.callsign ?? p.uid.toUpperCase()}" endpoint="*:-1:stcp"/><uid Droid="${p.uid}"/>` +
    `<__group name="Cyan" role="Team Member"/><status battery="88"/><takv device="loopback" platform="ATAK-CIV" os="34" version="5.1"/></detail></event>`
  );
}

export function authElement(username: string, password: string, uid: string): string {
  return `<auth><cot username="${username}" password="${password}" uid="${uid}"/></auth>`;
}

export class AtakClient {
  /** what the server sent, as raw text */
  text = '';
  /** the events the server sent, in order */
  readonly received: CotEvent[] = [];
  /** what the client's reader refused of it (should stay empty) */
  readonly refused: string[] = [];
  /** resolves when the server closed the connection (or it broke) */
  readonly closed: Promise<void>;
  private readonly parser = new CotStreamParser();
  private readonly rand: () => number;
  private waiters: (() => void)[] = [];

  private constructor(
    readonly socket: Socket,
    seed: number,
  ) {
    this.rand = rng(seed);
    socket.on('data', (chunk: Buffer) => {
      this.text += chunk.toString('utf8');
      for (const item of this.parser.pushBytes(chunk)) {
        if (item.kind === 'event') this.received.push(item.event);
        else if (item.kind === 'refused') this.refused.push(item.refusal.message);
      }
      for (const w of this.waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
    void this.closed.then(() => {
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static connect(port: number, o: { host?: string; seed?: number; tls?: ConnectionOptions } = {}): Promise<AtakClient> {
    const host = o.host ?? '127.0.0.1';
    return new Promise((resolve, reject) => {
      const socket = o.tls ? tlsConnect({ port, host, ...o.tls }) : connect({ port, host });
      const ready = o.tls ? 'secureConnect' : 'connect';
      socket.once(ready, () => {
        socket.off('error', reject);
        resolve(new AtakClient(socket, o.seed ?? 1));
      });
      socket.once('error', reject);
    });
  }

  auth(username: string, password: string, uid = 'ANDROID-loopback'): void {
    this.send(authElement(username, password, uid));
  }

  /** Writes text in chunks of 1 to `maxChunk` bytes, cutting anywhere (a UTF-8 character too). */
  send(text: string, maxChunk = 512): void {
    const bytes = Buffer.from(text, 'utf8');
    for (let i = 0; i < bytes.length; ) {
      const n = 1 + Math.floor(this.rand() * maxChunk);
      this.socket.write(bytes.subarray(i, i + n));
      i += n;
    }
  }

  positions(ps: Position[], maxChunk?: number): void {
    this.send(ps.map(atakEvent).join('\n'), maxChunk);
  }

  /** Waits until the events received satisfy `pred` (or the connection closes, or time runs out). */
  async until(pred: (events: CotEvent[]) => boolean, timeoutMs = 10_000): Promise<CotEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (!pred(this.received)) {
      if (this.socket.destroyed) throw new Error(`the server closed the connection; received: ${this.text.slice(0, 2000)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; received ${this.received.length} events: ${this.text.slice(-2000)}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    return this.received;
  }

  /** Half-closes (the device is done sending) and waits for the server to close its side. */
  async end(): Promise<void> {
    this.socket.end();
    await this.closed;
  }

  destroy(): void {
    this.socket.destroy();
  }
}
