// The follower's GET over node:http(s), with kept-alive connections. A follower catching
// up asks for thousands of entry bundles of up to 16 MiB each; the global fetch spends
// about three times the CPU per request on its streams and objects (measured on loopback
// with 115 kB bodies: 410–480 µs a request against 135–165 µs), CPU that on a party's
// machine the signature checks need. What the follower needs of an answer is its status,
// a header or two and the whole body.
import http from 'node:http';
import https from 'node:https';

/** An answer, read whole. */
export interface Got {
  status: number;
  header(name: string): string | null;
  body: Uint8Array;
}

/** The largest body taken: an entry bundle of 256 entries of 65,535 bytes each, with its length prefixes, is under 17 MB. */
export const MAX_BODY = 32 * 1024 * 1024;

/** A connection-level failure (the server never answered, or the connection broke). */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** GETs over connections kept alive between requests (idle ones do not hold the process open). */
export class HttpGetter {
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 16 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 16 }),
  };

  get(url: string, headers: Record<string, string>): Promise<Got> {
    const u = new URL(url);
    const agent = u.protocol === 'https:' ? this.agents['https:'] : this.agents['http:'];
    const get = u.protocol === 'https:' ? https.get : http.get;
    return new Promise((resolve, reject) => {
      const fail = (e: Error & { code?: string }) => reject(new TransportError(e.message, e.code));
      const req = get(u, { agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        let length = 0;
        res.on('data', (c: Buffer) => {
          length += c.length;
          if (length > MAX_BODY) {
            req.destroy();
            reject(new TransportError(`the answer is larger than ${MAX_BODY} bytes`, 'TOO_LARGE'));
            return;
          }
          chunks.push(c);
        });
        res.on('error', fail);
        res.on('end', () => {
          if (!res.complete) return fail(new Error('the connection closed before the answer was complete'));
          const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length);
          resolve({
            status: res.statusCode ?? 0,
            header: (name) => {
              const v = res.headers[name.toLowerCase()];
              return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
            },
            body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
          });
        });
      });
      req.on('error', fail);
    });
  }

  /** Closes the kept-alive connections. */
  close(): void {
    for (const a of Object.values(this.agents)) a.destroy();
  }
}
