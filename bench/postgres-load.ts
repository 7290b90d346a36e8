// The append load of bench/postgres.ts, shared with its writer processes
// (postgres-writer.ts): signed report entries, and 256 writers each with one append in
// flight, as clients awaiting their acknowledgement.
import type { Log } from '../src/record/log.ts';
import type { Signer } from '../src/record/keys.ts';
import { buildEntry } from '../src/record/statement.ts';

export const ORIGIN = 'detente/bench/southern-syria';
export const WRITERS = 256;

export function benchEntries(count: number, authors: Signer[], tag: string): Uint8Array[] {
  const base = Date.now();
  return Array.from({ length: count }, (_, i) =>
    buildEntry(authors[i % authors.length], {
      type: 'monitor.report',
      arrangement: 'southern-syria',
      body: { unit: `u-${tag}-${i}`, at: [35.8123, 33.0541], assets: { troops: 120 } },
      time: new Date(base + i).toISOString(),
    }),
  );
}

/** Appends every entry through `log` from `writers` concurrent writers; resolves when all are durable. */
export async function appendAll(log: Log, list: readonly Uint8Array[], writers = WRITERS): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < list.length) await log.append(list[next++]);
    }),
  );
}
