// Writes a log's bundle (see bundle.ts for the files) from its store, while another
// process may be appending: it takes the stored checkpoint and the entries it covers,
// which never change once written. The bundle is built in a temporary directory and
// renamed into place, so a failed export leaves nothing behind. The caller opens the
// store (cli/export.ts opens the embedded one read-only), so the record loads no database.

import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BUNDLE_FILES } from './bundle.ts';
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
export async function exportFromStore(store: LogStore, out: string): Promise<ExportResult> {
  if (existsSync(out)) throw new RecordError('invalid', `${out} already exists; choose a new directory for the bundle`);
  const snap = await store.load();
  if (!snap.meta || !snap.checkpoint) throw new RecordError('invalid', `${store.location} has no signed checkpoint yet`);
  const { meta, checkpoint } = snap;
  // Nothing is handed out from a record that is not what its log signed; the check names
  // the first entry (or tile, or sealed content) at fault.
  await assertStoreIntact(store);
  const cp = openCheckpoint(checkpoint.note, meta.logKey, meta.origin);
  const size = cp.size;

  const tmp = join(dirname(out), `.${basename(out)}.partial-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    await writeFile(tmp, BUNDLE_FILES.checkpoint, (fd) => writeAll(fd, checkpoint.note));
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
          for (const e of entries) {
            const key = keyOf(e);
            const author = key?.slice(0, key.indexOf('+'));
            if (author !== undefined && !firstKeys.has(author)) firstKeys.set(author, key!);
            text.push(e, newline);
            const h = leafHash(e);
            hashes.push(h);
            tree.push(h);
          }
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
    renameSync(tmp, out);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return { origin: cp.origin, size, out };
}
