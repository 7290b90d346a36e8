// A real PostgreSQL for tests. DETENTE_TEST_PG (a connection URL to a database the tests
// may create schemas and databases in) is used when set, as CI does; otherwise a private
// throwaway cluster is started here (initdb into a temp dir, a free port on 127.0.0.1,
// run as the `postgres` user when we are root, since initdb refuses root) and stopped
// after the file's tests. Where PostgreSQL is not installed the tests skip, saying how to
// install it, except in CI (CI=1 or DETENTE_REQUIRE_PG=1), where a missing PostgreSQL fails.

import { after } from 'node:test';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

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

function binDir(): string | undefined {
  const fromConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const candidates = [
    ...(fromConfig.status === 0 ? [fromConfig.stdout.trim()] : []),
    ...(existsSync('/usr/lib/postgresql')
      ? readdirSync('/usr/lib/postgresql')
          .sort((a, b) => Number(b) - Number(a))
          .map((v) => `/usr/lib/postgresql/${v}/bin`)
      : []),
  ];
  return candidates.find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl')));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;

function run(cmd: string, args: string[]): void {
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  const r = spawnSync(file, argv, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
}

/** Starts a private cluster; the returned function stops it and removes its files. */
async function startCluster(bin: string): Promise<{ url: string; stop: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'detente-pg-'));
  if (asRoot)
    chownSync(
      dir,
      Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout),
      Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout),
    );
  const data = join(dir, 'data');
  const port = await freePort();
  run(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-instructions']);
  run(join(bin, 'pg_ctl'), [
    '-D',
    data,
    '-w',
    '-l',
    join(dir, 'log'),
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`,
    'start',
  ]);
  const stop = () => {
    try {
      run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
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
    after(async () => {
      // On a shared server (DETENTE_TEST_PG) the databases made here go with the run.
      if (made.length === 0) return;
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
