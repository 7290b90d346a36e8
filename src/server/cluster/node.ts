// One node of several over one record on PostgreSQL (docs/postgres.md, "Several nodes"):
// the node holding the sequencer's lease writes; the others follow the record by
// sequence number and forward writes to it (forward.ts). A follower tries the lease every
// POLL_MS and, once it holds it, catches up and takes over. A leader that loses its lease
// connection stops taking writes at once and the process exits (crash-only: restarted, it
// comes back as a follower), since it cannot know whether another node sequences now.

import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { RecordError } from '../../record/errors.ts';
import { SequencerLease } from '../../store/postgres/lease.ts';
import type { LeaderRow } from '../../store/postgres/leader-row.ts';
import { NudgeListener } from '../../store/postgres/nudge.ts';
import { Unavailable } from '../errors.ts';
import type { Deployment } from '../deployment.ts';

/** How often a follower polls the log's size and tries the lease, ms. */
export const POLL_MS = 250;

export interface ClusterNodeOptions {
  url: string;
  schema: string;
  /** opens the deployment, following or writing; `committed` is the log's nudge after each batch */
  open: (follower: boolean, committed: (size: number) => void) => Promise<Deployment>;
  /** the node cannot go on (lease lost, record refused while following): say why and exit non-zero */
  onFatal: (message: string) => void;
  /** told when this node became the leader (the time of the takeover, for operators and tests) */
  onLeader?: (epoch: number) => void;
}

export class ClusterNode {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  deployment!: Deployment;
  private readonly lease: SequencerLease;
  private readonly nudges: NudgeListener;
  private advertised = '';
  private closed = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private waiters: Array<{ size: number; done: () => void }> = [];
  private leaderRow: LeaderRow | undefined;
  private notifying: Promise<void> | undefined;
  private toNotify: number | undefined;
  private lastProblem: string | undefined;

  private constructor(private readonly o: ClusterNodeOptions) {
    this.lease = new SequencerLease({ url: o.url, schema: o.schema, onLost: (e) => this.lost(e) });
    this.nudges = new NudgeListener(o.url, o.schema, () => this.wake?.());
  }

  /**
   * Takes the lease if it is free (this node creates or continues the record), else
   * waits until the leader has created the log and opens it following.
   */
  static async open(o: ClusterNodeOptions): Promise<ClusterNode> {
    const node = new ClusterNode(o);
    for (let first = true; ; first = false) {
      if (await node.lease.tryTake(first)) break;
      if (await node.lease.logReady().catch(() => false)) break;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    try {
      node.deployment = await o.open(!node.lease.isHeld, (size) => node.committed(size));
    } catch (e) {
      await node.lease.close();
      throw e;
    }
    return node;
  }

  get following(): boolean {
    return this.deployment.following;
  }

  /** Once the server listens: a leader writes itself into the leader row, a follower starts following. */
  async begin(advertised: string): Promise<void> {
    this.advertised = advertised;
    if (!this.following) {
      this.o.onLeader?.(await this.lease.claim(this.id, advertised));
      return;
    }
    await this.nudges.listen();
    this.loop = this.follow();
  }

  private async follow(): Promise<void> {
    while (!this.closed) {
      try {
        await this.deployment.followRecord();
      } catch (e) {
        if (this.closed) return;
        // A record that does not hash to its signed checkpoint is refused for good.
        if (e instanceof RecordError) return this.o.onFatal(`following the record stopped: ${e.message}`);
        // A lost connection: tried again on the next round (said once, not every round).
        const said = (e as Error).message;
        if (said !== this.lastProblem) process.stderr.write(`detente serve: following the record: ${said}; trying again\n`);
        this.lastProblem = said;
      }
      this.settleWaiters();
      if (this.closed) return;
      if (await this.lease.tryTake()) {
        try {
          await this.deployment.promote();
          await this.nudges.close();
          this.o.onLeader?.(await this.lease.claim(this.id, this.advertised));
        } catch (e) {
          return this.o.onFatal(`taking over as the leader failed: ${(e as Error).message}`);
        }
        this.settleWaiters(true);
        return;
      }
      void this.nudges.listen();
      await new Promise<void>((r) => {
        const t = setTimeout(r, POLL_MS);
        this.wake = () => {
          clearTimeout(t);
          r();
        };
      });
      this.wake = undefined;
    }
  }

  /** Resolves once this node has applied `size` entries (or became the leader), false after `ms`. */
  waitApplied(size: number, ms: number): Promise<boolean> {
    if (!this.following || this.deployment.applied >= size) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, ms);
      const waiter = {
        size,
        done: () => {
          clearTimeout(t);
          resolve(true);
        },
      };
      this.waiters.push(waiter);
      this.wake?.();
    });
  }

  private settleWaiters(all = false): void {
    const applied = this.deployment.applied;
    const ready = this.waiters.filter((w) => all || w.size <= applied);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.done();
  }

  /** Where the leader is, read again when `fresh` (the one known did not answer). */
  async leader(fresh: boolean): Promise<LeaderRow | undefined> {
    if (fresh || !this.leaderRow) this.leaderRow = await this.lease.leader().catch(() => undefined);
    return this.leaderRow;
  }

  /** The leader's nudge to followers after each durable batch, coalesced: one NOTIFY in flight at a time. */
  private committed(size: number): void {
    if (!this.lease.isHeld) return;
    this.toNotify = size;
    this.notifying ??= (async () => {
      while (this.toNotify !== undefined) {
        const s = this.toNotify;
        this.toNotify = undefined;
        await this.lease.notify(s).catch(() => undefined);
      }
      this.notifying = undefined;
    })();
  }

  private lost(e: Error): void {
    if (this.closed) return;
    const why = `the sequencer's lease was lost (${e.message}); another node may sequence now, so this one takes no more writes and exits`;
    this.deployment?.refuseWrites(new Unavailable(why));
    this.o.onFatal(why);
  }

  /** Stops following (before the deployment closes). */
  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    await this.loop;
    this.settleWaiters(true);
    await this.nudges.close();
  }

  /** Releases the lease: after the deployment's close (its last checkpoint), so no other node writes meanwhile. */
  async release(): Promise<void> {
    await this.lease.close();
  }
}
