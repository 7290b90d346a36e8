// What a bundle says about witnesses (spec/witness.md): which witnesses cosigned its
// checkpoint (C2SP tlog-cosignature v1 lines in the checkpoint note), which witnesses
// and quorum its genesis — the record's first entry, the arrangement it runs — names,
// and the optional consistency proof from an older size (`detente export --since N`),
// written as the head of a tlog-witness request: `old <size>\n` then one base64 hash a line.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLE_FILES } from './bundle.ts';
import { parseCheckpoint } from './checkpoint.ts';
import { cosignaturesOf, noteParts, parseCosignatureKey, type CosignatureVerifier } from './cosignature.ts';
import { decodeBase64, encodeBase64 } from './encoding.ts';
import { readLines } from './lines.ts';
import { HASH_SIZE } from './merkle.ts';
import { parseEntry } from './statement.ts';

export const CONSISTENCY_FILE = 'consistency';

/** the statement type of the record's first entry (the server's ARRANGEMENT) */
const GENESIS_TYPE = 'arrangement';

export interface NamedWitnesses {
  quorum: number;
  keys: { name: string; key: string }[];
}

/** The bundle's checkpoint note, as written. */
export function bundleCheckpoint(dir: string): string {
  return readFileSync(join(dir, BUNDLE_FILES.checkpoint), 'utf8');
}

/** The origin and size the bundle's checkpoint claims (not verified: verifyBundle does that). */
export function bundleHead(dir: string): { origin: string; size: number } | undefined {
  try {
    const cp = parseCheckpoint(noteParts(bundleCheckpoint(dir)).text);
    return { origin: cp.origin, size: cp.size };
  } catch {
    return undefined;
  }
}

/** The witnesses the genesis entry's arrangement names, if it names any. */
export function genesisWitnesses(dir: string): NamedWitnesses | undefined {
  const path = join(dir, BUNDLE_FILES.entries);
  if (!existsSync(path)) return undefined;
  for (const line of readLines(path)) {
    try {
      const st = parseEntry(line).statement;
      if (st.type !== GENESIS_TYPE) return undefined;
      const doc = (st.body as { document?: { witnesses?: NamedWitnesses } }).document;
      const w = doc?.witnesses;
      if (!w || !Array.isArray(w.keys) || !Number.isSafeInteger(w.quorum)) return undefined;
      return { quorum: w.quorum, keys: w.keys.filter((k) => typeof k?.name === 'string' && typeof k?.key === 'string') };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export type CosignatureCheck =
  | { ok: true; cosigned: { name: string; time: number }[] }
  | { ok: false; cosigned: { name: string; time: number }[]; missing: string[]; message: string };

/** Whether at least `quorum` of `witnessKeys` validly cosigned the checkpoint `note`. */
export function checkCosignatures(note: string, witnessKeys: readonly string[], quorum: number): CosignatureCheck {
  const verifiers: CosignatureVerifier[] = witnessKeys.map((k) => parseCosignatureKey(k));
  const found = cosignaturesOf(note, verifiers);
  const cosigned = verifiers.filter((v) => found.has(v.vkey)).map((v) => ({ name: v.name, time: found.get(v.vkey)! }));
  if (cosigned.length >= quorum) return { ok: true, cosigned };
  const missing = verifiers.filter((v) => !found.has(v.vkey)).map((v) => v.vkey);
  return {
    ok: false,
    cosigned,
    missing,
    message: `the checkpoint has ${cosigned.length} of the ${quorum} witness cosignature(s) required; no valid cosignature by ${missing.join(', ')}`,
  };
}

export function formatConsistency(old: number, proof: readonly Uint8Array[]): string {
  return `old ${old}\n${proof.map((h) => `${encodeBase64(h)}\n`).join('')}`;
}

/** The bundle's consistency proof, if it carries one; throws naming what is malformed. */
export function readConsistency(dir: string): { old: number; proof: Uint8Array[] } | undefined {
  const path = join(dir, CONSISTENCY_FILE);
  if (!existsSync(path)) return undefined;
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const m = /^old (0|[1-9][0-9]*)$/.exec(lines[0] ?? '');
  if (!m) throw new Error(`${path}: the first line must be "old <size>"`);
  const proof = lines.slice(1).map((l, i) => {
    const h = decodeBase64(l, `${path} line ${i + 2}`);
    if (h.length !== HASH_SIZE) throw new Error(`${path} line ${i + 2}: not a ${HASH_SIZE}-byte hash`);
    return h;
  });
  return { old: Number(m[1]), proof };
}
