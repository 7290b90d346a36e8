// Follows the log's checkpoints for the record view: each one offered (fetched, or from
// a `checkpoint` event) is judged against the one remembered in IndexedDB; only a
// verified extension is remembered; a fork is kept beside it and nothing moves after it.
// One judgement at a time. Of the checkpoints events bring only the newest waits (they
// come faster than proofs are fetched); one the page fetched itself always gets judged,
// so that an event cannot push a checkpoint the server served out of sight unseen.
import { decodeBase64 } from '../../../src/record/encoding.ts';
import { parseVerifierKey, type Verifier } from '../../../src/record/keys.ts';
import type { Api } from '../api/client.ts';
import { type Memory, recall, remember } from './checkpoint-memory.ts';
import { judgeCheckpoint, type Verdict, type WitnessPolicy } from './judge-checkpoint.ts';

export interface KeeperState {
  memory?: Memory;
  /** the newest log size seen, witnessed or not */
  logHead?: number;
  /** why the last offer was not taken, when it was not */
  problem?: string;
  /** witnesses the arrangement names; undefined when this page could not learn them */
  witnesses?: WitnessPolicy;
  witnessesKnown: boolean;
}

export class CheckpointKeeper {
  readonly state: KeeperState = { witnessesKnown: false };
  private log: Verifier | undefined;
  private running = false;
  private waiting: string | undefined;
  private fetched: string[] = [];
  private ready: Promise<void> | undefined;
  private refetch: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly api: Api,
    private readonly base: string,
    private readonly name: string,
    private readonly witnesses: () => Promise<WitnessPolicy | undefined | null>,
    private readonly changed: (verdict?: Verdict) => void,
  ) {}

  private start(): Promise<void> {
    this.ready ??= (async () => {
      this.state.memory = await recall(this.name).catch(() => undefined);
      this.log = parseVerifierKey((await this.api.text(`${this.base}/record/key`)).trim());
      const w = await this.witnesses();
      this.state.witnessesKnown = w !== null;
      this.state.witnesses = w ?? undefined;
      this.changed();
    })();
    return this.ready;
  }

  /** Offers a checkpoint note: one fetched, or one from an event (with the log head size it tells). */
  offer(note: string, size?: number): void {
    if (size === undefined) this.fetched.push(note);
    else {
      this.state.logHead = Math.max(this.state.logHead ?? 0, size);
      this.waiting = note;
    }
    void this.run();
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.start();
      for (;;) {
        const offered = this.fetched.shift() ?? this.waiting;
        if (offered === undefined) break;
        if (offered === this.waiting) this.waiting = undefined;
        await this.judge(offered);
      }
    } catch (e) {
      this.state.problem = (e as Error).message;
      this.changed();
    } finally {
      this.running = false;
    }
  }

  private async judge(offered: string): Promise<void> {
    const m = this.state.memory;
    // After a fork nothing moves: the page keeps what it has until someone looks.
    if (m && m.forks.length > 0) return;
    const v = await judgeCheckpoint({
      offered,
      remembered: m?.checkpoint,
      log: this.log!,
      witnesses: this.state.witnesses,
      consistency: async (from, to) => {
        const got = await this.api.json<{ proof: string[] }>(`${this.base}/record/proof/consistency?from=${from}&to=${to}`);
        return got.proof.map((p, i) => decodeBase64(p, `proof[${i}]`));
      },
    });
    const now = new Date().toISOString();
    switch (v.kind) {
      case 'first':
      case 'advanced':
      case 'same': {
        // The same checkpoint is kept again only when more witnesses have cosigned it since.
        if (v.kind !== 'same' || !m || v.cosigners.size > Object.keys(m.cosigners).length) {
          this.state.memory = {
            origin: v.cp.origin,
            checkpoint: offered,
            size: v.cp.size,
            cosigners: Object.fromEntries(v.cosigners),
            verified: now,
            forks: m?.forks ?? [],
          };
          await remember(this.name, this.state.memory);
        }
        this.state.logHead = Math.max(this.state.logHead ?? 0, v.cp.size);
        this.state.problem = undefined;
        break;
      }
      case 'older':
        break;
      case 'fork': {
        const memory = { ...m!, forks: [...m!.forks, { remembered: v.remembered, offered: v.offered, why: v.why, seen: now }] };
        this.state.memory = memory;
        await remember(this.name, memory);
        break;
      }
      case 'refused':
        if (v.size !== undefined) this.state.logHead = Math.max(this.state.logHead ?? 0, v.size);
        // An unwitnessed head is the normal state between cosignings: no alarm, only the
        // lag; the witnessed head is asked for again shortly (GET …/record/checkpoint
        // serves the newest checkpoint with a quorum of cosignatures).
        this.state.problem = v.witnessed === false ? undefined : v.why;
        if (v.witnessed === false) this.refetchSoon();
        break;
    }
    this.changed(v);
  }

  private refetchSoon(): void {
    if (this.refetch !== undefined) return;
    this.refetch = setTimeout(() => {
      this.refetch = undefined;
      this.api.text(`${this.base}/record/checkpoint`).then(
        (note) => this.offer(note),
        () => undefined,
      );
    }, REFETCH_MS);
  }
}

const REFETCH_MS = 2000;
