// Followers LISTEN on the log's schema for the leader's NOTIFY after each committed
// batch. A nudge only: LISTEN loses what is sent while the listener is disconnected and
// payloads are capped at 8,000 bytes, so followers also poll the log's size, and the
// record is always read by sequence number from the tables.

import pg from 'pg';

export class NudgeListener {
  private client: pg.Client | undefined;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly schema: string,
    private readonly nudged: () => void,
  ) {}

  /** Listens, reconnecting on the next call after a failure; a failure here only costs latency. */
  async listen(): Promise<void> {
    if (this.client || this.closed) return;
    const c = new pg.Client({ connectionString: this.url, keepAlive: true });
    c.on('error', () => {
      if (this.client === c) this.client = undefined;
    });
    c.on('end', () => {
      if (this.client === c) this.client = undefined;
    });
    c.on('notification', () => this.nudged());
    try {
      await c.connect();
      // schemaFor() names are plain identifiers.
      await c.query(`LISTEN "${this.schema}"`);
      this.client = c;
    } catch {
      await c.end().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => undefined);
  }
}
