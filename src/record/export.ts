// Writes a log's bundle (see bundle.ts for the files) from its store, while another
// process may be appending: it takes the stored checkpoint and the entries it covers,
// which never change once written. The bundle is built in a temporary directory and
// renamed into place, so a failed export leaves nothing behind. The caller opens the
// store (cli/export.ts opens the embedded one read-only), so the record loads no database.
// The bundle's `checkpoint` is the witnessed one when the caller has it (a note carrying
// the log's signature and the witnesses' cosignatures; a standard note reader opens it
// with the log key alone), and the entries are those it covers; with `since`, the
// bundle also carries the consistency proof from that size (bundle-witnessing.ts).

import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BUNDLE_FILES } from './bundle.ts';
import { CONSISTENCY_FILE, formatConsistency } from './bundle-witnessing.ts';
import { consistencyRanges } from './proofs.ts';
import { openCheckpoint } from './checkpoint.ts';
import { assertStoreIntact, keyOf } from './check-stored.ts';
import { bytesEqual } from './encoding.ts';
import { RecordError } from './errors.ts';
import type { LogStore } from './log-store.ts';
import { leafHash, RootBuilder } from './merkle.ts';

const CHUNK = 8192; // entries read per query

export interface ExportResult {
  origin: string;
  size: number;
  out: string;
  /** whether the checkpoint written is the witnessed one the caller gave */
  witnessed: boolean;
}

export interface ExportOptions {
  /** the witnessed checkpoint (log signature and cosignatures): exported instead of the newest log-signed one */
  witnessed?: string;
  /** also write the consistency proof from the tree of this many entries */
  since?: number;
}

/** writeSync may write less than asked (a full disk, a signal); loop until all is out. */
function writeAll(fd: number, data: Uint8Array | string): void {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
}

function writeFile(dir: string, name: string, write: (fd: number) => void | Promise<void>): Promise<void> {
  const fd = openSync(join(dir, name), 'wx', 0o644);
  return (async () => {
    try {
      await write(fd);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  })();
}

/** Exports the log stored in `store` to the directory `out`, which must not exist. */
export async function exportFromStore(store: LogStore, out: string, options: ExportOptions = {}): Promise<ExportResult> {
  if (existsSync(out)) throw new RecordError('invalid', `${out} already exists; choose a new directory for the bundle`);
  const snap = await store.load();
  if (!snap.meta || !snap.checkpoint) throw new RecordError('invalid', `${store.location} has no signed checkpoint yet`);
  const { meta, checkpoint } = snap;
  // Nothing is handed out from a record that is not what its log signed; the check names
  // the first entry (or tile, or sealed content) at fault.
  await assertStoreIntact(store);
  const { note, witnessed } = chooseCheckpoint(checkpoint.note, meta.logKey, meta.origin, options.witnessed);
  const cp = openCheckpoint(note, meta.logKey, meta.origin);
  const size = cp.size;
  const since = options.since;
  if (since !== undefined && (!Number.isSafeInteger(since) || since < 0 || since > size))
    throw new RecordError('invalid', `--since ${since}: the checkpoint exported covers ${size} entries`);
  const proofTrees = since === undefined ? [] : consistencyRanges(since, size).map((r) => ({ ...r, tree: new RootBuilder() }));

  const tmp = join(dirname(out), `.${basename(out)}.partial-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    await writeFile(tmp, BUNDLE_FILES.checkpoint, (fd) => writeAll(fd, note));
    await writeFile(tmp, BUNDLE_FILES.logKey, (fd) => writeAll(fd, `${meta.logKey}\n`));
    const leavesFd = openSync(join(tmp, BUNDLE_FILES.leafHashes), 'wx', 0o644);
    try {
      const tree = new RootBuilder();
      // keys.json keeps the spec's shape, author → verifier key: the first key each author
      // signed with. Which key is valid where is the key book's, followed in the entries.
      const firstKeys = new Map<string, string>();
      await writeFile(tmp, BUNDLE_FILES.entries, async (fd) => {
        const newline = Buffer.from('\n');
        for (let from = 0; from < size; from += CHUNK) {
          const entries = await store.readEntries(from, Math.min(size, from + CHUNK));
          const text: Uint8Array[] = [];
          const hashes: Uint8Array[] = [];
          entries.forEach((e, k) => {
            const key = keyOf(e);
            const author = key?.slice(0, key.indexOf('+'));
            if (author !== undefined && !firstKeys.has(author)) firstKeys.set(author, key!);
            text.push(e, newline);
            const h = leafHash(e);
            hashes.push(h);
            tree.push(h);
            for (const r of proofTrees) if (r.lo <= from + k && from + k < r.hi) r.tree.push(h);
          });
          writeAll(fd, Buffer.concat(text));
          writeAll(leavesFd, Buffer.concat(hashes));
        }
      });
      // The store is checked against what its own log signed before anything is handed out.
      if (!bytesEqual(tree.root(), cp.root)) throw new RecordError('corrupt', `${store.location}: the stored entries do not hash to the checkpoint's root`);
      fsyncSync(leavesFd);
      const keys = Object.fromEntries([...firstKeys].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      await writeFile(tmp, BUNDLE_FILES.keys, (fd) => writeAll(fd, `${JSON.stringify(keys, null, 2)}\n`));
    } finally {
      closeSync(leavesFd);
    }
    if (since !== undefined)
      await writeFile(tmp, CONSISTENCY_FILE, (fd) =>
        writeAll(
          fd,
          formatConsistency(
            since,
            proofTrees.map((r) => r.tree.root()),
          ),
        ),
      );
    renameSync(tmp, out);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return { origin: cp.origin, size, out, witnessed };
}

/**
 * The witnessed note when it is a checkpoint of this log no newer than the stored one
 * (its entries are all stored); otherwise the newest the log signed.
 */
function chooseCheckpoint(stored: string, logKey: string, origin: string, witnessed: string | undefined): { note: string; witnessed: boolean } {
  if (witnessed === undefined) return { note: stored, witnessed: false };
  const w = openCheckpoint(witnessed, logKey, origin);
  const s = openCheckpoint(stored, logKey, origin);
  if (w.size > s.size) throw new RecordError('corrupt', `the witnessed checkpoint covers ${w.size} entries, more than the ${s.size} the log signed last`);
  return { note: witnessed, witnessed: true };
}
