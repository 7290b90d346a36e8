// Submits the log's checkpoints to one witness, C2SP tlog-witness v1.0.0:
// POST <url>/add-checkpoint with `old <size>`, the consistency proof from that size,
// and the signed checkpoint. One request at a time; checkpoints signed meanwhile are
// coalesced (only the newest is sent next). 409 carries the witness's own size: the
// request is made again from there. A failure is retried with backoff (capped, so a
// witness that comes up is served within the cap). Nothing here is awaited by the
// log's appends: a witness that is down or slow only delays the witnessed head.
import { formatAddCheckpoint } from '../../record/add-checkpoint.ts';
import { parseCosignatureKey, type CosignatureVerifier, noteParts } from '../../record/cosignature.ts';
import { backoffMs } from './backoff.ts';

export interface WitnessTarget {
  name: string;
  /** cosignature/v1 verifier key */
  key: string;
  actor?: string;
  /** where it listens (`--witness NAME=URL`), if the deployment was told */
  url?: string;
}

export interface ClientTiming {
  minBackoffMs: number;
  maxBackoffMs: number;
  /** a request not answered in this time is abandoned and retried */
  timeoutMs: number;
}

export interface ClientDeps {
  timing: ClientTiming;
  /** RFC 9162 consistency proof between two sizes of the log */
  proof(old: number, size: number): Promise<Uint8Array[]>;
  /** the witness acknowledged `size` (it stores it): kept for a restart */
  acknowledged(client: WitnessClient): void;
  /** a valid cosignature line of the checkpoint of `size` */
  cosigned(client: WitnessClient, size: number, line: string, time: number): void;
  warn(message: string): void;
  now(): number;
}

export interface WitnessStatus {
  name: string;
  actor?: string;
  /** whether the deployment knows where it listens */
  url: boolean;
  /** the size it last acknowledged */
  size: number;
  /** its newest valid cosignature: the checkpoint size and the time it signed (POSIX seconds) */
  cosigned?: { size: number; time: number };
  lastError?: { message: string; at: number };
  /** set when it holds another history of this log than ours (a fork) */
  forked?: string;
}

interface Checkpoint {
  note: string;
  size: number;
}

class Refused extends Error {}

export class WitnessClient {
  readonly target: WitnessTarget;
  private readonly verifier: CosignatureVerifier;
  /** the size the witness last told us it holds (0 when unknown: a 409 corrects it) */
  size: number;
  private pending: Checkpoint | undefined;
  private running = false;
  private failures = 0;
  private closed = false;
  private wake: (() => void) | undefined;
  private abort: AbortController | undefined;
  private readonly status: Omit<WitnessStatus, 'size'>;

  constructor(
    target: WitnessTarget,
    size: number,
    private readonly deps: ClientDeps,
  ) {
    this.target = target;
    this.verifier = parseCosignatureKey(target.key);
    this.size = size;
    this.status = { name: target.name, ...(target.actor ? { actor: target.actor } : {}), url: target.url !== undefined };
  }

  get vkey(): string {
    return this.verifier.vkey;
  }

  view(): WitnessStatus {
    return { ...this.status, size: this.size };
  }

  /** A new checkpoint: sent next (replacing any older one not yet sent). */
  offer(note: string, size: number): void {
    if (this.closed || this.target.url === undefined) return;
    if (this.pending && this.pending.size >= size) return;
    this.pending = { note, size };
    if (this.running) {
      // Waiting out a backoff for an older checkpoint: the newer one waits the same.
      return;
    }
    this.running = true;
    void this.loop();
  }

  close(): void {
    this.closed = true;
    this.abort?.abort();
    this.wake?.();
  }

  private async loop(): Promise<void> {
    try {
      await this.drain();
    } finally {
      // In the same turn as the last look at `pending`: an offer made after it starts a new loop.
      this.running = false;
    }
  }

  private async drain(): Promise<void> {
    while (!this.closed && this.pending) {
      const cp = this.pending;
      this.pending = undefined;
      let ok = false;
      try {
        await this.submit(cp);
        ok = true;
      } catch (e) {
        this.error((e as Error).message);
      }
      if (ok) {
        this.failures = 0;
        continue;
      }
      // Retry the newest checkpoint known by then, after the backoff.
      const newer = this.pending as Checkpoint | undefined;
      if (!newer || newer.size < cp.size) this.pending = cp;
      this.failures++;
      await this.sleep(backoffMs(this.failures, this.deps.timing.minBackoffMs, this.deps.timing.maxBackoffMs));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      t.unref();
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }

  private error(message: string): void {
    this.status.lastError = { message, at: this.deps.now() };
  }

  private fork(message: string): never {
    if (this.status.forked === undefined) this.deps.warn(`FORK: witness ${this.target.name} has seen another history of this log: ${message}`);
    this.status.forked = message;
    throw new Refused(message);
  }

  /** One checkpoint to the witness, resending from the witness's own size on 409. */
  private async submit(cp: Checkpoint): Promise<void> {
    let old = this.size;
    const told = new Set<number>();
    for (;;) {
      if (old > cp.size) this.fork(`it holds ${old} entries, more than our newest checkpoint's ${cp.size}`);
      const proof = old === 0 || old === cp.size ? [] : await this.deps.proof(old, cp.size);
      const res = await this.post(formatAddCheckpoint({ old, proof, note: cp.note }));
      if (res.status === 200) return this.accepted(cp, res.body);
      if (res.status === 409) {
        const m = /^(0|[1-9][0-9]{0,15})\n?$/.exec(res.body);
        if (!m) throw new Error(`409 without a size body: ${JSON.stringify(res.body.slice(0, 80))}`);
        const theirs = Number(m[1]);
        // v1.0.0 answers the same size with another root with 409 naming that size.
        if (theirs === old && told.has(theirs)) this.fork(`it holds another tree of ${theirs} entries`);
        told.add(theirs);
        this.size = theirs;
        old = theirs;
        continue;
      }
      // Our proofs are right by construction: a witness that cannot verify one holds another tree at `old`.
      if (res.status === 422) this.fork(`it refused the consistency proof from ${old} to ${cp.size} entries (422: ${res.body.trim().slice(0, 200)})`);
      throw new Error(`${res.status} from ${this.target.name}: ${res.body.trim().slice(0, 200)}`);
    }
  }

  private accepted(cp: Checkpoint, body: string): void {
    this.size = cp.size;
    delete this.status.forked;
    this.deps.acknowledged(this);
    const text = noteParts(cp.note).text;
    const valid: { line: string; time: number }[] = [];
    for (const line of body.split('\n').filter((l) => l !== '')) {
      const m = /^— (\S+) (\S+)$/.exec(line);
      const time = m && m[1] === this.verifier.name ? this.verifier.verify(text, m[2]) : undefined;
      if (time === undefined) {
        this.deps.warn(`witness ${this.target.name}: a cosignature line that does not verify under its key was ignored`);
        continue;
      }
      valid.push({ line: `${line}\n`, time });
    }
    if (valid.length === 0) {
      this.error(`200 without a valid cosignature by ${this.verifier.vkey}`);
      return;
    }
    const { line, time } = valid[0];
    this.status.cosigned = { size: cp.size, time };
    delete this.status.lastError;
    this.deps.cosigned(this, cp.size, line, time);
  }

  private async post(body: string): Promise<{ status: number; body: string }> {
    const ac = new AbortController();
    this.abort = ac;
    const t = setTimeout(() => ac.abort(new Error(`no answer within ${this.deps.timing.timeoutMs} ms`)), this.deps.timing.timeoutMs);
    try {
      // A byte body: C2SP defines no Content-Type for the request, so none is sent.
      const res = await fetch(new URL('add-checkpoint', withSlash(this.target.url!)), { method: 'POST', body: Buffer.from(body), signal: ac.signal });
      return { status: res.status, body: await res.text() };
    } catch (e) {
      const err = e as Error & { cause?: Error };
      throw new Error(ac.signal.aborted && ac.signal.reason instanceof Error ? ac.signal.reason.message : (err.cause?.message ?? err.message));
    } finally {
      clearTimeout(t);
      this.abort = undefined;
    }
  }
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
