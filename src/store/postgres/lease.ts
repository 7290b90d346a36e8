// The sequencer's lease for one log: a session-level advisory lock held on ONE dedicated
// connection (not the pool), with TCP keepalive on. PostgreSQL releases the lock as soon
// as that session ends, so a node killed with -9 (its socket closed by the kernel at
// once) frees it for another node within one try. The holder learns of losing it only
// by its connection failing: it must then stop writing at once (see docs/postgres.md).
// The same connection reads and writes the leader row and sends the followers' nudge,
// so they never wait behind the pool's appends.

import pg from 'pg';
import { type LeaderRow, readLeader, claimLeader } from './leader-row.ts';

/** The lock's key: per schema, apart from the migrations' (migrations.ts). */
const TRY_SQL = "SELECT pg_try_advisory_lock(hashtext('detente.sequencer.' || $1)) AS ok";

export interface LeaseOptions {
  url: string;
  schema: string;
  /** the connection of a held lease failed or ended: the lease is gone */
  onLost: (e: Error) => void;
}

export class SequencerLease {
  private client: pg.Client | undefined;
  private held = false;
  private closed = false;

  constructor(private readonly o: LeaseOptions) {}

  get isHeld(): boolean {
    return this.held;
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    const c = new pg.Client({
      connectionString: this.o.url,
      keepAlive: true,
      keepAliveInitialDelayMillis: 1000,
      options: `-c search_path=${this.o.schema} -c synchronous_commit=on`,
    });
    const gone = (e: Error) => {
      if (this.client !== c) return;
      this.client = undefined;
      if (this.held && !this.closed) {
        this.held = false;
        this.o.onLost(e);
      }
    };
    c.on('error', gone);
    c.on('end', () => gone(new Error('the lease connection ended')));
    await c.connect();
    this.client = c;
    return c;
  }

  /**
   * Takes the lease if no other session holds it; true once held. A lost connection is
   * retried on the next try, unless `strict` (the first try on start: an unreachable
   * server is then the operator's to hear about).
   */
  async tryTake(strict = false): Promise<boolean> {
    if (this.held) return true;
    if (this.closed) return false;
    try {
      const c = await this.connection();
      const r = await c.query<{ ok: boolean }>(TRY_SQL, [this.o.schema]);
      this.held = r.rows[0].ok;
    } catch (e) {
      await this.drop();
      if (strict) throw e;
    }
    return this.held;
  }

  /** Writes this node into the leader row (only while holding the lease); resolves with the new epoch. */
  async claim(node: string, url: string): Promise<number> {
    if (!this.held || !this.client) throw new Error('the sequencer lease is not held');
    return claimLeader(this.client, node, url);
  }

  /** The leader row as stored, if any. */
  async leader(): Promise<LeaderRow | undefined> {
    return readLeader(await this.connection());
  }

  /** Whether the log's writer has created it (its first checkpoint is stored): a follower opens only then. */
  async logReady(): Promise<boolean> {
    const c = await this.connection();
    const t = await c.query<{ t: boolean }>("SELECT to_regclass('checkpoint') IS NOT NULL AS t");
    if (!t.rows[0].t) return false;
    return (await c.query('SELECT 1 FROM checkpoint WHERE one = 1')).rowCount === 1;
  }

  /** Tells followers (LISTEN on the schema's channel) the log's new size; a nudge only. */
  async notify(size: number): Promise<void> {
    if (!this.client) return;
    await this.client.query('SELECT pg_notify($1, $2)', [this.o.schema, String(size)]);
  }

  private async drop(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => undefined);
  }

  /** Ends the session, which releases the lock. */
  async close(): Promise<void> {
    this.closed = true;
    this.held = false;
    await this.drop();
  }
}
