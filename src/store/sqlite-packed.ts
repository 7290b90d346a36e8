// Reading many small blobs out of SQLite as one value. better-sqlite3 copies every blob it
// returns into a Buffer of its own, about 3 µs each on this project's 2-core machine: on a
// record of 5,000,000 entries, most of what a restart's check spends reading the entries
// and every report's sealed opening (bench/restart.ts). SQLite joins a page of rows into one
// value instead: group_concat over the blobs taken as TEXT, cast back to BLOB, with each
// row's length beside it, and the caller slices views out of the one Buffer.
//
// Why the bytes survive: in a UTF-8 database a cast from BLOB to TEXT reinterprets the
// bytes and never converts them, `||` and group_concat join by byte length (zero bytes
// included), and the cast back to BLOB keeps them. The aggregates take the rows in the
// order the ordered source yields them (an ORDER BY inside each aggregate would make
// SQLite sort every one again: five times slower, measured) and all three see the same
// rows in the same order, so the keys say what order that was: a page whose keys do not
// ascend, or whose bytes do not add up to its lengths (or a database in another text
// encoding), is read row by row instead.
import type Database from 'better-sqlite3';

/** Rows a packed read asks for at most: entries are at most 60 KiB, so a page stays well under SQLite's 1 GB value limit. */
export const PACKED_ROWS = 4096;
/** Reads of fewer rows than this go row by row: a packed page pays for its aggregate. */
export const PACKED_MIN = 16;

export interface PackedPage {
  /** each row's key, in order */
  keys: number[];
  /** the rows' blobs, views into one buffer: `columns` per row, row after row */
  blobs: Uint8Array[];
}

interface PackedRow {
  n: number;
  keys: string | null;
  lens: string | null;
  data: Buffer | null;
}

/** True when blobs cast to TEXT keep their bytes in this database (its text is UTF-8). */
export function packable(db: Database.Database): boolean {
  return db.pragma('encoding', { simple: true }) === 'UTF-8';
}

/**
 * A statement reading the rows of `source` as one packed page: `source` selects `key`
 * (an integer) and the blob columns, ordered by `key` and limited as the caller needs.
 */
export function preparePacked(db: Database.Database, source: string, key: string, blobs: readonly string[]): Database.Statement {
  const lens = blobs.map((b) => `length(${b})`).join(` || ':' || `);
  const joined = blobs.join(' || ');
  return db.prepare(
    `SELECT count(*) AS n, group_concat(${key}) AS keys, group_concat(${lens}) AS lens,
       CAST(group_concat(CAST(${joined} AS TEXT), '') AS BLOB) AS data FROM (${source})`,
  );
}

/**
 * The non-negative integers of a list joined by `,` or `:`, read without splitting the
 * text into a string per number (a server reads a page per entry bundle it serves).
 * Anything else in the list gives NaN, which the caller's checks refuse.
 */
function integers(list: string): number[] {
  const out: number[] = [];
  let v = 0;
  let digits = 0;
  for (let i = 0; i <= list.length; i++) {
    const c = i < list.length ? list.charCodeAt(i) : 0x2c;
    if (c >= 0x30 && c <= 0x39) {
      v = v * 10 + (c - 0x30);
      digits++;
    } else if (c === 0x2c || c === 0x3a) {
      out.push(digits > 0 ? v : Number.NaN);
      v = 0;
      digits = 0;
    } else return [Number.NaN];
  }
  return out;
}

/** Runs a packed statement; undefined when the joined bytes do not match the lengths or the keys do not ascend (read row by row then). */
export function readPacked(stmt: Database.Statement, params: readonly unknown[], columns: number): PackedPage | undefined {
  const row = stmt.get(...params) as PackedRow;
  if (row.n === 0) return { keys: [], blobs: [] };
  if (row.keys === null || row.lens === null) return undefined;
  const keys = integers(row.keys);
  for (let i = 1; i < keys.length; i++) if (!(keys[i] > keys[i - 1])) return undefined;
  // One length per blob: `:` between a row's columns, `,` between rows.
  const lengths = integers(row.lens);
  const data = row.data ?? Buffer.alloc(0);
  if (keys.length !== row.n || lengths.length !== row.n * columns) return undefined;
  const blobs: Uint8Array[] = new Array(lengths.length);
  let at = 0;
  for (let i = 0; i < lengths.length; i++) {
    if (!(at + lengths[i] <= data.length)) return undefined;
    blobs[i] = new Uint8Array(data.buffer, data.byteOffset + at, lengths[i]);
    at += lengths[i];
  }
  return at === data.length ? { keys, blobs } : undefined;
}

/**
 * A statement reading the rows of `source` (`key`, `blob`, ordered by key) as one C2SP
 * tlog-tiles entry bundle, each blob after its length as a big-endian uint16, built by
 * SQLite (unhex, from 3.41): the server then serves the value as read, with no copy made
 * to put the lengths in. Undefined where this SQLite cannot (the caller encodes instead).
 */
export function prepareBundle(db: Database.Database, source: string, key: string, blob: string): Database.Statement | undefined {
  if (!packable(db)) return undefined;
  try {
    return db.prepare(
      `SELECT count(*) AS n, group_concat(${key}) AS keys, max(length(${blob})) AS longest,
         CAST(group_concat(CAST(unhex(printf('%04x', length(${blob}))) || ${blob} AS TEXT), '') AS BLOB) AS data FROM (${source})`,
    );
  } catch {
    return undefined;
  }
}

/**
 * Runs a bundle statement for the rows keyed `first` … `first + count - 1`: the bundle, or
 * undefined when a row is missing, the keys are not those in order, an entry is too long
 * for a bundle (a longer one's length would not fit its two bytes) or the bytes do not
 * walk as `count` entries (the caller reads the rows and encodes them then, or says why not).
 */
export function readBundle(stmt: Database.Statement, params: readonly unknown[], first: number, count: number): Uint8Array | undefined {
  const row = stmt.get(...params) as { n: number; keys: string | null; longest: number | null; data: Buffer | null };
  if (row.n !== count || row.keys === null || row.data === null || row.longest === null || row.longest > 0xffff) return undefined;
  const keys = integers(row.keys);
  if (keys.length !== count) return undefined;
  for (let i = 0; i < count; i++) if (keys[i] !== first + i) return undefined;
  const data = row.data;
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 2 > data.length) return undefined;
    at += 2 + ((data[at] << 8) | data[at + 1]);
  }
  return at === data.length ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : undefined;
}
