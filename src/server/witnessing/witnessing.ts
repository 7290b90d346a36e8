// A log's witnessing: one client per witness the arrangement names, the witnessed head
// they make up, and the state kept beside the log for a restart. The log hands it each
// checkpoint it signs (Log's onCheckpoint); nothing the log does waits for it.
import { join } from 'node:path';
import type { Witnesses } from '../../arrangement/types.ts';
import { openCheckpoint, parseCheckpoint } from '../../record/checkpoint.ts';
import { noteParts } from '../../record/cosignature.ts';
import { DEFAULT_MAX_BACKOFF_MS, DEFAULT_MIN_BACKOFF_MS } from './backoff.ts';
import { readWitnessingState, StateWriter, type WitnessingState } from './state-file.ts';
import { type ClientTiming, WitnessClient, type WitnessStatus } from './witness-client.ts';
import { type Head, WitnessedHead } from './witnessed-head.ts';

export const WITNESSING_FILE = 'witnessing.json';

export interface WitnessingOptions {
  origin: string;
  /** the log's verifier key: a kept witnessed checkpoint it does not open is dropped */
  logKey?: string;
  witnesses: Witnesses;
  /** witness name → base URL (`detente serve --witness NAME=URL`) */
  urls: ReadonlyMap<string, string>;
  /** the log's directory: the state is kept there */
  dir: string;
  proof(old: number, size: number): Promise<Uint8Array[]>;
  /** the witnessed head moved */
  onWitnessed?(head: Head): void;
  warn?(message: string): void;
  now?(): number;
  timing?: Partial<ClientTiming>;
}

export interface WitnessingStatus {
  quorum: number;
  /** the newest checkpoint the log signed */
  log: { size: number };
  /** the newest with a quorum of cosignatures, if any */
  witnessed: { size: number } | null;
  /** how far the witnessed head is behind the log's */
  behind: { entries: number; ms: number };
  witnesses: WitnessStatus[];
}

export class Witnessing {
  private readonly clients: WitnessClient[];
  private readonly head: WitnessedHead;
  private readonly state: WitnessingState;
  private readonly writer: StateWriter;
  private readonly now: () => number;
  private latest: { note: string; size: number } | undefined;
  private closed = false;
  private readonly warn: (message: string) => void;

  constructor(private readonly o: WitnessingOptions) {
    this.now = o.now ?? Date.now;
    const path = join(o.dir, WITNESSING_FILE);
    this.state = readWitnessingState(path, o.origin);
    this.writer = new StateWriter(path);
    const timing: ClientTiming = {
      minBackoffMs: o.timing?.minBackoffMs ?? DEFAULT_MIN_BACKOFF_MS,
      maxBackoffMs: o.timing?.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS,
      timeoutMs: o.timing?.timeoutMs ?? 10_000,
    };
    const warn = (this.warn = o.warn ?? ((m: string) => process.stderr.write(`detente: ${m}\n`)));
    this.clients = o.witnesses.keys.map(
      (w) =>
        new WitnessClient({ ...w, url: o.urls.get(w.name) }, this.state.sizes[w.key] ?? 0, {
          timing,
          proof: o.proof,
          now: this.now,
          warn,
          acknowledged: (c) => {
            this.state.sizes[c.target.key] = c.size;
            this.save();
          },
          cosigned: (c, size, line) => this.cosigned(c, size, line),
        }),
    );
    this.head = new WitnessedHead(
      o.witnesses.quorum,
      this.clients.map((c) => c.target.key),
      this.keptWitnessed(),
    );
  }

  /** Names of the witnesses the deployment was given no URL for: they never cosign. */
  get unreachable(): string[] {
    return this.clients.filter((c) => c.target.url === undefined).map((c) => c.target.name);
  }

  /** The newest checkpoint with a quorum of cosignatures, as one note. */
  get witnessed(): Head | undefined {
    return this.head.current;
  }

  /** A checkpoint the log signed (size optional: read from the note). */
  checkpoint(note: string, size = parseCheckpoint(noteParts(note).text).size): void {
    if (this.closed || (this.latest && this.latest.size >= size)) return;
    this.latest = { note, size };
    this.head.signed(note, size, this.now());
    for (const c of this.clients) c.offer(note, size);
  }

  status(): WitnessingStatus {
    const logSize = this.latest?.size ?? 0;
    const w = this.head.current;
    return {
      quorum: this.o.witnesses.quorum,
      log: { size: logSize },
      witnessed: w ? { size: w.size } : null,
      behind: { entries: Math.max(0, logSize - (w?.size ?? 0)), ms: this.head.lagMs(this.now()) },
      witnesses: this.clients.map((c) => c.view()),
    };
  }

  /** Stops submitting and writes what is kept. */
  async close(): Promise<void> {
    this.closed = true;
    for (const c of this.clients) c.close();
    // Closing the deployment must go on: what is not kept, the witnesses' 409s restore.
    await this.writer.flush().catch((e: unknown) => this.warn(`cannot keep the witnessing state: ${(e as Error).message}`));
  }

  private cosigned(c: WitnessClient, size: number, line: string): void {
    if (!this.head.cosigned(c.target.key, size, line)) return;
    const h = this.head.current!;
    this.state.witnessed = h.note;
    this.save();
    this.o.onWitnessed?.(h);
  }

  /** The witnessed checkpoint kept from before, if it is this log's. */
  private keptWitnessed(): string | undefined {
    const note = this.state.witnessed;
    if (note === undefined || this.o.logKey === undefined) return note;
    try {
      openCheckpoint(note, this.o.logKey, this.o.origin);
      return note;
    } catch (e) {
      this.warn(`the witnessed checkpoint kept in ${WITNESSING_FILE} is not this log's (${(e as Error).message}); it is dropped`);
      delete this.state.witnessed;
      return undefined;
    }
  }

  private save(): void {
    this.writer.save(this.state).catch((e: unknown) => this.warn(`cannot keep the witnessing state: ${(e as Error).message}`));
  }
}
