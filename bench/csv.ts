// CSV export of findings (issue 14 part 3): 1,000,000 finding transitions from a
// findings book paged out of its derived store (as a server's older history is), through
// the export's own stream (findingsCsv, the function GET …/findings.csv sends), pulled
// by a Readable into /dev/null with backpressure. Reported: rows/s and the RSS growth
// while it streams (sampled). Anchor, in the same run: the same transitions read from
// the same book and written as NDJSON through JSON.stringify, the cheapest export there is.
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Finding } from '../src/monitor/findings.ts';
import { bookedView } from '../src/server/core/monitoring-service.ts';
import { findingsCsv } from '../src/server/exports/csv-exports.ts';
import { type BookedFinding, FindingsBook } from '../src/server/findings-book.ts';
import { bookPages } from '../src/server/history/visible-findings.ts';
import { openDerivedStore } from '../src/store/derived-sqlite.ts';
import type { BenchRow, Suite } from './harness.ts';

const N = Number(process.env.BENCH_CSV_ROWS ?? 1_000_000);

/** Books N transitions and writes them to the store as a server's book does (each with its CSV line). */
function fill(store: ReturnType<typeof openDerivedStore>): void {
  const t = '2025-12-27T10:00:00Z';
  const book = new FindingsBook(store);
  for (let i = 0; i < N; i++) {
    const finding: Finding = {
      finding: i % 3 ? 'violation' : 'separation',
      state: i % 2 ? 'open' : 'closed',
      rule: `r-${i % 40}`,
      kind: 'presence',
      time: t,
      actor: i % 2 ? 'il' : 'sy',
      zone: 'aos',
      units: [`unit-${i % 997}`, `unit "${i % 13}", east`],
      report: `rep-${i}`,
    };
    book.add(finding, [finding.actor as string], { entry: i, n: 0 });
  }
  book.flush();
}

/** Runs `write` to /dev/null and samples RSS meanwhile: rows/s, the growth over the RSS before, CPU µs per row. */
async function measure(source: () => AsyncIterable<string>): Promise<{ rate: number; growthMb: number; cpuUs: number }> {
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  const cpu = process.cpuUsage();
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 25);
  const t = performance.now();
  const sink: Writable = createWriteStream('/dev/null');
  await pipeline(Readable.from(source(), { objectMode: false, highWaterMark: 1 }), sink);
  const s = (performance.now() - t) / 1000;
  clearInterval(timer);
  const used = process.cpuUsage(cpu);
  return { rate: N / s, growthMb: (peak - before) / 1e6, cpuUs: (used.user + used.system) / N };
}

async function* ndjson(book: FindingsBook): AsyncGenerator<string> {
  let buf = '';
  for (const b of bookPages(book)) {
    buf += `${JSON.stringify(bookedView(b))}\n`;
    if (buf.length >= 1 << 16) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

export const suite: Suite = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'detente-bench-csv-'));
  const store = openDerivedStore(dir);
  try {
    fill(store);
    const book = new FindingsBook(store, N);
    const reader = { id: 'ru', role: 'mediator' as const };
    const src = { book, readsFinding: () => true, readsTrigger: () => true, findingView: (_a: unknown, b: BookedFinding) => bookedView(b) };
    const anchor = await measure(() => ndjson(book));
    const ours = await measure(() => findingsCsv(src, reader));
    const rows: BenchRow[] = [
      {
        suite: 'csv',
        case: `findings.csv export, ${N.toLocaleString('en')} transitions paged from the derived store`,
        value: ours.rate,
        unit: 'rows/s',
        anchor: { name: 'the same transitions as NDJSON (JSON.stringify)', value: anchor.rate },
        ratio: ours.rate / anchor.rate,
        target: '≥ 200,000 rows/s',
        met: ours.rate >= 200_000,
        note: `CPU per row: ${ours.cpuUs.toFixed(2)} µs, NDJSON ${anchor.cpuUs.toFixed(2)} µs`,
      },
      {
        suite: 'csv',
        case: 'RSS growth while the CSV export streams',
        value: ours.growthMb,
        unit: 'MB',
        anchor: { name: 'NDJSON export', value: anchor.growthMb },
        target: '< 50 MB',
        met: ours.growthMb < 50,
        note: 'sampled every 25 ms against the RSS before it started',
      },
    ];
    return rows;
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
};
