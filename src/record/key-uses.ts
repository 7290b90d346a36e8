// The author-key part of the check of a stored record (check-stored.ts): every entry must
// be signed by a key the key book (key-book.ts) holds valid for its author at its index.
// The record is checked in ranges, possibly in parallel, while the key book is a
// sequence; so each range notes only what it saw, cheaply, and the book is replayed once
// over all of them at the end:
// - per key, the first and last index signed with it, and the first use after each key
//   statement of the range (to name the first entry past a rotation or revocation);
// - the few entries that move the book (`key` and `arrangement` statements), parsed.
// An ordinary entry costs a byte comparison of its tail and a map update.

import type { JsonObject } from './canonical.ts';
import { ARRANGEMENT, KEY, KeyBook } from './key-book.ts';
import { parseEntry } from './statement.ts';

interface KeyUse {
  author: string;
  first: number;
  last: number;
  /** the latest key-statement mark a use was noted under, and the first use after each mark */
  mark: number;
  after: Map<number, number>;
  /** why the first use does not verify, if it does not (a fault there is named by that) */
  broken?: string;
}

export interface RangeKeys {
  uses: Map<string, KeyUse>;
  /** entries that move the key book, in index order */
  moves: Array<{ index: number; author: string; key: string; type: string; body: JsonObject }>;
}

export function newRangeKeys(): RangeKeys {
  return { uses: new Map(), moves: [] };
}

// A statement's fields sort as arrangement, author, body, time, type, v, and the statement
// is the entry's last field: its type is always right before `,"v":1}}` at the very end.
const KEY_TAIL = Buffer.from(`,"type":"${KEY}","v":1}}`);
const ARRANGEMENT_TAIL = Buffer.from(`,"type":"${ARRANGEMENT}","v":1}}`);

function endsWith(b: Uint8Array, tail: Buffer): boolean {
  if (b.length < tail.length) return false;
  const off = b.length - tail.length;
  for (let i = 0; i < tail.length; i++) if (b[off + i] !== tail[i]) return false;
  return true;
}

/** Whether the entry bytes hold a statement that moves the key book. */
export function movesKeys(entry: Uint8Array): boolean {
  return endsWith(entry, KEY_TAIL) || endsWith(entry, ARRANGEMENT_TAIL);
}

/**
 * Notes entry `index`, signed with `key` (read off its first bytes). Returns why it
 * cannot be judged when a key-moving entry does not parse.
 */
export function noteKeyUse(r: RangeKeys, entry: Uint8Array, key: string, index: number, brokenWhy: () => string | undefined): string | undefined {
  const mark = r.moves.length === 0 ? -1 : r.moves[r.moves.length - 1].index;
  const u = r.uses.get(key);
  if (u === undefined)
    r.uses.set(key, { author: key.slice(0, key.indexOf('+')), first: index, last: index, mark, after: new Map([[mark, index]]), broken: brokenWhy() });
  else {
    u.last = index;
    if (u.mark !== mark) {
      u.mark = mark;
      u.after.set(mark, index);
    }
  }
  if (!movesKeys(entry)) return undefined;
  try {
    const e = parseEntry(entry);
    r.moves.push({ index, author: e.statement.author, key: e.key, type: e.statement.type, body: e.statement.body });
  } catch (err) {
    return `entry ${index}: ${(err as Error).message}`;
  }
  return undefined;
}

/**
 * Replays the key book over what the ranges (in order, covering the record) saw; the
 * first entry signed by a key not valid for its author at its index, if any.
 */
export function judgeKeyUses(parts: readonly RangeKeys[], logKey: string): { index: number; reason: string } | undefined {
  const book = new KeyBook([logKey]);
  const moves = parts.flatMap((p) => p.moves);
  const firsts = new Map<string, { author: string; index: number; broken?: string }>();
  for (const p of parts) for (const [k, u] of p.uses) if (!firsts.has(k)) firsts.set(k, { author: u.author, index: u.first, broken: u.broken });
  const moveAt = new Set(moves.map((m) => m.index));
  // Events in index order: moves of the book, and each key's first use (a record from
  // before the key book pins an author's first key there).
  const events = [
    ...moves.map((m) => ({ index: m.index, move: m })),
    ...[...firsts].filter(([, f]) => !moveAt.has(f.index)).map(([key, f]) => ({ index: f.index, key, author: f.author, broken: f.broken })),
  ].sort((a, b) => a.index - b.index);
  if (moves[0]?.index !== 0 || moves[0].type !== ARRANGEMENT) book.beginLegacy();
  let fault: { index: number; reason: string } | undefined;
  const faultAt = (index: number, reason: string) => {
    if (!fault || index < fault.index) fault = { index, reason };
  };
  for (const ev of events) {
    if (fault && ev.index >= fault.index) break;
    const m = 'move' in ev ? ev.move : { author: ev.author, key: ev.key, type: '', body: {} };
    const a = book.admit(m.author, m.key, m.type, m.body, ev.index);
    if (a.ok) book.apply(m.author, m.key, m.type, m.body, ev.index);
    // A forged entry is named by its failing signature rather than by its key.
    else faultAt(ev.index, 'broken' in ev && ev.broken ? `entry ${ev.index}: ${ev.broken}` : a.reason);
  }
  // Every use of a key must lie where it was valid: from when it was added until the entry that stopped it.
  for (const p of parts) {
    for (const [key, u] of p.uses) {
      if (book.isServerKey(key)) continue;
      const from = book.validFrom(key);
      if (from === undefined) continue; // never admitted: its first use is the fault found above
      if (u.first < from)
        faultAt(
          u.first,
          u.broken ? `entry ${u.first}: ${u.broken}` : `entry ${u.first}: signed with ${key}, which is ${u.author}'s key only from entry ${from}`,
        );
      const stopped = book.stoppedAt(key);
      if (!stopped || u.last <= stopped.at) continue;
      let past = u.first > stopped.at ? u.first : Number.POSITIVE_INFINITY;
      for (const [mark, i] of u.after) if (mark >= stopped.at && i > stopped.at) past = Math.min(past, i);
      if (past === Number.POSITIVE_INFINITY) past = u.last;
      faultAt(
        past,
        `entry ${past}: signed with ${key}, which stopped being ${u.author}'s key at entry ${stopped.at + 1} (${stopped.how} by entry ${stopped.at})`,
      );
    }
  }
  return fault;
}
