// A real PostgreSQL for tests. DETENTE_TEST_PG (a connection URL to a database the tests
// may create schemas and databases in) is used when set, as CI does; otherwise a private
// throwaway cluster is started here (initdb into a temp dir, a free port on 127.0.0.1,
// run as the `postgres` user when we are root, since initdb refuses root) and stopped
// after the file's tests. Where PostgreSQL is not installed the tests skip, saying how to
// install it, except in CI (CI=1 or DETENTE_REQUIRE_PG=1), where a missing PostgreSQL fails.

import { after } from 'node:test';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { binDir, startCluster } from './pg-cluster.ts';

export const INSTALL_HINT =
  'PostgreSQL is not installed: apt-get install postgresql (or point DETENTE_TEST_PG at a server, e.g. postgres://postgres@127.0.0.1:5432/postgres)';

export interface TestPostgres {
  /** a URL of the server's maintenance database */
  url: string;
  /** a new, empty database on the server; its URL */
  database(): Promise<string>;
  /** a schema name no other test uses */
  schema(): string;
}

/** Whether this run must not skip PostgreSQL tests. */
export function pgRequired(): boolean {
  return ['1', 'true'].includes(process.env.CI ?? '') || process.env.DETENTE_REQUIRE_PG === '1';
}

let shared: Promise<TestPostgres | string> | undefined;

/**
 * The PostgreSQL this test file runs against, or a message saying why there is none (the
 * tests then skip with it). Call at the top of a test file; the cluster, if one was
 * started, stops after the file's tests.
 */
export function testPostgres(): Promise<TestPostgres | string> {
  shared ??= (async () => {
    let url = process.env.DETENTE_TEST_PG;
    if (!url) {
      const bin = binDir();
      if (!bin) {
        if (pgRequired()) throw new Error(`PostgreSQL tests may not skip in CI: ${INSTALL_HINT}`);
        return INSTALL_HINT;
      }
      const cluster = await startCluster(bin);
      after(() => cluster.stop());
      url = cluster.url;
    }
    const base = url;
    const tag = `${process.pid}_${randomBytes(3).toString('hex')}`;
    let n = 0;
    const made: string[] = [];
    const onSharedServer = process.env.DETENTE_TEST_PG !== undefined && process.env.DETENTE_TEST_PG !== '';
    // On a shared server (DETENTE_TEST_PG) the databases made here go with the run; a
    // private cluster goes whole (its own after() hook, which runs before this one would).
    after(async () => {
      if (!onSharedServer || made.length === 0) return;
      const admin = new pg.Client({ connectionString: base });
      await admin.connect();
      try {
        for (const db of made) await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    });
    return {
      url: base,
      schema: () => `t_${tag}_${n++}`,
      async database() {
        const name = `detente_t_${tag}_${n++}`;
        const admin = new pg.Client({ connectionString: base });
        await admin.connect();
        try {
          await admin.query(`CREATE DATABASE ${name}`);
        } finally {
          await admin.end();
        }
        made.push(name);
        const u = new URL(base);
        u.pathname = `/${name}`;
        return u.toString();
      },
    };
  })();
  return shared;
}
