// Ed25519 verification on every core: a pool of worker threads, each verifying batches
// of (message, signature, public key) and answering one verdict per item. Statements
// signed by their authors arrive one per request, so the pool gathers what arrives into
// batches (one message each way, buffers transferred, not copied). Each worker has at
// most two batches in flight: it verifies one while the next waits in its queue, so it
// never idles between batches, and what arrives meanwhile waits here and goes out as one
// larger batch when a verdict comes back — under load batches grow (fewer messages, and
// callers resumed together append together), when idle a lone item goes at once. The
// cheap, strict checks (key encoding and name, canonical signature) stay on the calling
// thread; only the curve arithmetic, which is nearly all of the cost, goes to the workers,
// which run at a lower priority than the threads that acknowledge (NICE below) and
// verify with libsodium where it loads (ed25519.ts's sodium(): the same verdicts as
// OpenSSL's after the strict checks, in about two thirds of the time).

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type Ed25519Engine, publicKeyProblem, SPKI_PREFIX_HEX, signatureProblem, sodiumPath } from './ed25519.ts';
import { badStatementSignature, type SignedStatement, signatureInput } from './statement.ts';

/** What the workers get: n items, the messages back to back. */
interface Batch {
  id: number;
  messages: Uint8Array;
  /** n + 1 offsets into messages */
  offsets: Uint32Array;
  /** 64 bytes each */
  sigs: Uint8Array;
  /** 32 bytes each */
  pubs: Uint8Array;
}

interface Verdicts {
  id: number;
  /** 1 verifies, 0 not */
  ok: Uint8Array;
}

interface Item {
  message: Uint8Array;
  sig: Uint8Array;
  pub: Uint8Array;
  /** the statement whose signature this is, when the caller wants a RecordError rather than a verdict */
  statement: SignedStatement | undefined;
  resolve: (ok: boolean) => void;
  reject: (e: Error) => void;
}

/** Settles an item: a verdict, or for a statement nothing (it verifies) or its RecordError. */
function answer(it: Item, ok: boolean): void {
  if (ok || it.statement === undefined) it.resolve(ok);
  else it.reject(badStatementSignature(it.statement));
}

interface Member {
  worker: Worker;
  /** what the worker verifies with, once it has said */
  engine: Promise<Ed25519Engine>;
  /** items sent and not answered */
  load: number;
  inFlight: Map<number, Item[]>;
}

/** Checks a statement's signature the way record/statement.ts's verifyStatement does, asynchronously. */
export interface StatementVerifier {
  /** resolves when every statement's signature verifies; rejects with the first failure's RecordError */
  verifyStatements(list: readonly SignedStatement[]): Promise<void>;
}

/** Batches a worker holds at once: the one it verifies and the next. */
const IN_FLIGHT = 2;
/**
 * The workers' niceness (Linux; elsewhere they keep the process's). Verifying is
 * throughput work that fills whatever CPU is left; the main thread and the store's
 * append thread are on every request's path, and when both cores are busy verifying,
 * each waited its turn behind a batch: acknowledgements came later, fewer requests were
 * in flight, and the workers ran dry between them. At a lower priority they yield at
 * once and still have every cycle the others leave.
 */
const NICE = 10;
/** Items per message at most (~40 ms of one core's verification). */
const MAX_BATCH = 512;

// The worker is plain JavaScript, so it starts fast and needs no TypeScript loader (one
// registered in a worker thread keeps the process alive). What it verifies has passed
// the strict encoding checks on the calling thread. It says first which engine it has.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
let sodiumVerify;
if (workerData.sodium) {
  try {
    sodiumVerify = require(workerData.sodium).crypto_sign_verify_detached;
  } catch {}
}
const { createPublicKey, verify } = require('node:crypto');
const SPKI = Buffer.from('${SPKI_PREFIX_HEX}', 'hex');
const keys = new Map();
function opensslVerify(message, pub, sig) {
  const id = Buffer.from(pub.buffer, pub.byteOffset, 32).toString('latin1');
  let key = keys.get(id);
  if (!key) {
    key = createPublicKey({ key: Buffer.concat([SPKI, pub]), format: 'der', type: 'spki' });
    if (keys.size >= 4096) keys.clear();
    keys.set(id, key);
  }
  return verify(null, message, key, sig);
}
try {
  // Linux: this thread's id, to lower its priority alone (see NICE).
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  require('node:os').setPriority(tid, ${NICE});
} catch {}
parentPort.postMessage({ engine: sodiumVerify ? 'libsodium' : 'node:crypto' });
parentPort.on('message', (b) => {
  const n = b.offsets.length - 1;
  const ok = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const message = b.messages.subarray(b.offsets[i], b.offsets[i + 1]);
    const pub = b.pubs.subarray(32 * i, 32 * i + 32);
    const sig = b.sigs.subarray(64 * i, 64 * i + 64);
    try {
      ok[i] = (sodiumVerify ? sodiumVerify(sig, message, pub) : opensslVerify(message, pub, sig)) ? 1 : 0;
    } catch {
      ok[i] = 0;
    }
  }
  parentPort.postMessage({ id: b.id, ok }, [ok.buffer]);
});
`;

export class VerifyPool implements StatementVerifier {
  readonly size: number;
  private readonly members: Member[] = [];
  private pending: Item[] = [];
  private scheduled = false;
  private nextId = 1;
  private closed = false;
  /** flush, bound once: it is scheduled on every busy turn */
  private readonly flushLater = () => this.flush();

  /** libsodium unless told otherwise (or unless it does not load) */
  private readonly prefer: Ed25519Engine;

  constructor(size = availableParallelism(), options: { engine?: Ed25519Engine } = {}) {
    this.size = Math.max(1, size);
    this.prefer = options.engine ?? 'libsodium';
  }

  /** What the workers verify with: libsodium when every worker loaded it, else node:crypto. */
  async engine(): Promise<Ed25519Engine> {
    this.warm();
    // An idle worker does not hold the process (spawn): while asked, it does.
    const members = [...this.members];
    for (const m of members) m.worker.ref();
    try {
      const all = await Promise.all(members.map((m) => m.engine));
      return all.every((e) => e === 'libsodium') ? 'libsodium' : 'node:crypto';
    } finally {
      for (const m of members) if (m.load === 0) m.worker.unref();
    }
  }

  /** Starts the workers now rather than on the first verification (they take a moment to load). */
  warm(): void {
    while (this.members.length < this.size) this.members.push(this.spawn());
  }

  /** True when `sig` is `pub`'s signature of `message`, with ed25519.ts's strictness (canonical S and R, no weak keys). */
  verify(message: Uint8Array, sig: Uint8Array, pub: Uint8Array): Promise<boolean> {
    if (signatureProblem(sig) !== undefined || publicKeyProblem(pub) !== undefined) return Promise.resolve(false);
    return this.enqueue(message, sig, pub, undefined);
  }

  /**
   * The curve check alone, of a signature and key already found strict. With a
   * statement, the promise rejects with its RecordError instead of resolving false: a
   * caller awaiting one statement (a request) then needs no promise of its own on top.
   */
  private enqueue(message: Uint8Array, sig: Uint8Array, pub: Uint8Array, statement: SignedStatement | undefined): Promise<boolean> {
    if (this.closed) return Promise.reject(new Error('the verify pool is closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ message, sig, pub, statement, resolve, reject });
      if (this.pending.length >= MAX_BATCH) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.flushLater);
      }
    });
  }

  verifyStatements(list: readonly SignedStatement[]): Promise<void> {
    // The same checks, in the same order and words, as verifyStatement: only the curve
    // check moves (signatureInput has checked the signature's form, parseVerifierKey the
    // key's). A check that fails before the curve rejects, as the curve's failure does.
    try {
      if (list.length === 1) {
        const { verifier, message, sig } = signatureInput(list[0]);
        // (it resolves with true, which a Promise<void>'s callers do not read)
        return this.enqueue(message, sig, verifier.publicKey, list[0]) as Promise<unknown> as Promise<void>;
      }
      // Every statement's form is checked before any goes out (no check is left without
      // a listener); the first in the list that fails names the error, whichever worker
      // answers first.
      const inputs = list.map(signatureInput);
      return Promise.all(inputs.map((i) => this.enqueue(i.message, i.sig, i.verifier.publicKey, undefined))).then((verdicts) => {
        const bad = verdicts.indexOf(false);
        if (bad >= 0) throw badStatementSignature(list[bad]);
      });
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Stops the workers; verifications not yet answered are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const gone = new Error('the verify pool is closed');
    for (const it of this.pending.splice(0)) it.reject(gone);
    await Promise.all(
      this.members.splice(0).map((m) => {
        for (const items of m.inFlight.values()) for (const it of items) it.reject(gone);
        return m.worker.terminate();
      }),
    );
  }

  private flush(): void {
    this.scheduled = false;
    if (!this.pending.length || this.closed) return;
    this.warm();
    // What waits is shared over the free slots (two per worker), so that idle workers
    // all get a part; with no free slot it waits for the next verdict.
    let free = 0;
    for (const m of this.members) free += Math.max(0, IN_FLIGHT - m.inFlight.size);
    while (this.pending.length && free > 0) {
      let m = this.members[0];
      for (const x of this.members) if (x.inFlight.size < m.inFlight.size || (x.inFlight.size === m.inFlight.size && x.load < m.load)) m = x;
      const n = Math.min(MAX_BATCH, Math.ceil(this.pending.length / free));
      this.send(m, this.pending.splice(0, n));
      free--;
    }
  }

  private send(m: Member, items: Item[]): void {
    if (!items.length) return;
    let total = 0;
    for (const it of items) total += it.message.length;
    const n = items.length;
    const messages = new Uint8Array(total);
    const offsets = new Uint32Array(n + 1);
    const sigs = new Uint8Array(64 * n);
    const pubs = new Uint8Array(32 * n);
    let at = 0;
    for (let i = 0; i < n; i++) {
      const it = items[i];
      offsets[i] = at;
      messages.set(it.message, at);
      at += it.message.length;
      sigs.set(it.sig, 64 * i);
      pubs.set(it.pub, 32 * i);
    }
    offsets[n] = at;
    const id = this.nextId++;
    m.inFlight.set(id, items);
    if (m.load === 0) m.worker.ref();
    m.load += n;
    const batch: Batch = { id, messages, offsets, sigs, pubs };
    m.worker.postMessage(batch, [messages.buffer, offsets.buffer, sigs.buffer, pubs.buffer]);
  }

  private spawn(): Member {
    // No flags of this process (a loader, --input-type): the worker is plain CommonJS.
    const worker = new Worker(WORKER, { eval: true, execArgv: [], workerData: { sodium: this.prefer === 'libsodium' ? sodiumPath() : undefined } });
    let said!: (e: Ed25519Engine) => void;
    const m: Member = { worker, engine: new Promise((r) => (said = r)), load: 0, inFlight: new Map() };
    worker.on('message', (v: Verdicts | { engine: Ed25519Engine }) => {
      if ('engine' in v) return said(v.engine);
      const items = m.inFlight.get(v.id);
      if (!items) return;
      m.inFlight.delete(v.id);
      m.load -= items.length;
      if (m.load === 0) worker.unref();
      for (let i = 0; i < items.length; i++) answer(items[i], v.ok[i] === 1);
      // A slot is free: what waited goes now (after this turn's callers have added theirs).
      if (this.pending.length && !this.scheduled) {
        this.scheduled = true;
        setImmediate(this.flushLater);
      }
    });
    const fail = (e: Error) => {
      said('node:crypto'); // (a worker that never said has no engine to report)
      const i = this.members.indexOf(m);
      if (i >= 0) this.members.splice(i, 1);
      for (const items of m.inFlight.values()) for (const it of items) it.reject(e);
      m.inFlight.clear();
      if (this.pending.length && !this.closed) this.flush();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`a verify worker stopped (exit ${code})`)));
    // An idle pool does not keep the process alive; one with work in flight does. (After
    // the listeners: adding a 'message' listener refs the worker's port again.)
    worker.unref();
    return m;
  }
}

let shared: VerifyPool | undefined;

/** The process's pool, one worker per core, started on first use. */
export function sharedVerifyPool(): VerifyPool {
  shared ??= new VerifyPool();
  return shared;
}
