// The reports of the record as one reader may see them, read from the record itself in
// pages of entries (never a side table): public report items as they are, each sealed
// one opened from the sealed store and released per the disclosure policy
// (releaseReport: in full, coarsened, or not at all). What the reader may only know
// exists is left out. Memory holds one page of entries and the notifications seen so far
// (an acknowledgement's audience depends on whose notification it acknowledges).
import type { Arrangement } from '../../arrangement/compile.ts';
import type { Actor } from '../../policy/policy.ts';
import type { JsonObject } from '../../record/canonical.ts';
import type { Log } from '../../record/log.ts';
import type { Statement } from '../../record/statement.ts';
import { releaseReport } from './sealed-release.ts';
import { type SealingContext, sealedItem } from './report-sealing.ts';
import { REPORT, REPORTS } from './statement-types.ts';

/** Entries read from the log at a time. */
const PAGE = 512;

export interface RecordReport {
  entry: number;
  n: number;
  author: string;
  report: JsonObject;
  coarse?: { position_m: number; time_s: number };
  sealed?: string;
}

export interface RecordReportsSource {
  log: Log;
  arrangement: Arrangement;
  actors: ReadonlyMap<string, Actor>;
}

export interface RecordReportsOptions {
  /** the record size to read up to (default: its size when reading starts) */
  size?: number;
}

/** Every report of the record this reader may see, in record order. */
export async function* reportsFor(src: RecordReportsSource, reader: Actor, o: RecordReportsOptions = {}): AsyncGenerator<RecordReport> {
  const notifiers = new Map<string, string>();
  const ctx: SealingContext = { policy: src.arrangement.policy, actors: src.arrangement.actors, notifierOf: (id) => notifiers.get(id) };
  const size = o.size ?? src.log.size;
  for (let start = 0; start < size; start += PAGE) {
    const page = await src.log.entries(start, Math.min(size, start + PAGE));
    for (let k = 0; k < page.length; k++) {
      const { statement } = JSON.parse(Buffer.from(page[k]).toString('utf8')) as { statement: Statement };
      if (statement.type !== REPORT && statement.type !== REPORTS) continue;
      const author = src.actors.get(statement.author);
      if (!author) continue;
      const items = statement.type === REPORT ? [statement.body] : ((statement.body as { reports?: unknown[] }).reports ?? []);
      for (let n = 0; n < items.length; n++) {
        const item = items[n] as JsonObject;
        const digest = sealedItem(item);
        let report = item;
        if (digest !== undefined) {
          const s = await src.log.openSealed(digest, { entry: start + k, n });
          if (!s) continue;
          report = JSON.parse(Buffer.from(s.content).toString('utf8')) as JsonObject;
        }
        if (report.type === 'notification' && typeof report.id === 'string' && typeof report.actor === 'string') notifiers.set(report.id, report.actor);
        const seen = releaseReport(ctx, reader, author, report);
        if (!seen) continue;
        yield {
          entry: start + k,
          n,
          author: statement.author,
          report: seen.report,
          ...(seen.coarse ? { coarse: seen.coarse } : {}),
          ...(digest !== undefined ? { sealed: digest } : {}),
        };
      }
    }
  }
}
