// What a follower reads from a Détente server, over plain HTTP with the actor's bearer
// token: the record's checkpoint and key (the API), the tree and the entries as C2SP
// tlog-tiles (/log/<arrangement>/), consistency proofs, and sealed content as the
// disclosure policy releases it to this actor.

import { decodeBase64 } from '../record/encoding.ts';
import { standardTilePath, type StandardTile } from '../record/standard-tiles.ts';
import { decodeEntryBundle } from './entry-bundle.ts';
import { type Got, HttpGetter, TransportError } from './http-get.ts';

/** What the server released for one commitment. */
export type Opening =
  | { level: 'full'; salt: Uint8Array; content: string }
  | { level: 'coarse'; coarse: { position_m: number; time_s: number }; content: string }
  | { level: 'none' };

/** The server answered something other than what the protocol allows: not a discrepancy, an unusable answer. */
export class ServerError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface ClientOptions {
  /** the server's base URL, e.g. http://127.0.0.1:7474 */
  url: string;
  arrangement: string;
  token: string;
  /** fetch to use (tests may count or alter requests); by default node:http(s) with kept-alive connections (http-get.ts) */
  fetch?: typeof fetch;
}

export class FollowClient {
  private readonly base: string;
  private readonly api: string;
  private readonly log: string;
  private readonly headers: Record<string, string>;
  private readonly fetch: typeof fetch | undefined;
  private readonly http = new HttpGetter();

  constructor(o: ClientOptions) {
    this.base = o.url.replace(/\/+$/, '');
    const id = encodeURIComponent(o.arrangement);
    this.api = `${this.base}/api/arrangements/${id}/record`;
    this.log = `${this.base}/log/${id}`;
    this.headers = { authorization: `Bearer ${o.token}` };
    this.fetch = o.fetch;
  }

  /** Closes kept-alive connections (idle ones do not hold the process open in any case). */
  close(): void {
    this.http.close();
  }

  private async get(url: string): Promise<Got> {
    // A GET is safe to ask again: a connection the server closed as it was reused (a reset
    // on a kept-alive socket, common when the server is busy) costs one retry, not a round.
    for (let attempt = 1; ; attempt++) {
      try {
        return this.fetch ? await viaFetch(this.fetch, url, this.headers) : await this.http.get(url, this.headers);
      } catch (e) {
        const code = e instanceof TransportError ? e.code : (e as { cause?: { code?: string } }).cause?.code;
        if (attempt < 2 && (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET')) continue;
        const cause = (e as { cause?: Error }).cause;
        throw new ServerError(`GET ${url}: ${(e as Error).message}${cause ? ` (${cause.message})` : ''}`);
      }
    }
  }

  private async ok(url: string): Promise<Got> {
    const res = await this.get(url);
    if (!okStatus(res)) throw new ServerError(`GET ${url}: ${res.status} ${text(res).slice(0, 200)}`, res.status);
    return res;
  }

  /**
   * The checkpoint to follow: the witnessed one, or when none has a quorum yet (404) or
   * `latest` is asked for, the newest the log signed.
   */
  async checkpoint(latest = false): Promise<{ note: string; witnessed: string | null }> {
    if (!latest) {
      const res = await this.get(`${this.api}/checkpoint`);
      if (okStatus(res)) return { note: text(res), witnessed: res.header('detente-witnessed') };
      if (res.status !== 404) throw new ServerError(`GET checkpoint: ${res.status} ${text(res).slice(0, 200)}`, res.status);
    }
    const res = await this.ok(`${this.api}/checkpoint?witnessed=false`);
    return { note: text(res), witnessed: res.header('detente-witnessed') };
  }

  /** The log's verifier key (one line). */
  async logKey(): Promise<string> {
    return text(await this.ok(`${this.api}/key`)).trim();
  }

  /** RFC 9162 consistency proof from the tree of `from` entries to that of `to`. */
  async consistency(from: number, to: number): Promise<Uint8Array[]> {
    const body = json(await this.ok(`${this.api}/proof/consistency?from=${from}&to=${to}`)) as { proof?: unknown };
    if (!Array.isArray(body.proof) || !body.proof.every((p) => typeof p === 'string')) throw new ServerError('consistency proof: not a list of base64 hashes');
    return (body.proof as string[]).map((p) => decodeBase64(p, 'proof'));
  }

  private async tile(t: StandardTile): Promise<Uint8Array> {
    return (await this.ok(`${this.log}/${standardTilePath(t)}`)).body;
  }

  /** Entries of bundle `index` (256·index …), `width` of them. */
  async entryBundle(index: number, width: number): Promise<Uint8Array[]> {
    const entries = decodeEntryBundle(await this.tile({ kind: 'entries', index, width }));
    if (entries.length !== width) throw new ServerError(`entry bundle ${index}: ${entries.length} entries, not ${width}`);
    return entries;
  }

  /** The hashes of standard tile (level, index) of `width` nodes, 32 bytes each. */
  async hashTile(level: number, index: number, width: number): Promise<Uint8Array> {
    const t = await this.tile({ kind: 'hashes', level, index, width });
    if (t.length !== width * 32) throw new ServerError(`tile ${level}/${index}: ${t.length} bytes, not ${width * 32}`);
    return t;
  }

  /** What this actor may read of a commitment (404: only that it exists). */
  async sealed(hash: string): Promise<Opening> {
    const res = await this.get(`${this.api}/sealed/${hash}`);
    if (res.status === 404) return { level: 'none' };
    if (!okStatus(res)) throw new ServerError(`GET sealed/${hash}: ${res.status} ${text(res).slice(0, 200)}`, res.status);
    const b = json(res) as { sealed?: unknown; salt?: unknown; content?: unknown; coarse?: { position_m?: unknown; time_s?: unknown } };
    if (b.sealed !== hash || typeof b.content !== 'string') throw new ServerError(`sealed/${hash}: the answer names another commitment or has no content`);
    if (typeof b.salt === 'string') return { level: 'full', salt: decodeBase64(b.salt, 'salt'), content: b.content };
    const c = b.coarse;
    if (c && typeof c.position_m === 'number' && typeof c.time_s === 'number') {
      return { level: 'coarse', coarse: { position_m: c.position_m, time_s: c.time_s }, content: b.content };
    }
    throw new ServerError(`sealed/${hash}: neither a salt nor a coarsening`);
  }
}

/** An answer through a fetch function (tests pass one that counts or alters requests). */
async function viaFetch(f: typeof fetch, url: string, headers: Record<string, string>): Promise<Got> {
  const res = await f(url, { headers });
  return { status: res.status, header: (name) => res.headers.get(name), body: new Uint8Array(await res.arrayBuffer()) };
}

function okStatus(res: Got): boolean {
  return res.status >= 200 && res.status < 300;
}

function text(res: Got): string {
  return Buffer.from(res.body.buffer, res.body.byteOffset, res.body.byteLength).toString('utf8');
}

function json(res: Got): unknown {
  try {
    return JSON.parse(text(res));
  } catch (e) {
    throw new ServerError(`the answer is not JSON (${(e as Error).message})`, res.status);
  }
}
