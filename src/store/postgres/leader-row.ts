// The leader row (migration 2): which node sequences the log, where it is reached, and
// the epoch, counted up on each takeover. Written only under the sequencer's lease.

import type pg from 'pg';

export interface LeaderRow {
  node: string;
  /** the leader's advertised base URL (detente serve --advertise) */
  url: string;
  epoch: number;
}

export async function readLeader(c: pg.ClientBase): Promise<LeaderRow | undefined> {
  const r = await c.query<LeaderRow>('SELECT node, url, epoch FROM leader WHERE one = 1');
  const row = r.rows[0];
  return row && { node: row.node, url: row.url, epoch: Number(row.epoch) };
}

export async function claimLeader(c: pg.ClientBase, node: string, url: string): Promise<number> {
  const r = await c.query<{ epoch: string | number }>(
    `INSERT INTO leader (one, node, url, epoch) VALUES (1, $1, $2, 1)
     ON CONFLICT (one) DO UPDATE SET node = excluded.node, url = excluded.url, epoch = leader.epoch + 1, since = now()
     RETURNING epoch`,
    [node, url],
  );
  return Number(r.rows[0].epoch);
}
