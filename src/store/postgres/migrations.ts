// The PostgreSQL store's schema, as an ordered list of migrations. Each log lives in its
// own PostgreSQL schema (see schema-name.ts), and each schema records the migrations
// applied to it in schema_migrations. On open, the missing ones are applied in one
// transaction, under an advisory lock so that two nodes starting together do not race;
// a schema migrated by newer code is refused rather than written with an older layout.
// Never edit a migration that has shipped: add the next one.

import type pg from 'pg';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'log, tiles, statements, checkpoint, sealed content, secrets',
    sql: `
CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
-- The sequencing row: the log's size, locked FOR UPDATE by every append. It is what makes
-- two writers (two nodes later) unable to interleave, and the row a sequencer lease extends.
CREATE TABLE sequencer (one int PRIMARY KEY CHECK (one = 1), size bigint NOT NULL);
INSERT INTO sequencer (one, size) VALUES (1, 0);
CREATE TABLE entries (idx bigint PRIMARY KEY, data bytea NOT NULL);
CREATE TABLE tiles (id bigint PRIMARY KEY, data bytea NOT NULL);
CREATE TABLE statements (id bytea PRIMARY KEY, idx bigint NOT NULL);
CREATE TABLE checkpoint (
  one int PRIMARY KEY CHECK (one = 1),
  size bigint NOT NULL,
  issued_at bigint NOT NULL,
  note text NOT NULL
);
-- Content sealed apart from a batch (talks, disputes, findings), keyed by its digest.
CREATE TABLE sealed (digest text COLLATE "C" PRIMARY KEY, salt bytea NOT NULL, content bytea NOT NULL);
-- The openings of sealed report items, written in the same transaction as their entry.
CREATE TABLE sealed_items (
  entry bigint NOT NULL,
  n int NOT NULL,
  digest text NOT NULL,
  salt bytea NOT NULL,
  content bytea NOT NULL,
  PRIMARY KEY (entry, n)
);
CREATE INDEX sealed_items_digest ON sealed_items (digest);
-- What a node needs besides the record: the log's and custodial actors' signing keys, tokens.
CREATE TABLE secrets (name text PRIMARY KEY, value text NOT NULL);
`,
  },
  // Version 2 (branch pgfast, issue 12's append rate): statement ids are always 16 bytes
  // (record/log.ts statementId); as uuid their B-tree compares fixed-width keys instead of
  // varlena bytea, which made the statements insert the costliest part of an append batch.
  {
    version: 2,
    name: 'statement ids as uuid',
    sql: `ALTER TABLE statements ALTER COLUMN id TYPE uuid USING encode(id, 'hex')::uuid;`,
  },
  // Version 3: the attachments' (issue 15).
  {
    version: 3,
    name: 'attachments',
    sql: `
-- Bytes a report names by SHA-256 (inspection photos, imagery): a row per attachment, its
-- bytes in parts in upload order, so neither upload nor download holds it whole.
CREATE TABLE attachments (sha256 text COLLATE "C" PRIMARY KEY, type text NOT NULL, bytes bigint NOT NULL);
CREATE TABLE attachment_parts (
  sha256 text COLLATE "C" NOT NULL,
  seq int NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (sha256, seq)
);
`,
  },
  // Version 4 (issue 12, several nodes): where the sequencing node is.
  {
    version: 4,
    name: 'leader: where the sequencing node is',
    sql: `
-- Written by the node holding the sequencer's advisory lock (src/store/postgres/lease.ts)
-- when it takes over: followers forward writes to url. epoch counts takeovers.
CREATE TABLE leader (
  one int PRIMARY KEY CHECK (one = 1),
  node text NOT NULL,
  url text NOT NULL,
  epoch bigint NOT NULL,
  since timestamptz NOT NULL DEFAULT now()
);
`,
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export class SchemaTooNewError extends Error {}

const quote = (schema: string) => `"${schema.replaceAll('"', '""')}"`;

/** The advisory lock key of a schema's migrations (two nodes starting at once wait for each other). */
const LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext('detente.migrate.' || $1))";

/** The version a schema is at (0: none yet), read without changing anything. */
export async function schemaVersion(client: pg.ClientBase, schema: string): Promise<number> {
  const r = await client.query<{ v: number | null }>(`SELECT CASE WHEN to_regclass($1) IS NULL THEN NULL ELSE 1 END AS v`, [
    `${quote(schema)}.schema_migrations`,
  ]);
  if (r.rows[0].v === null) return 0;
  const v = await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${quote(schema)}.schema_migrations`);
  return v.rows[0].v ?? 0;
}

function tooNew(location: string, version: number, known: number): SchemaTooNewError {
  return new SchemaTooNewError(`${location} is at schema version ${version}, newer than this program knows (${known}); run a newer detente, or another schema`);
}

/** Brings `schema` to the latest version in one transaction; refuses one newer than this code. */
export async function migrate(client: pg.ClientBase, schema: string, location: string, migrations = MIGRATIONS): Promise<number> {
  const known = migrations[migrations.length - 1].version;
  await client.query('BEGIN');
  try {
    await client.query(LOCK_SQL, [schema]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quote(schema)}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${quote(schema)}.schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const current = await schemaVersion(client, schema);
    if (current > known) throw tooNew(location, current, known);
    await client.query(`SET LOCAL search_path TO ${quote(schema)}`);
    for (const m of migrations) {
      if (m.version <= current) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
    await client.query('COMMIT');
    return known;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/** For readers (detente export): the schema must exist and be one this code reads. */
export async function checkReadable(client: pg.ClientBase, schema: string, location: string, known = LATEST_VERSION): Promise<void> {
  const v = await schemaVersion(client, schema);
  if (v === 0) throw new Error(`${location} holds no log (schema "${schema}" has not been created)`);
  if (v > known) throw tooNew(location, v, known);
}
