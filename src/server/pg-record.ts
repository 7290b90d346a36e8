// Opening a deployment's record on PostgreSQL (`detente serve --store postgres://…`): the
// arrangement's log in its own schema. What stops the server from starting (unreachable
// server, refused login, a schema newer than this program) is a DeploymentRefused, so
// `detente serve` exits 2 saying why instead of crashing.
import { redactUrl } from '../store/postgres/connect.ts';
import { PgLogStore } from '../store/postgres/pg-log-store.ts';
import { schemaFor } from '../store/postgres/schema-name.ts';
import { DeploymentRefused } from './core/refused.ts';

export async function openPgRecord(url: string, arrangementId: string): Promise<PgLogStore> {
  try {
    return await PgLogStore.open({ url, schema: schemaFor(arrangementId) });
  } catch (e) {
    const err = e as Error & { code?: string };
    throw new DeploymentRefused(`--store ${redactUrl(url)}: ${err.message || err.code || String(e)}`);
  }
}
