// How the log stores its tree: every full-subtree hash, grouped in tiles so that a
// proof costs a handful of reads. A tile of tile-level T and index k is the subtree of
// height 4 whose 16 base nodes are the level-4T nodes 16k … 16k+15; it holds all 31 of
// its hashes in post-order (children before parents, the tile's root last). Post-order
// makes a tile append-only: a partial tile with w base nodes is exactly the first
// 2w - popcount(w) hashes of the full one.
//
// Only full tiles are stored, each written once. The open (rightmost, partial) tile of
// each level lives in memory and is rebuilt on open from at most 15 base nodes: the last
// leaf hashes for level 0, the roots of the last full tiles below for the others. So a
// commit writes a tile only when one fills up, and opening costs the same at any size.
//
// A tree of a million leaves has five tile levels; a random inclusion proof touches one
// tile per level, and all but the bottom one are few enough to stay cached.

import { RecordError } from './errors.ts';
import { HASH_SIZE, nodeHash } from './merkle.ts';

export const TILE_HEIGHT = 4;
export const TILE_WIDTH = 2 ** TILE_HEIGHT;
export const TILE_NODES = 2 * TILE_WIDTH - 1;
const TILE_BYTES = TILE_NODES * HASH_SIZE;
// Tile ids pack (tile level, index) into one safe integer: up to 2^40 tiles per level.
const LEVEL_SPAN = 2 ** 40;

const POPCOUNT = Array.from({ length: TILE_WIDTH + 1 }, (_, i) => i.toString(2).replace(/0/g, '').length);

export function tileId(tileLevel: number, tileIndex: number): number {
  return tileLevel * LEVEL_SPAN + tileIndex;
}

export function tileName(id: number): string {
  return `${Math.floor(id / LEVEL_SPAN)}/${id % LEVEL_SPAN}`;
}

/** Hashes held by a tile with `width` base nodes (post-order: each base node and the parents it completes). */
function tileLength(width: number): number {
  return 2 * width - POPCOUNT[width];
}

export interface NodeLocation {
  id: number;
  tileLevel: number;
  tileIndex: number;
  /** position of the node's hash in the tile */
  pos: number;
}

/** The tile holding the node (level, index) — leaves [index·2^level, (index+1)·2^level) — and its position there. */
export function locate(level: number, index: number): NodeLocation {
  const tileLevel = Math.floor(level / TILE_HEIGHT);
  const j = level - tileLevel * TILE_HEIGHT; // level inside the tile, 0..3
  const perTile = 2 ** (TILE_HEIGHT - j);
  const tileIndex = Math.floor(index / perTile);
  const lastBase = (index - tileIndex * perTile + 1) * 2 ** j - 1; // the node completes right after this base node
  return { id: tileId(tileLevel, tileIndex), tileLevel, tileIndex, pos: tileLength(lastBase) + j };
}

export function hashAt(tile: Uint8Array, pos: number): Uint8Array {
  return tile.subarray(pos * HASH_SIZE, (pos + 1) * HASH_SIZE);
}

/**
 * What rebuilding the open tiles of a tree of `size` leaves takes: the hashes of the
 * last `leaves` leaves, and for each tile level T >= 1 the roots of the full tiles
 * `below[T]` of level T - 1 (in order), which are the base nodes of T's open tile.
 */
export function openTileSources(size: number): { leaves: number; below: number[][] } {
  const below: number[][] = [[]];
  let count = Math.floor(size / TILE_WIDTH); // base nodes of tile level 1
  for (let level = 1; count > 0; level++, count = Math.floor(count / TILE_WIDTH)) {
    const width = count % TILE_WIDTH;
    below.push(Array.from({ length: width }, (_, i) => tileId(level - 1, count - width + i)));
  }
  return { leaves: size % TILE_WIDTH, below };
}

/** The root of a full tile (its last hash in post-order). */
export function tileRoot(tile: Uint8Array): Uint8Array {
  return hashAt(tile, TILE_NODES - 1);
}

interface OpenTile {
  index: number;
  data: Uint8Array;
  /** hashes written */
  count: number;
  /** base nodes written */
  width: number;
}

export interface TileWrite {
  id: number;
  data: Uint8Array;
}

/**
 * Extends the tree one leaf at a time, keeping the open tile of each level in memory.
 * takeFinished() hands over the tiles that became full since the last call.
 */
export class TileWriter {
  private readonly open: OpenTile[] = [];
  private finished: TileWrite[] = [];

  /**
   * Rebuilds the open tiles of a tree of `size` leaves from `bases[T]`, the base nodes of
   * the open tile of level T (see openTileSources).
   */
  constructor(size: number, bases: readonly (readonly Uint8Array[])[]) {
    for (let level = 0, count = size; count > 0; level++, count = Math.floor(count / TILE_WIDTH)) {
      const have = bases[level] ?? [];
      if (have.length !== count % TILE_WIDTH) {
        throw new RecordError('corrupt', `store: the open tile of level ${level} needs ${count % TILE_WIDTH} base nodes, got ${have.length}`);
      }
      this.open[level] = { index: Math.floor(count / TILE_WIDTH), data: new Uint8Array(TILE_BYTES), count: 0, width: 0 };
      for (const h of have) this.addBase(level, h);
    }
  }

  addLeaf(hash: Uint8Array): void {
    this.addBase(0, hash);
  }

  private addBase(level: number, hash: Uint8Array): void {
    const t = (this.open[level] ??= { index: 0, data: new Uint8Array(TILE_BYTES), count: 0, width: 0 });
    let p = t.count;
    t.data.set(hash, p * HASH_SIZE);
    t.count++;
    t.width++;
    // The new base node completes one parent per trailing zero bit of the new width.
    for (let j = 1; j <= TILE_HEIGHT && t.width % 2 ** j === 0; j++) {
      const left = p - (2 ** j - 1); // the left sibling subtree is 2^j - 1 hashes long in post-order
      const parent = nodeHash(hashAt(t.data, left), hashAt(t.data, p));
      p++;
      t.data.set(parent, p * HASH_SIZE);
      t.count++;
    }
    if (t.width === TILE_WIDTH) {
      this.finished.push({ id: tileId(level, t.index), data: t.data });
      this.open[level] = { index: t.index + 1, data: new Uint8Array(TILE_BYTES), count: 0, width: 0 };
      this.addBase(level + 1, tileRoot(t.data));
    }
  }

  /**
   * The buffer of the open tile at (tileLevel, tileIndex), if that tile is the open one.
   * Hashes already written in it never move, and when the tile fills up this same
   * buffer becomes the full tile, so callers may hold on to it.
   */
  openTile(tileLevel: number, tileIndex: number): Uint8Array | undefined {
    const t = this.open[tileLevel];
    return t && t.index === tileIndex ? t.data : undefined;
  }

  /** Tiles that became full since the last call; their buffers are final. */
  takeFinished(): TileWrite[] {
    const f = this.finished;
    this.finished = [];
    return f;
  }
}
