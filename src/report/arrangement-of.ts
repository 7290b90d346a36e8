// The arrangement a report describes: the one the record's genesis names. Its document is
// in the genesis when it fit; the GeoJSON files it draws zones from are not (only their
// digests are), so a document that names files needs the arrangement file itself, which
// is refused unless its digests are the genesis's (as `detente follow` refuses one).
import { tmpdir } from 'node:os';
import type { Arrangement } from '../arrangement/compile.ts';
import { ArrangementError } from '../arrangement/issues.ts';
import { loadArrangementSource, parseArrangementSource } from '../arrangement/load.ts';
import { canonicalJson, type Json } from '../record/canonical.ts';
import { arrangementBody } from '../server/core/arrangement-note.ts';

/** The arrangement cannot be had (with the flag to blame, for exit 2). */
export class ArrangementUnavailable extends Error {
  constructor(
    readonly flag: string,
    message: string,
  ) {
    super(message);
  }
}

export function arrangementOf(genesis: Record<string, unknown>, file?: string): Arrangement {
  if (file !== undefined) {
    let source: ReturnType<typeof loadArrangementSource>;
    try {
      source = loadArrangementSource(file);
    } catch (e) {
      if (e instanceof ArrangementError) throw new ArrangementUnavailable('--arrangement-file', e.message);
      throw e;
    }
    const mine = arrangementBody(source);
    if (genesis.sha256 !== mine.sha256)
      throw new ArrangementUnavailable(
        '--arrangement-file',
        `${file} is not the arrangement the record began with (its digest ${mine.sha256}, the genesis names ${String(genesis.sha256)})`,
      );
    const geometry = (genesis.geometry ?? {}) as Record<string, unknown>;
    for (const [name, digest] of Object.entries(mine.geometry))
      if (geometry[name] !== digest)
        throw new ArrangementUnavailable('--arrangement-file', `${file}: the geometry file ${name} differs from the one the record began with`);
    return source.arrangement;
  }
  if (genesis.document === undefined)
    throw new ArrangementUnavailable(
      '--arrangement-file',
      'the record holds only the digest of its arrangement (too large to keep); give the file with --arrangement-file FILE',
    );
  const files = Object.keys((genesis.geometry ?? {}) as object);
  if (files.length > 0)
    throw new ArrangementUnavailable(
      '--arrangement-file',
      `the record's arrangement reads ${files.join(', ')} (its zones, lines and places), which the record holds only as digests; give the arrangement file with --arrangement-file FILE`,
    );
  try {
    // No file is read: the document names none. The directory is only where one would be looked up.
    return parseArrangementSource(canonicalJson(genesis.document as Json), { file: 'the genesis document', baseDir: tmpdir() }).arrangement;
  } catch (e) {
    if (e instanceof ArrangementError) throw new ArrangementUnavailable('--arrangement', `the record's genesis document: ${e.message}`);
    throw e;
  }
}
