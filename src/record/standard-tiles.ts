// The record's tree as C2SP tlog-tiles (https://c2sp.org/tlog-tiles), the layout every
// standard tlog client, mirror and witness reads: tile/<L>/<N>[.p/<W>] holds the hashes
// of the level-8L nodes 256N … 256N+W-1 (each the root of a full subtree of 256^L
// leaves), tile/entries/<N>[.p/<W>] the entries themselves, each after its length as a
// big-endian uint16. The log stores its tree in its own 16-wide tiles (tiles.ts); the
// level-8L nodes are the base nodes of its tiles at tile-level 2L, so a standard tile
// is read, never stored twice. This file holds what does not need the log: paths,
// widths and the bundle encoding.

import { RecordError } from './errors.ts';

/** Levels of the tree one standard tile spans (fixed by tlog-tiles). */
export const STANDARD_TILE_HEIGHT = 8;
/** Hashes in a full standard tile, entries in a full bundle. */
export const STANDARD_TILE_WIDTH = 2 ** STANDARD_TILE_HEIGHT;
/** tlog-tiles' highest tile level. */
export const MAX_STANDARD_TILE_LEVEL = 63;
/** An entry bundle's length prefix is a uint16. */
export const MAX_BUNDLED_ENTRY_BYTES = 0xffff;

export type StandardTile = { kind: 'hashes'; level: number; index: number; width: number } | { kind: 'entries'; index: number; width: number };

/** `<N>` as tlog-tiles writes it: 3-digit groups, all but the last prefixed with x (1234067 → x001/x234/067). */
export function formatTileIndex(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0) throw new RecordError('out-of-range', `tile index ${index} is not a non-negative integer`);
  let n = index;
  let path = String(n % 1000).padStart(3, '0');
  for (n = Math.floor(n / 1000); n > 0; n = Math.floor(n / 1000)) path = `x${String(n % 1000).padStart(3, '0')}/${path}`;
  return path;
}

/** The path of a tile below the log's prefix, e.g. tile/1/x001/002.p/7 or tile/entries/000. */
export function standardTilePath(t: StandardTile): string {
  const level = t.kind === 'entries' ? 'entries' : String(t.level);
  return `tile/${level}/${formatTileIndex(t.index)}${t.width === STANDARD_TILE_WIDTH ? '' : `.p/${t.width}`}`;
}

const INDEX_AND_WIDTH = /^((?:x\d{3}\/)*)(\d{3})(?:\.p\/([1-9]\d*))?$/;
const LEVEL = /^(?:0|[1-9]\d*)$/;

function invalid(path: string, why: string): never {
  throw new RecordError('invalid', `tile path "${path}": ${why}`);
}

/**
 * Parses what follows `tile/` in a tile's path. Only the one spelling tlog-tiles gives
 * each tile is accepted (no leading x000 group, no leading zeroes in L or W, W from 1 to
 * 255), so that a cache never holds one tile under two names. An index too large to be
 * a safe integer is returned as Infinity: it names a tile beyond any tree, not a
 * malformed path. Throws RecordError 'invalid' naming what is wrong.
 */
export function parseStandardTilePath(path: string): StandardTile {
  const slash = path.indexOf('/');
  if (slash < 0) invalid(path, 'expected <L>/<N> or entries/<N>');
  const head = path.slice(0, slash);
  const m = INDEX_AND_WIDTH.exec(path.slice(slash + 1));
  if (!m) invalid(path, '<N> must be 3-digit groups, all but the last prefixed with x, optionally followed by .p/<W>');
  const groups = [
    ...m[1]
      .split('/')
      .filter(Boolean)
      .map((g) => g.slice(1)),
    m[2],
  ];
  if (groups.length > 1 && groups[0] === '000') invalid(path, '<N> has a leading x000 group');
  const value = Number(groups.join(''));
  const index = Number.isSafeInteger(value) ? value : Number.POSITIVE_INFINITY;
  let width = STANDARD_TILE_WIDTH;
  if (m[3] !== undefined) {
    width = m[3].length > 3 ? Number.POSITIVE_INFINITY : Number(m[3]);
    if (width >= STANDARD_TILE_WIDTH) invalid(path, `a partial tile's width is 1 to ${STANDARD_TILE_WIDTH - 1}, not ${m[3]}`);
  }
  if (head === 'entries') return { kind: 'entries', index, width };
  if (!LEVEL.test(head) || head.length > 2 || Number(head) > MAX_STANDARD_TILE_LEVEL) {
    invalid(path, `<L> must be a level from 0 to ${MAX_STANDARD_TILE_LEVEL} without leading zeroes, or "entries"`);
  }
  return { kind: 'hashes', level: Number(head), index, width };
}

/**
 * How many hashes the tree of `size` leaves has for the standard tile (level, index):
 * 256 when the tile is full, 1–255 for the partial tile on the right edge, 0 beyond.
 * Entry bundles are level 0.
 */
export function standardTileWidth(size: number, level: number, index: number): number {
  const nodes = Math.floor(size / STANDARD_TILE_WIDTH ** level); // complete level-8L nodes
  const before = index * STANDARD_TILE_WIDTH;
  if (!(before < nodes)) return 0;
  return Math.min(STANDARD_TILE_WIDTH, nodes - before);
}

/** Entries as a tlog-tiles bundle: each after its length as a big-endian uint16. */
export function encodeEntryBundle(entries: readonly Uint8Array[], firstIndex = 0): Uint8Array {
  let total = 0;
  for (const e of entries) total += 2 + e.length;
  const out = new Uint8Array(total);
  let at = 0;
  entries.forEach((e, i) => {
    if (e.length > MAX_BUNDLED_ENTRY_BYTES) {
      throw new RecordError(
        'too-large',
        `entry ${firstIndex + i} is ${e.length} bytes; a tile bundle holds at most ${MAX_BUNDLED_ENTRY_BYTES}`,
        firstIndex + i,
      );
    }
    out[at] = e.length >>> 8;
    out[at + 1] = e.length & 0xff;
    out.set(e, at + 2);
    at += 2 + e.length;
  });
  return out;
}
