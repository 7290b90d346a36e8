// Connections to PostgreSQL for one log's schema. Every session is set to
// synchronous_commit=on whatever the server's default, so COMMIT returns only once the
// WAL is flushed: an acknowledged append is durable, as with SQLite's synchronous=FULL.

import pg from 'pg';

export const INT8_OID = 20;

/** Whether a --store value names PostgreSQL. */
export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//.test(value);
}

/** The URL as it may be printed: without a password. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

// Sizes and indexes are safe integers (the log never reaches 2^53 entries): int8 as numbers.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

export function openPool(url: string, schema: string, max = 8): pg.Pool {
  // schemaFor() makes only such names; anything else would need quoting inside `options`.
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`not a schema name this store makes: "${schema}"`);
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types,
    options: `-c search_path=${schema} -c synchronous_commit=on`,
  });
  // An idle client losing its connection (server restart) must not crash the process:
  // the next query on the pool reconnects, or fails and says so.
  pool.on('error', () => undefined);
  return pool;
}
