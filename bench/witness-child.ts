// Three loopback witnesses in a process of their own (as real witnesses are), for
// bench/witnessed.ts: reads the log's origin and key from argv, prints their names,
// keys and URLs as one JSON line, and runs until killed.
import { makeTestWitness } from '../test/helpers/test-witness.ts';

const [origin, logKey] = process.argv.slice(2);
const ws = ['w-il', 'w-sy', 'w-us'].map((n) => makeTestWitness(n));
for (const w of ws) {
  w.trust(origin, logKey);
  await w.listen();
}
process.stdout.write(`${JSON.stringify(ws.map((w) => ({ name: w.name, key: w.vkey, url: w.url })))}\n`);
