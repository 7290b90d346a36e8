// The crash child of test/record-crash.test.ts, on PostgreSQL: opens the log in a schema,
// runs WRITERS concurrent appenders, and prints one line per fact as it becomes true
// (ready <size>, ack <index> <leaf hash>, cp <base64 note>), to be killed with SIGKILL.
// Usage: node --import tsx postgres-crash-child.ts URL SCHEMA KEYS.json WRITERS

import { readFileSync } from 'node:fs';
import { parseSignerKey } from '../../src/record/keys.ts';
import { openLog } from '../../src/record/log.ts';
import { buildEntry } from '../../src/record/statement.ts';
import { PgLogStore } from '../../src/store/postgres/pg-log-store.ts';

const [url, schema, keysFile, writersArg] = process.argv.slice(2);
const keys = JSON.parse(readFileSync(keysFile, 'utf8')) as { origin: string; log: string; authors: string[] };
const authors = keys.authors.map(parseSignerKey);
const run = `${process.pid}-${Date.now()}`;

const log = await openLog({
  store: await PgLogStore.open({ url, schema }),
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
