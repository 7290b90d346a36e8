// The physical floor for the PostgreSQL append bench: the same durable rows the Log's
// batch writes (each entry, its statement id in a uuid B-tree, the full tiles of the
// Merkle tree, the sequencing row), in tables of the same layout, one COMMIT per batch
// of the same size, synchronous_commit=on, as plain INSERTs from one connection that
// does nothing else. Ids and tiles are computed before the clock starts: what is left is
// what the server and the disk must do for the product's work. The product's statement
// adds only the fencing join and the tiles' ON CONFLICT on top of these rows.

import pg from 'pg';
import { statementId } from '../src/record/log.ts';
import { leafHash } from '../src/record/merkle.ts';
import { madeHere } from '../src/record/statement.ts';
import { TileWriter } from '../src/record/tiles.ts';

interface Batch {
  first: number;
  entries: Buffer;
  offsets: number[];
  lengths: number[];
  ids: Buffer;
  tileIds: number[];
  tiles: Buffer;
  tileOffsets: number[];
  tileLengths: number[];
}

function pack(list: readonly Uint8Array[]): { blob: Buffer; offsets: number[]; lengths: number[] } {
  const offsets: number[] = [];
  const lengths: number[] = [];
  let at = 1;
  for (const b of list) {
    offsets.push(at);
    lengths.push(b.length);
    at += b.length;
  }
  return { blob: Buffer.concat(list), offsets, lengths };
}

function batches(list: readonly Uint8Array[], size: number): Batch[] {
  const writer = new TileWriter(0, []);
  const out: Batch[] = [];
  for (let first = 0; first < list.length; first += size) {
    const part = list.slice(first, first + size);
    const leaves = part.map(leafHash);
    for (const l of leaves) writer.addLeaf(l);
    const ids = part.map((e, i) => {
      const facts = madeHere(e, leaves[i]);
      if (!facts) throw new Error('bench floor: an entry the log did not make');
      return statementId(facts);
    });
    const tiles = writer.takeFinished();
    const e = pack(part);
    const t = pack(tiles.map((x) => x.data));
    out.push({
      first,
      entries: e.blob,
      offsets: e.offsets,
      lengths: e.lengths,
      ids: Buffer.concat(ids),
      tileIds: tiles.map((x) => x.id),
      tiles: t.blob,
      tileOffsets: t.offsets,
      tileLengths: t.lengths,
    });
  }
  return out;
}

const SCHEMA = `
CREATE TABLE sequencer (one int PRIMARY KEY CHECK (one = 1), size bigint NOT NULL);
INSERT INTO sequencer VALUES (1, 0);
CREATE TABLE entries (idx bigint PRIMARY KEY, data bytea NOT NULL);
CREATE TABLE statements (id uuid PRIMARY KEY, idx bigint NOT NULL);
CREATE TABLE tiles (id bigint PRIMARY KEY, data bytea NOT NULL);`;

const INSERT = `
WITH ent AS (
  INSERT INTO entries SELECT $1::bigint + t.i - 1, substring($2::bytea FROM t.o FOR t.l)
  FROM unnest($3::int[], $4::int[]) WITH ORDINALITY AS t(o, l, i)
), st AS (
  INSERT INTO statements SELECT encode(substring($5::bytea FROM (t.i * 16 - 15)::int FOR 16), 'hex')::uuid, $1::bigint + t.i - 1
  FROM generate_series(1, cardinality($3::int[])) AS t(i)
), ti AS (
  INSERT INTO tiles SELECT t.id, substring($7::bytea FROM t.o FOR t.l) FROM unnest($6::bigint[], $8::int[], $9::int[]) AS t(id, o, l)
)
UPDATE sequencer SET size = $1::bigint + cardinality($3::int[]) WHERE one = 1`;

/** Entries per second for `list` written as the floor, `size` entries per COMMIT, into a throwaway schema. */
export async function floorRate(url: string, list: readonly Uint8Array[], size: number): Promise<number> {
  const schema = `bench_floor_${process.pid}`;
  const c = new pg.Client({ connectionString: url, options: `-c search_path=${schema} -c synchronous_commit=on` });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}; ${SCHEMA}`);
    const work = batches(list, size);
    const t0 = performance.now();
    for (const b of work) {
      await c.query({
        name: 'floor',
        text: INSERT,
        values: [b.first, b.entries, b.offsets, b.lengths, b.ids, b.tileIds, b.tiles, b.tileOffsets, b.tileLengths],
      });
    }
    const rate = (list.length * 1000) / (performance.now() - t0);
    const stored = (await c.query<{ n: string }>('SELECT count(*) AS n FROM entries')).rows[0].n;
    if (Number(stored) !== list.length) throw new Error(`bench floor: ${stored} entries stored, not ${list.length}`);
    return rate;
  } finally {
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await c.end();
  }
}
