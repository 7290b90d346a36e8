// Every entry of the record, replayed in this browser under the key book: each entry's
// signature by a key valid for its author at its index (enrolments, rotations and
// revocations followed from the genesis on), the genesis endorsements, no statement
// twice, and the leaves rebuilt into the checkpoint's root. The judging is the record's
// own (src/record/entry-judge.ts, as `detente verify` runs it); only the paging is here.
import type { OpenedCheckpoint } from '../../../src/record/checkpoint.ts';
import { bytesEqual, encodeBase64 } from '../../../src/record/encoding.ts';
import { EntryJudge } from '../../../src/record/entry-judge.ts';
import { leafHash, RootBuilder } from '../../../src/record/merkle.ts';
import { parseEntry } from '../../../src/record/statement.ts';
import { ApiError } from '../api/client.ts';

/** What the page needs of the API: text and JSON over the actor's token. */
export interface EntriesSource {
  json<T>(path: string): Promise<T>;
}

export interface ReplayOutcome {
  /** null: the actor may not read the entries */
  ok: boolean | null;
  detail: string;
  /** entries judged and passed */
  judged: number;
}

// The server gives at most 1,000 entries a request; fewer is fine, the loop asks on.
const PAGE = 1000;
// Judged this many at a time before the page may draw again: a long record must not freeze it.
const SLICE = 200;

const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export async function replayRecord(
  api: EntriesSource,
  base: string,
  cp: OpenedCheckpoint,
  logKey: string,
  progress: (judged: number, total: number) => void = () => {},
): Promise<ReplayOutcome> {
  const judge = new EntryJudge(logKey);
  const tree = new RootBuilder();
  const utf8 = new TextEncoder();
  while (tree.size < cp.size) {
    let entries: string[];
    try {
      const from = tree.size;
      entries = (await api.json<{ entries: string[] }>(`${base}/record/entries?from=${from}&to=${Math.min(cp.size, from + PAGE)}`)).entries;
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) return { ok: null, detail: e.message, judged: judge.size };
      return { ok: false, detail: `entry ${tree.size}: ${(e as Error).message}`, judged: judge.size };
    }
    if (entries.length === 0) return { ok: false, detail: `the server sent no entry from ${tree.size}, the checkpoint covers ${cp.size}`, judged: judge.size };
    for (let i = 0; i < entries.length; i++) {
      const index = tree.size;
      const bytes = utf8.encode(entries[i]);
      let refused: string | undefined;
      try {
        refused = judge.judge(parseEntry(bytes));
      } catch (e) {
        refused = (e as Error).message;
      }
      if (refused !== undefined) return { ok: false, detail: `entry ${index}: ${refused}`, judged: judge.size };
      tree.push(leafHash(bytes));
      if (i % SLICE === SLICE - 1) {
        progress(tree.size, cp.size);
        await pause();
      }
    }
    progress(tree.size, cp.size);
  }
  const root = tree.root();
  if (!bytesEqual(root, cp.root))
    return {
      ok: false,
      detail: `the ${cp.size} entries hash to ${encodeBase64(root)}, not to the checkpoint's root ${encodeBase64(cp.root)}`,
      judged: judge.size,
    };
  const notes = judge.notes.length ? ` (${judge.notes.join('; ')})` : '';
  return {
    ok: true,
    detail: `${cp.size} entries, each signed by a key valid for its author at its index; their tree is the checkpoint's${notes}`,
    judged: judge.size,
  };
}
