// What a node needs besides the record, kept in the log's schema so that a node needs no
// data directory: the log's signing key, custodial actors' keys, and the bearer tokens.
// Values are made once and never replaced: the first writer wins, and two nodes starting
// together read the same value back.

import type pg from 'pg';

export class PgSecrets {
  constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
  ) {}

  async get(name: string): Promise<string | undefined> {
    return (await this.pool.query<{ value: string }>('SELECT value FROM secrets WHERE name = $1', [name])).rows[0]?.value;
  }

  /** The stored value, or `make()` stored now if there is none (kept if another writer stored one first). */
  async getOrCreate(name: string, make: () => string): Promise<string> {
    const found = await this.get(name);
    if (found !== undefined) return found;
    await this.pool.query('INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, make()]);
    return (await this.get(name))!;
  }

  /** Replaces a value (tokens gain an entry when the arrangement gains an actor). */
  async put(name: string, value: string): Promise<void> {
    await this.pool.query('INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value', [name, value]);
  }
}
