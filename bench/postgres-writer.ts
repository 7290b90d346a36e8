// One Log appending to its own schema in a process of its own, for the two-writer case
// of bench/postgres.ts (two nodes' worth of appends sharing one database): argv URL,
// schema, count, writers. Builds and signs its entries, prints "ready", starts on a line on
// stdin, and prints when it started and ended (ms since the epoch) as one JSON line.
import { createInterface } from 'node:readline';
import { openLog } from '../src/record/log.ts';
import { generateKey, parseSignerKey } from '../src/record/keys.ts';
import { PgLogStore } from '../src/store/postgres/pg-log-store.ts';
import { appendAll, benchEntries, ORIGIN } from './postgres-load.ts';

const [url, schema, count, writers] = process.argv.slice(2);
const authors = ['il', 'sy', 'ru', 'us', 'undof'].map((n) => parseSignerKey(generateKey(n).skey));
const list = benchEntries(Number(count), authors, schema);
const log = await openLog({
  origin: ORIGIN,
  logSigner: parseSignerKey(generateKey(ORIGIN).skey),
  verifySignatures: false,
  store: await PgLogStore.open({ url, schema }),
});
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
process.stdout.write('ready\n');
await lines.next();
const start = performance.timeOrigin + performance.now();
await appendAll(log, list, Number(writers));
const end = performance.timeOrigin + performance.now();
await log.close();
process.stdout.write(`${JSON.stringify({ start, end, count: list.length })}\n`);
process.exit(0);
