// A party's own replica of the record (design §5). Each round it reads the server's
// checkpoint, checks that it extends the one it remembers (a consistency proof), mirrors
// the new entries from the tlog-tiles, checks every signature (on every core) and the
// key book, recomputes the root, fetches what it may read of each sealed commitment, and
// only then remembers the new checkpoint. A checkpoint that does not extend the
// remembered one stops it: it finds where the server's log and its mirror part and
// records exactly that, with both signed checkpoints.
//
// Crash safety: entries are appended to the mirror as they are verified (durable per
// batch); follow.json moves only after the mirror holds the checkpoint and everything
// it covers. On restart, entries mirrored beyond follow.json are run through the key
// book again and the catch-up continues from the mirror's end.

import { mkdirSync, readFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openCheckpoint, parseCheckpoint, type OpenedCheckpoint } from '../record/checkpoint.ts';
import { bytesEqual, decodeBase64, encodeBase64, utf8 } from '../record/encoding.ts';
import { KeyBook } from '../record/key-book.ts';
import { parseVerifierKey, type Verifier } from '../record/keys.ts';
import { DuplicateStatementError } from '../record/log-store.ts';
import { rootOf, verifyConsistency } from '../record/merkle.ts';
import { verifyDisclosure } from '../record/sealed.ts';
import { checkCosignatures, type NamedWitnesses } from '../record/bundle-witnessing.ts';
import { parseEntry } from '../record/statement.ts';
import { STANDARD_TILE_WIDTH as W, standardTileWidth } from '../record/standard-tiles.ts';
import { logDir } from '../store/layout.ts';
import { FollowClient } from './client.ts';
import { commitmentsOf } from './commitments.ts';
import { DISCREPANCIES_FILE, type Discrepancy, recordDiscrepancies } from './discrepancy.ts';
import { findDivergence } from './diverge.ts';
import { Mirror } from './mirror.ts';
import { Openings } from './openings.ts';
import { type FollowState, readState, writeState } from './state.ts';
import type { CheckedEntries } from './entry-check.ts';
import { type EntryChecker, EntryCheckPool } from './entry-check-pool.ts';
import { judgeEntries, noEntries, type VerifiedEntries, verifyEntries } from './verify-entries.ts';

/** What a check over the mirror sees after a round: entries [from, to) are new. */
export interface RoundContext {
  mirror: Mirror;
  openings: Openings;
  from: number;
  to: number;
  /** the checkpoint now verified (signed note) */
  checkpoint: string;
}

/**
 * A check run after every catch-up round over the mirrored entries and openings: the
 * seam for re-running the engine and comparing with the server's `findings` (design §5,
 * last point). What it returns is recorded like any other discrepancy.
 */
export type RoundCheck = (ctx: RoundContext) => Promise<Discrepancy[]>;

export interface FollowerOptions {
  /** the follower's directory (DIR) */
  dir: string;
  url: string;
  arrangement: string;
  token: string;
  client?: FollowClient;
  /** the workers that parse, hash and verify entries (default: one per core, closed with the follower) */
  pool?: EntryChecker;
  checks?: readonly RoundCheck[];
  /** progress and findings, one line each (default: nothing) */
  say?: (line: string) => void;
  /** follow the newest checkpoint the log signed even when the arrangement has witnesses */
  latest?: boolean;
  /** verified entries per durable append (default 4096: one fsync each) */
  appendBatch?: number;
}

export interface RoundResult {
  /** entries verified (the size of the remembered checkpoint) */
  size: number;
  /** entries mirrored this round */
  appended: number;
  /** found this round (already recorded) */
  discrepancies: Discrepancy[];
  /** the follower stopped following: the server's log is not the one it verified */
  stopped: boolean;
}

/** Entries per durable append: one fsync per this many. */
const APPEND_BATCH = 4096;
/** Entry bundles fetched ahead of verification. */
const FETCH_AHEAD = 8;
/** Bundles being verified at once (keeps every pool worker busy). */
const VERIFY_AHEAD = 6;
/** Sealed contents asked for at once. */
const OPEN_AHEAD = 8;

const noop = () => {};

export class Follower {
  readonly dir: string;
  private readonly o: FollowerOptions;
  readonly client: FollowClient;
  private readonly pool: EntryChecker;
  private readonly ownPool: boolean;
  private state: FollowState | undefined;
  private mirror: Mirror | undefined;
  readonly openings: Openings;
  private logKey: Verifier | undefined;
  private origin: string | undefined;
  private book: KeyBook | undefined;
  /** entries the key book has moved past */
  private bookSize = 0;
  private stoppedBy: Discrepancy[] | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly reported = new Set<string>();
  private readonly say: (line: string) => void;
  private readonly appendBatch: number;
  private readonly ownClient: boolean;

  constructor(o: FollowerOptions) {
    this.o = o;
    this.dir = o.dir;
    mkdirSync(o.dir, { recursive: true, mode: 0o700 });
    this.client = o.client ?? new FollowClient(o);
    this.ownClient = o.client === undefined;
    this.pool = o.pool ?? new EntryCheckPool();
    this.ownPool = o.pool === undefined;
    this.say = o.say ?? noop;
    this.appendBatch = o.appendBatch ?? APPEND_BATCH;
    this.state = readState(o.dir);
    this.openings = new Openings(o.dir);
    const path = join(o.dir, DISCREPANCIES_FILE);
    if (existsSync(path)) for (const line of readFileSync(path, 'utf8').split('\n')) if (line) this.reported.add(keyOf(JSON.parse(line) as Discrepancy));
  }

  /** What the follower has verified: the remembered checkpoint. */
  get verified(): { size: number; root: Uint8Array; checkpoint: string } | undefined {
    const s = this.state;
    return s && { size: s.size, root: decodeBase64(s.root, 'root'), checkpoint: s.checkpoint };
  }

  get stopped(): readonly Discrepancy[] | undefined {
    return this.stoppedBy;
  }

  /** The log's origin and key, once known. */
  get log(): { origin: string; key: Verifier } | undefined {
    return this.origin && this.logKey ? { origin: this.origin, key: this.logKey } : undefined;
  }

  /**
   * One round: the server's checkpoint (or `note`, a checkpoint the log signed that a
   * caller was handed, e.g. by a witness request) checked, caught up to and remembered.
   * Rounds run one at a time. Throws ServerError when the server cannot be read (the next
   * round resumes where this one stopped).
   */
  round(note?: string): Promise<RoundResult> {
    const r = this.queue.then(() =>
      this.doRound(note).catch((e: unknown) => {
        // The key book may have moved past entries verified but not yet durable: go back
        // to the remembered one; the next round runs it over what the mirror holds.
        this.book = this.state ? KeyBook.fromJSON(this.state.keyBook) : this.logKey && new KeyBook([this.logKey.vkey]);
        this.bookSize = this.state?.size ?? 0;
        this.commitments = [];
        this.notedFrom = undefined;
        throw e;
      }),
    );
    this.queue = r.catch(noop);
    return r;
  }

  /** The root of the mirrored tree of `size` entries (verified sizes only). */
  async rootAt(size: number): Promise<Uint8Array> {
    const v = this.verified;
    if (!v || size > v.size) throw new Error(`size ${size} is beyond what is verified`);
    if (size === v.size) return v.root;
    return rootOf(await this.mirror!.leafHashes(0, size));
  }

  async close(): Promise<void> {
    await this.queue;
    await this.mirror?.close();
    this.openings.close();
    if (this.ownPool) await this.pool.close();
    if (this.ownClient) this.client.close();
  }

  private async start(): Promise<void> {
    if (this.mirror) return;
    const s = this.state;
    const served = await this.client.logKey();
    if (s) {
      this.logKey = parseVerifierKey(s.logKey);
      this.origin = s.origin;
      if (served !== s.logKey) {
        this.stop([{ kind: 'log-key-changed', detail: `the server now names the log key ${served}; the record was verified under ${s.logKey}` }]);
      }
      this.book = KeyBook.fromJSON(s.keyBook);
      this.bookSize = s.size;
    } else {
      this.logKey = parseVerifierKey(served);
      const cp = parseCheckpoint((await this.client.checkpoint(this.o.latest)).note.split('\n\n')[0] + '\n');
      if (!new RegExp(`^detente/[^/\\s]+/${escapeRegExp(this.o.arrangement)}$`).test(cp.origin)) {
        throw new Error(`the server's checkpoint is of ${cp.origin}, not of arrangement ${this.o.arrangement}`);
      }
      this.origin = cp.origin;
      this.book = new KeyBook([served]);
      this.bookSize = 0;
    }
    this.mirror = await Mirror.open(logDir(this.dir, this.o.arrangement), { origin: this.origin!, logKey: this.logKey!.vkey });
    if (s && this.mirror.size < s.size)
      throw new Error(`${this.dir}: the mirror holds ${this.mirror.size} entries, fewer than the ${s.size} follow.json remembers`);
  }

  private async doRound(target?: string): Promise<RoundResult> {
    await this.start();
    const mirror = this.mirror!;
    const before = this.state?.size ?? 0;
    const result = (found: Discrepancy[] = [], appended = 0): RoundResult => ({
      size: this.state?.size ?? 0,
      appended,
      discrepancies: found,
      stopped: this.stoppedBy !== undefined,
    });
    if (this.stoppedBy) return result();

    const served = target === undefined ? await this.client.checkpoint(this.o.latest) : { note: target, witnessed: null };
    const note = served.note;
    let cp: OpenedCheckpoint;
    try {
      cp = openCheckpoint(note, this.logKey!, this.origin);
    } catch (e) {
      return result(this.stop([{ kind: 'bad-checkpoint', detail: (e as Error).message, checkpoint: note }]));
    }
    const s = this.state;
    if (s) {
      const root = decodeBase64(s.root, 'root');
      let why: string | undefined;
      if (cp.size < s.size) why = `the served checkpoint is for ${cp.size} entries, fewer than the ${s.size} remembered`;
      else if (cp.size === s.size) why = bytesEqual(cp.root, root) ? undefined : `another root at the remembered size ${s.size}`;
      else if (!verifyConsistency(s.size, cp.size, root, cp.root, await this.client.consistency(s.size, cp.size))) {
        why = `the consistency proof from ${s.size} to ${cp.size} entries does not verify`;
      }
      if (why !== undefined) return result(await this.diverged(s.size, cp, note, why));
      if (cp.size === s.size) return result();
    }
    if (mirror.size > cp.size) {
      // Entries mirrored beyond this checkpoint (a round cut short, then the server went
      // back to an older checkpoint): wait for one covering them, unless they differ.
      const d = await findDivergence(this.client, mirror, mirror.size, cp.size);
      if (d && d.kind !== 'entries-truncated') return result(this.stop([{ ...d, remembered: s?.checkpoint, checkpoint: note }]));
      return result();
    }

    const failure = (await this.rekey()) ?? (await this.catchUp(cp.size));
    if (failure) return result(this.stop([{ ...failure, checkpoint: note }]), mirror.size - before);
    if (!bytesEqual(mirror.root(), cp.root)) {
      const d = await findDivergence(this.client, mirror, mirror.size, cp.size);
      return result(
        this.stop([
          {
            ...(d ?? {}),
            kind: 'root-mismatch',
            detail: `the served entries hash to ${encodeBase64(mirror.root())}, not to the checkpoint's root ${encodeBase64(cp.root)}${d ? `; first difference from the served tree: ${d.kind} at ${d.index}` : ''}`,
            checkpoint: note,
          },
        ]),
        cp.size - before,
      );
    }
    const unwitnessed = served.witnessed === 'quorum' ? this.witnessQuorum(await mirror.entries(0, 1), note) : undefined;
    await mirror.saveCheckpoint(cp.size, note);
    const opened = await this.settleOpenings(s?.openedThrough ?? 0, cp.size);
    this.state = {
      v: 1,
      url: this.o.url,
      arrangement: this.o.arrangement,
      origin: this.origin!,
      logKey: this.logKey!.vkey,
      checkpoint: note,
      size: cp.size,
      root: encodeBase64(cp.root),
      keyBook: this.book!.toJSON(),
      openedThrough: cp.size,
    };
    writeState(this.dir, this.state);
    this.say(`verified ${cp.size} entries (${cp.size - before} new)`);
    return result([...this.record([...(unwitnessed ? [unwitnessed] : []), ...opened]), ...(await this.check(before))], cp.size - before);
  }

  /**
   * A checkpoint served as witnessed must carry the quorum of cosignatures the genesis
   * (entry 0, the arrangement) names. A shortfall is recorded; the entries and root hold
   * all the same, so the follower goes on.
   */
  private witnessQuorum(genesis: Uint8Array[], note: string): Discrepancy | undefined {
    const doc = genesis[0] && (parseEntry(genesis[0]).statement.body as { document?: { witnesses?: Partial<NamedWitnesses> } }).document;
    const w = doc?.witnesses;
    if (!w || !Array.isArray(w.keys) || !Number.isSafeInteger(w.quorum)) {
      return { kind: 'witness-quorum', detail: 'served as witnessed, but the genesis names no witnesses', checkpoint: note };
    }
    const c = checkCosignatures(
      note,
      w.keys.map((k) => k.key),
      w.quorum!,
    );
    return c.ok ? undefined : { kind: 'witness-quorum', detail: `served as witnessed: ${c.message}`, checkpoint: note };
  }

  /** Runs the checks over what this round added. */
  private async check(from: number): Promise<Discrepancy[]> {
    const found: Discrepancy[] = [];
    for (const c of this.o.checks ?? []) {
      found.push(...(await c({ mirror: this.mirror!, openings: this.openings, from, to: this.state!.size, checkpoint: this.state!.checkpoint })));
    }
    return this.record(found);
  }

  /** The key book over entries mirrored before a crash but not yet remembered. */
  private async rekey(): Promise<Discrepancy | undefined> {
    const mirror = this.mirror!;
    while (this.bookSize < mirror.size) {
      const to = Math.min(mirror.size, this.bookSize + APPEND_BATCH);
      const { ok, failure } = await verifyEntries(this.pool, this.book!, this.bookSize, await mirror.entries(this.bookSize, to));
      if (failure) return failure;
      this.bookSize += ok.entries.length;
    }
    return undefined;
  }

  /** Mirrors and verifies entries up to `size`; the first entry that fails, if any. */
  private async catchUp(size: number): Promise<Discrepancy | undefined> {
    const mirror = this.mirror!;
    const first = mirror.size;
    if (first >= size) return undefined;
    const end = Math.ceil(size / W);
    let nextFetch = Math.floor(first / W);
    const fetches: Promise<Uint8Array[]>[] = [];
    const fetchOne = () => {
      const b = nextFetch++;
      const p = this.client.entryBundle(b, standardTileWidth(size, 0, b)).then((list) => (b * W < first ? list.slice(first - b * W) : list));
      p.catch(noop); // awaited in order below; a failure after a stop must not go unhandled
      fetches.push(p);
    };
    while (nextFetch < end && fetches.length < FETCH_AHEAD) fetchOne();
    // Bundles are checked on the workers concurrently, and judged against the key book
    // here strictly in index order (settle takes them first to last).
    const verifying: Array<{ first: number; list: Uint8Array[]; checked: Promise<CheckedEntries> }> = [];
    let pending = noEntries();
    let index = first;
    let failed: Discrepancy | undefined;

    // A batch's durable append (its fsync, tens of milliseconds here and sometimes more)
    // runs while the next batches are checked: awaiting it in line left the workers idle
    // whenever it outlasted the batches queued on them. One append at a time: the mirror
    // numbers each batch from where the last one ended.
    let appending: Promise<void> = Promise.resolve();
    const flush = async () => {
      await appending;
      if (failed || pending.entries.length === 0) return;
      const batch = pending;
      pending = noEntries();
      appending = mirror.append(batch.entries, batch.leaves, batch.ids).then(
        () => {
          this.bookSize = mirror.size;
          this.noteCommitments(batch);
        },
        (e: unknown) => {
          if (!(e instanceof DuplicateStatementError)) throw e;
          failed = { kind: 'replay', index: mirror.size, detail: 'a statement in this batch is already in the log (the same signed statement twice)' };
        },
      );
      appending.catch(noop); // awaited by the next flush or before returning
    };
    const settle = async () => {
      const v = verifying.shift()!;
      const checked = await v.checked;
      if (failed) return;
      const r = judgeEntries(this.book!, v.first, v.list, checked);
      for (const k of ['entries', 'leaves', 'ids', 'authors', 'commitments'] as const) (pending[k] as unknown[]).push(...r.ok[k]);
      if (r.failure) {
        await flush();
        await appending;
        failed ??= r.failure;
      } else if (pending.entries.length >= this.appendBatch) await flush();
    };

    try {
      while (fetches.length > 0 && !failed) {
        // Verified bundles go to the mirror while the next one is on its way, so that what
        // is verified is durable soon (a follower killed loses little) and memory stays flat.
        const next = fetches[0];
        while (verifying.length > 0 && !failed) {
          const first = await Promise.race([verifying[0].checked.then(() => 'verified'), next.then(noop, noop)]);
          if (first !== 'verified' && verifying.length < VERIFY_AHEAD) break;
          await settle();
        }
        if (failed) break;
        const list = await fetches.shift()!;
        if (nextFetch < end) fetchOne();
        const checked = this.pool.check(list);
        checked.catch(noop);
        verifying.push({ first: index, list, checked });
        index += list.length;
      }
      while (verifying.length > 0 && !failed) await settle();
      if (!failed) await flush();
      await appending;
    } finally {
      // Nothing is left appending when this returns or throws: a next round starts from
      // the mirror's size, which an append still under way has not moved yet.
      await appending.catch(noop);
    }
    return failed;
  }

  /** Commitments named by mirrored entries, to fetch once the round's checkpoint holds. */
  private commitments: Array<{ digest: string; entry: number }> = [];
  /** the first entry whose commitments are in `commitments` (those before it are read again from the mirror) */
  private notedFrom: number | undefined;

  private noteCommitments(batch: VerifiedEntries): void {
    const first = this.mirror!.size - batch.entries.length;
    this.notedFrom ??= first;
    batch.commitments.forEach((list, i) => {
      for (const digest of list) this.commitments.push({ digest, entry: first + i });
    });
  }

  /** Fetches what this actor may read of every commitment in entries [from, to) not yet asked for; checks each opening. */
  private async settleOpenings(from: number, to: number): Promise<Discrepancy[]> {
    // After a restart the commitments of entries mirrored earlier are found again here.
    const scanTo = Math.min(to, this.notedFrom ?? to);
    this.notedFrom = undefined;
    for (let a = from; a < scanTo; a += APPEND_BATCH) {
      const b = Math.min(scanTo, a + APPEND_BATCH);
      const list = await this.mirror!.entries(a, b);
      list.forEach((bytes, i) => {
        const body = (JSON.parse(Buffer.from(bytes).toString('utf8')) as { statement: { body: unknown } }).statement.body;
        for (const digest of commitmentsOf(body)) this.commitments.push({ digest, entry: a + i });
      });
    }
    const unasked = this.commitments.filter((c) => c.entry < to && !this.openings.has(c.digest));
    this.commitments = this.commitments.filter((c) => c.entry >= to);
    const found: Discrepancy[] = [];
    for (let i = 0; i < unasked.length; i += OPEN_AHEAD) {
      const part = unasked.slice(i, i + OPEN_AHEAD);
      const got = await Promise.all(part.map((c) => this.client.sealed(c.digest)));
      for (let k = 0; k < part.length; k++) {
        const { digest, entry } = part[k];
        const o = got[k];
        if (o.level === 'full') {
          const content = utf8(o.content);
          if (verifyDisclosure(digest, content, o.salt)) await this.mirror!.putSealed(digest, o.salt, content);
          else found.push({ kind: 'bad-opening', index: entry, sealed: digest, detail: `the content and salt released for ${digest} do not hash to it` });
        }
        this.openings.put(digest, entry, o);
      }
    }
    return found;
  }

  /** The served checkpoint does not extend the remembered one: where do the logs part? */
  private async diverged(rememberedSize: number, cp: OpenedCheckpoint, note: string, why: string): Promise<Discrepancy[]> {
    const d = await findDivergence(this.client, this.mirror!, rememberedSize, cp.size);
    const base = { remembered: this.state!.checkpoint, checkpoint: note };
    return this.stop([
      d ? { ...d, ...base, detail: `${why}: ${d.detail}` } : { kind: 'inconsistent', detail: `${why}, yet no mirrored entry differs`, ...base },
    ]);
  }

  private stop(found: Discrepancy[]): Discrepancy[] {
    this.stoppedBy = found;
    for (const d of found) this.say(`discrepancy: ${d.kind}${d.index === undefined ? '' : ` at ${d.index}`}: ${d.detail}`);
    return this.record(found);
  }

  /** Records what was not recorded before (a restart finds the same divergence again). */
  private record(found: Discrepancy[]): Discrepancy[] {
    const fresh = found.filter((d) => !this.reported.has(keyOf(d)));
    for (const d of fresh) this.reported.add(keyOf(d));
    recordDiscrepancies(this.dir, fresh);
    return found;
  }
}

function keyOf(d: Discrepancy): string {
  return JSON.stringify([d.kind, d.index, d.mirrored, d.served, d.sealed, d.checkpoint]);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
