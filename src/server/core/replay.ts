// Rebuilds state from the stored record: every entry, in order, through the same
// statement table as live statements (RecordWriter.replayed), sealed bodies opened
// from the sealed store exactly as the live path had them.
import type { JsonObject } from '../../record/canonical.ts';
import type { Log } from '../../record/log.ts';
import { sealedOf } from '../../record/sealed.ts';
import type { Statement } from '../../record/statement.ts';
import type { RecordWriter } from './record-writer.ts';
import { sealedItem } from './report-sealing.ts';
import { REPORT, REPORTS } from './statement-types.ts';

const CHUNK = 1024;

/** The sealed hash when a body is only a commitment `{ sealed }`, else undefined. */
export function sealedHashOf(body: JsonObject): string | undefined {
  const found = sealedOf(body);
  return found !== undefined && Object.keys(body).length === 1 ? found : undefined;
}

/** Applies entries [from, log.size) and returns each statement's time as it went (for the caller's clock). */
export async function replay(log: Log, writer: RecordWriter, from: number, seen: (st: Statement) => void): Promise<void> {
  const size = log.size;
  for (let start = from; start < size; start += CHUNK) {
    const entries = await log.entries(start, Math.min(size, start + CHUNK));
    for (let k = 0; k < entries.length; k++) {
      const index = start + k;
      const { statement, key } = JSON.parse(Buffer.from(entries[k]).toString('utf8')) as { statement: Statement; key: string };
      // A lone sealed report carries its time beside its commitment (spec/record.md "Sealed reports").
      const sealed = statement.type === REPORT ? sealedItem(statement.body) : sealedHashOf(statement.body);
      let body = statement.body;
      if (sealed) {
        // A lone report's opening sits at its place (item 0); a sealed talks body is kept by digest.
        const s = await log.openSealed(sealed, statement.type === REPORT ? { entry: index, n: 0 } : undefined);
        if (!s) throw new Error(`entry ${index}: its sealed content ${sealed} is missing from the sealed store`);
        body = JSON.parse(Buffer.from(s.content).toString('utf8')) as JsonObject;
      } else if (statement.type === REPORTS) body = await openItems(log, index, body);
      writer.replayed({ statement, body, ...(sealed ? { sealed } : {}), index, key });
      seen(statement);
    }
  }
}

/** A reports body with each sealed report opened from the sealed store, as the live path applied it. */
async function openItems(log: Log, index: number, body: JsonObject): Promise<JsonObject> {
  const items = (body as { reports?: unknown }).reports;
  if (!Array.isArray(items) || !items.some((i) => sealedItem(i) !== undefined)) return body;
  const opened = [];
  for (let n = 0; n < items.length; n++) {
    const digest = sealedItem(items[n]);
    if (digest === undefined) {
      opened.push(items[n]);
      continue;
    }
    const s = await log.openSealed(digest, { entry: index, n });
    if (!s) throw new Error(`entry ${index}: the sealed content ${digest} of reports[${n}] is missing from the sealed store`);
    opened.push(JSON.parse(Buffer.from(s.content).toString('utf8')));
  }
  return { ...body, reports: opened } as JsonObject;
}
