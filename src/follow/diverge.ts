// Where the server's log and the mirror part: the first index whose leaf hash differs,
// and what kind of difference it is. The server's tree is read as tlog-tiles: first the
// level-1 tiles (one hash per 256 entries) against the mirror's own 256-entry subtree
// roots, then the level-0 tile (leaf hashes) of the first chunk that differs. So a
// million-entry log costs a handful of requests, and the mirror is read once.

import { bytesEqual } from '../record/encoding.ts';
import { parseEntry } from '../record/statement.ts';
import { HASH_SIZE, rootOf } from '../record/merkle.ts';
import { STANDARD_TILE_WIDTH as W, standardTileWidth } from '../record/standard-tiles.ts';
import type { FollowClient } from './client.ts';
import { type Discrepancy, jsonDiff } from './discrepancy.ts';
import type { Mirror } from './mirror.ts';

const hex = (h: Uint8Array | undefined) => (h === undefined ? null : Buffer.from(h).toString('hex'));

/** The served tree's leaf hashes [from, to) (within one level-0 tile), read from the level-0 tile at `servedSize`. */
async function servedLeaves(client: FollowClient, servedSize: number, from: number, to: number): Promise<Uint8Array[]> {
  const tile = Math.floor(from / W);
  const width = standardTileWidth(servedSize, 0, tile);
  const t = await client.hashTile(0, tile, width);
  const out: Uint8Array[] = [];
  for (let i = from; i < Math.min(to, tile * W + width); i++) out.push(t.subarray((i - tile * W) * HASH_SIZE, (i - tile * W + 1) * HASH_SIZE));
  return out;
}

async function servedLeaf(client: FollowClient, servedSize: number, index: number): Promise<Uint8Array | undefined> {
  if (index >= servedSize) return undefined;
  return (await servedLeaves(client, servedSize, index, index + 1))[0];
}

/** The first index below min(sizes) where the leaves differ, or undefined. */
async function firstDifference(client: FollowClient, mirror: Mirror, mirrorSize: number, servedSize: number): Promise<number | undefined> {
  const common = Math.min(mirrorSize, servedSize);
  const chunks = Math.floor(common / W);
  let level1: { index: number; hashes: Uint8Array } | undefined;
  let from = chunks * W; // where the leaf-by-leaf comparison starts if every full chunk agrees
  for (let c = 0; c < chunks; c++) {
    const t = Math.floor(c / W);
    if (level1?.index !== t) level1 = { index: t, hashes: await client.hashTile(1, t, standardTileWidth(servedSize, 1, t)) };
    const served = level1.hashes.subarray((c - t * W) * HASH_SIZE, (c - t * W + 1) * HASH_SIZE);
    if (!bytesEqual(rootOf(await mirror.leafHashes(c * W, (c + 1) * W)), served)) {
      from = c * W;
      break;
    }
  }
  const to = Math.min(from + W, common);
  if (to <= from) return undefined;
  const mine = await mirror.leafHashes(from, to);
  const theirs = await servedLeaves(client, servedSize, from, to);
  const i = mine.findIndex((h, k) => !bytesEqual(h, theirs[k]));
  return i < 0 ? undefined : from + i;
}

/**
 * Compares the mirror's first `mirrorSize` entries with the server's tree of `servedSize`
 * and says what differs first, or undefined when the served log holds the mirror as it is.
 */
export async function findDivergence(client: FollowClient, mirror: Mirror, mirrorSize: number, servedSize: number): Promise<Discrepancy | undefined> {
  const k = await firstDifference(client, mirror, mirrorSize, servedSize);
  if (k === undefined) {
    if (servedSize >= mirrorSize) return undefined;
    const [lost] = await mirror.leafHashes(servedSize, servedSize + 1);
    return {
      kind: 'entries-truncated',
      index: servedSize,
      mirrored: hex(lost),
      served: null,
      detail: `the served log ends after ${servedSize} entries; the mirror holds ${mirrorSize}, all before that the same`,
    };
  }
  const [m0, m1] = await mirror.leafHashes(k, Math.min(k + 2, mirrorSize));
  const s0 = await servedLeaf(client, servedSize, k);
  const s1 = await servedLeaf(client, servedSize, k + 1);
  const same = (a: Uint8Array | undefined, b: Uint8Array | undefined) => a !== undefined && b !== undefined && bytesEqual(a, b);
  const both = { index: k, mirrored: hex(m0), served: hex(s0) };
  if (same(s0, m1))
    return { kind: 'entry-removed', ...both, detail: `the served log lacks mirrored entry ${k}: its entry ${k} is the mirrored entry ${k + 1}` };
  if (same(s1, m0))
    return {
      kind: 'entry-inserted',
      ...both,
      detail: `the served log has an entry at ${k} the mirror does not: its entry ${k + 1} is the mirrored entry ${k}`,
    };
  // Changed in place: the next entries agree, or there is none after it on either side.
  if (same(s1, m1) || (m1 === undefined && s1 === undefined)) {
    const d: Discrepancy = { kind: 'entry-changed', ...both, detail: `entry ${k} differs; entry ${k + 1} is the same` };
    try {
      const mine = parseEntry((await mirror.entries(k, k + 1))[0]);
      const bundle = Math.floor(k / W);
      const theirs = parseEntry((await client.entryBundle(bundle, standardTileWidth(servedSize, 0, bundle)))[k - bundle * W]);
      d.changed = jsonDiff(mine, theirs);
      d.detail += `: ${Object.keys(d.changed).join(', ')}`;
    } catch {
      // the hashes already say it; the fields are a courtesy
    }
    return d;
  }
  return { kind: 'fork', ...both, detail: `from entry ${k} on the served log and the mirror differ` };
}
