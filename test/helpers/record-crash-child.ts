// A log writer to be killed: opens the log in DIR, runs WRITERS concurrent appenders,
// and prints one line per fact as it becomes true:
//   ready <size>             the log is open
//   ack <index> <leaf hash>  an append resolved (so the entry is durable)
//   cp <base64 note>         a checkpoint was stored
// stdout to a pipe is synchronous on Linux, so a printed line was really emitted
// before any SIGKILL that follows it.
// Usage: node --import tsx record-crash-child.ts DIR KEYS.json WRITERS
//        node --import tsx record-crash-child.ts postgres://… SCHEMA KEYS.json WRITERS

import { readFileSync } from 'node:fs';
import { parseSignerKey } from '../../src/record/keys.ts';
import { openLog } from '../../src/record/log.ts';
import { buildEntry } from '../../src/record/statement.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { PgLogStore } from '../../src/store/postgres/pg-log-store.ts';

const args = process.argv.slice(2);
const onPostgres = args[0].startsWith('postgres://');
const [keysFile, writersArg] = args.slice(onPostgres ? 2 : 1);
const store = onPostgres ? await PgLogStore.open({ url: args[0], schema: args[1] }) : await openSqliteStore(args[0]);
const keys = JSON.parse(readFileSync(keysFile, 'utf8')) as { origin: string; log: string; authors: string[] };
const authors = keys.authors.map(parseSignerKey);
const run = `${process.pid}-${Date.now()}`;

const log = await openLog({
  store,
  origin: keys.origin,
  logSigner: parseSignerKey(keys.log),
  verifySignatures: false,
  checkpointIntervalMs: 100,
  onCheckpoint: (note) => process.stdout.write(`cp ${Buffer.from(note).toString('base64')}\n`),
});
process.stdout.write(`ready ${log.size}\n`);

async function writer(w: number): Promise<never> {
  for (let seq = 0; ; seq++) {
    const author = authors[(w + seq) % authors.length];
    const entry = buildEntry(author, { type: 'crash.test', arrangement: 'southern-syria', body: { run, w, seq } });
    const { index, leafHash } = await log.append(entry);
    process.stdout.write(`ack ${index} ${Buffer.from(leafHash).toString('hex')}\n`);
  }
}

await Promise.all(Array.from({ length: Number(writersArg) }, (_, w) => writer(w)));
