// For the follower's tests: a test server listening on a real port (the follower reads
// it over HTTP), reports posted one entry each, and the server's record rewritten
// offline the way a mediator changing its past would: the log rebuilt from altered
// entries under the same log key, the derived state dropped so the server replays.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { commitmentsOf } from '../../src/follow/commitments.ts';
import { readSignerKeyFile } from '../../src/record/key-file.ts';
import type { SealedContent } from '../../src/record/sealed.ts';
import { parseEntry, makeEntry, signStatement } from '../../src/record/statement.ts';
import type { JsonObject } from '../../src/record/canonical.ts';
import { openSqliteLog } from '../../src/store/open-log.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { logDir } from '../../src/store/layout.ts';
import { BASE, ID, json, observation, type TestServer } from './server.ts';

/** Listens on 127.0.0.1 (`port`, or any free one); returns the base URL. */
export async function listen(s: TestServer, port = 0): Promise<string> {
  const address = await s.app.listen({ port, host: '127.0.0.1' });
  return address.replace('localhost', '127.0.0.1');
}

/** Posts `n` reports, each its own request (so each its own entry); returns their ids. */
export async function postReports(s: TestServer, n: number, tag = 'r'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `${tag}-${i}`;
    await json(await s.as('undof', 'POST', `${BASE}/reports`, observation(id, `sy-${tag}-${i}`, 'sy', { troops: 10 + i }, '2025-12-27T07:00:00Z')), 202);
    ids.push(id);
  }
  return ids;
}

/** The entries of the server's record in `dir` (the server stopped or not). */
export async function storedEntries(dir: string): Promise<Uint8Array[]> {
  const store = await openSqliteStore(logDir(dir, ID), { readonly: true });
  try {
    const { size } = await store.load();
    return await store.readEntries(0, size);
  } finally {
    await store.close();
  }
}

/** The index of the entry holding the report with this id, sealed or not (the server's sealed store opens it). */
export async function indexOfReport(s: TestServer, entries: readonly Uint8Array[], id: string): Promise<number> {
  const marker = `"id":"${id}"`;
  for (let i = 0; i < entries.length; i++) {
    const text = Buffer.from(entries[i]).toString('utf8');
    if (text.includes(marker)) return i;
    const body = parseEntry(entries[i]).statement.body as { reports?: unknown[] };
    for (const digest of commitmentsOf(body)) {
      const n = Array.isArray(body.reports) ? body.reports.findIndex((r) => (r as { sealed?: unknown }).sealed === digest) : 0;
      const opened = await s.deployment.log.openSealed(digest, { entry: i, n: Math.max(n, 0) });
      if (opened && Buffer.from(opened.content).toString('utf8').includes(marker)) return i;
    }
  }
  throw new Error(`no entry holds report ${id}`);
}

/** The index of the entry whose statement body mentions `marker` (first one). */
export function indexOf(entries: readonly Uint8Array[], marker: string): number {
  const i = entries.findIndex((e) => Buffer.from(e).toString('utf8').includes(marker));
  if (i < 0) throw new Error(`no entry mentions ${marker}`);
  return i;
}

/**
 * Rebuilds the stopped server's log in `dir` from `edit(entries)`, signed with the same
 * log key; the sealed content stays, the derived state goes (the server replays).
 */
export async function rewriteRecord(dir: string, edit: (entries: Uint8Array[]) => Uint8Array[], sealed: readonly SealedContent[] = []): Promise<void> {
  const entries = edit(await storedEntries(dir));
  const log = logDir(dir, ID);
  for (const f of readdirSync(log)) if (f.startsWith('log.db') || f.startsWith('state.db')) rmSync(join(log, f));
  // Openings kept at their places would be out of place once entries move: kept by digest instead.
  const store = await openSqliteStore(log);
  for (const it of await store.listSealedItems(0, Number.MAX_SAFE_INTEGER)) await store.putSealed(it.digest, it);
  await store.close();
  const logSigner = readSignerKeyFile(join(dir, 'keys', 'log.key'));
  const l = await openSqliteLog({ dir: log, origin: logSigner.verifier.name, logSigner, verifySignatures: false, checkpointIntervalMs: 0 });
  // New openings (a report changed under a new commitment) go where the server keeps its own.
  for (const c of sealed) await l.putSealed(c.content, c.salt);
  for (const e of entries) await l.append(e);
  await l.close();
}

/** The entry with its statement's body changed and re-signed with the author's custodial key kept in `dir`. */
export function resign(dir: string, bytes: Uint8Array, change: (body: JsonObject) => JsonObject): Uint8Array {
  const entry = parseEntry(bytes);
  const path = join(dir, 'keys', 'actors', `${entry.statement.author}.key`);
  if (!existsSync(path)) throw new Error(`the server holds no key of ${entry.statement.author}`);
  const { type, arrangement, time, body } = entry.statement;
  const signed = signStatement(readSignerKeyFile(path), { type, arrangement, time, body: change(structuredClone(body)) });
  return makeEntry(signed, entry.received, entry.custodial === true);
}
