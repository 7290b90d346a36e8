// What the follower was released of each commitment it found, in DIR/openings.db:
// 'full' (content and salt; the salt and content also go to the mirror's sealed.db,
// where the server keeps its own), 'coarse' (the coarsened content, no salt: it cannot
// be checked against the commitment, only kept), or 'none' (404: not for this actor;
// remembered so that it is not asked again every round).

import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Opening } from './client.ts';

export const OPENINGS_DB = 'openings.db';

export type OpeningLevel = Opening['level'];

export interface StoredOpening {
  digest: string;
  /** the entry that named it first */
  entry: number;
  level: OpeningLevel;
  /** the content as released (full or coarsened), absent when not disclosed */
  content?: string;
  coarse?: { position_m: number; time_s: number };
}

export class Openings {
  private readonly db: Database.Database;
  private readonly q: {
    has: Database.Statement;
    put: Database.Statement;
    get: Database.Statement;
    count: Database.Statement;
  };

  constructor(dir: string) {
    this.db = new Database(join(dir, OPENINGS_DB));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS openings (
      digest TEXT PRIMARY KEY, entry INTEGER NOT NULL, level TEXT NOT NULL, coarse TEXT, content TEXT
    )`);
    this.q = {
      has: this.db.prepare('SELECT 1 FROM openings WHERE digest = ?').pluck(),
      put: this.db.prepare('INSERT OR IGNORE INTO openings (digest, entry, level, coarse, content) VALUES (?, ?, ?, ?, ?)'),
      get: this.db.prepare('SELECT digest, entry, level, coarse, content FROM openings WHERE digest = ?'),
      count: this.db.prepare('SELECT level, count(*) AS n FROM openings GROUP BY level'),
    };
  }

  has(digest: string): boolean {
    return this.q.has.get(digest) !== undefined;
  }

  put(digest: string, entry: number, o: Opening): void {
    const coarse = o.level === 'coarse' ? JSON.stringify(o.coarse) : null;
    const content = o.level === 'none' ? null : o.content;
    this.q.put.run(digest, entry, o.level, coarse, content);
  }

  get(digest: string): StoredOpening | undefined {
    const r = this.q.get.get(digest) as { digest: string; entry: number; level: OpeningLevel; coarse: string | null; content: string | null } | undefined;
    if (!r) return undefined;
    return {
      digest: r.digest,
      entry: r.entry,
      level: r.level,
      ...(r.content === null ? {} : { content: r.content }),
      ...(r.coarse === null ? {} : { coarse: JSON.parse(r.coarse) as { position_m: number; time_s: number } }),
    };
  }

  /** How many commitments are known at each level. */
  counts(): Record<OpeningLevel, number> {
    const out: Record<OpeningLevel, number> = { full: 0, coarse: 0, none: 0 };
    for (const r of this.q.count.all() as { level: OpeningLevel; n: number }[]) out[r.level] = r.n;
    return out;
  }

  close(): void {
    this.db.close();
  }
}
