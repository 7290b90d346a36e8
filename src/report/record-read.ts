// What a report rests on, read from a log's store and checked first: the stored record
// whole (assertStoreIntact), then the entries the chosen checkpoint covers hashed to its
// signed root, and every sealed content opened here against its commitment. Nothing is
// written: the caller opens the store read-only. Only entries the checkpoint covers are
// read, so every finding the report lists is provably in the record at that checkpoint.
import { openCheckpoint } from '../record/checkpoint.ts';
import { assertStoreIntact } from '../record/check-stored.ts';
import { type CosignatureVerifier, cosignaturesOf, noteParts, parseCosignatureKey } from '../record/cosignature.ts';
import { bytesEqual, encodeBase64 } from '../record/encoding.ts';
import { RecordError } from '../record/errors.ts';
import type { LogStore } from '../record/log-store.ts';
import { leafHash, RootBuilder } from '../record/merkle.ts';
import { sealedOf, verifyDisclosure } from '../record/sealed.ts';
import { parseEntry } from '../record/statement.ts';

const CHUNK = 8192;

/** Where something sits in the record: entry index and position in its body (docs/addressing.md). */
export interface Address {
  entry: number;
  n?: number;
}

/** One transition of a `findings` statement, opened. */
export interface RecordedFinding {
  /** the findings statement's entry and the item's position in its `findings` */
  address: { entry: number; n: number };
  /** whether the record holds it sealed (a commitment) rather than in the clear */
  sealed: boolean;
  /** who signed the findings statement (the log) */
  author: string;
  item: Record<string, unknown> & { finding: string; state: string; rule: string; time: string; at?: Address; actor?: string; units?: string[] };
}

/** One report of a `report`/`reports` statement, opened. */
export interface RecordedReport {
  address: { entry: number; n: number };
  /** the entry's author: who filed it */
  author: string;
  report: Record<string, unknown> & { type: string; id?: string; actor?: string; unit?: string; position?: unknown; notification?: string };
}

export interface Cosigned {
  name: string;
  /** seconds since the epoch, as the witness signed it */
  time: number;
}

export interface RecordForReport {
  origin: string;
  /** the signed note (checkpoint text and signature lines) as stored */
  note: string;
  size: number;
  root: string;
  /** whether the note is the witnessed checkpoint the server keeps */
  witnessed: boolean;
  /** cosignatures that verify under the witnesses the genesis names */
  cosignatures: Cosigned[];
  /** the genesis statement's body (the arrangement's digests, its document when it fit, the witnesses) */
  genesis: Record<string, unknown>;
  logName: string;
  findings: RecordedFinding[];
  reports: RecordedReport[];
}

function asObject(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * Reads and checks the record in `store` at the witnessed checkpoint when one is given
 * (and is no newer than the stored one), else at the newest the log signed.
 */
export async function readRecordForReport(store: LogStore, witnessedNote?: string): Promise<RecordForReport> {
  const snap = await store.load();
  if (!snap.meta || !snap.checkpoint) throw new RecordError('invalid', `${store.location} has no signed checkpoint yet`);
  await assertStoreIntact(store);
  const { logKey, origin } = snap.meta;
  const stored = openCheckpoint(snap.checkpoint.note, logKey, origin);
  let note = snap.checkpoint.note;
  let witnessed = false;
  if (witnessedNote !== undefined) {
    const w = openCheckpoint(witnessedNote, logKey, origin);
    if (w.size <= stored.size) {
      note = witnessedNote;
      witnessed = true;
    }
  }
  const cp = openCheckpoint(note, logKey, origin);
  const logName = logKey.slice(0, logKey.indexOf('+'));

  const tree = new RootBuilder();
  const findings: RecordedFinding[] = [];
  const reports: RecordedReport[] = [];
  let genesis: Record<string, unknown> | undefined;
  // Item openings are kept at their place; records written before that kept them by digest.
  const opened = async (hash: string, entry: number, n: number): Promise<Record<string, unknown>> => {
    const at = await store.getSealedAt(entry, n);
    const s = at?.digest === hash ? at : await store.getSealed(hash);
    if (!s || !verifyDisclosure(hash, s.content, s.salt))
      throw new RecordError('tampered', `${store.location}: sealed content ${hash} is missing or does not open its commitment`);
    return JSON.parse(Buffer.from(s.content).toString('utf8')) as Record<string, unknown>;
  };
  for (let from = 0; from < cp.size; from += CHUNK) {
    const entries = await store.readEntries(from, Math.min(cp.size, from + CHUNK));
    for (const [k, bytes] of entries.entries()) {
      const index = from + k;
      tree.push(leafHash(bytes));
      const { statement } = parseEntry(bytes);
      const body = statement.body as Record<string, unknown>;
      if (index === 0) genesis = body;
      if (statement.type === 'findings' && Array.isArray(body.findings)) {
        for (const [n, item] of body.findings.entries()) {
          const hash = sealedOf(item);
          const content = hash === undefined ? asObject(item) : await opened(hash, index, n);
          if (content)
            findings.push({ address: { entry: index, n }, sealed: hash !== undefined, author: statement.author, item: content as RecordedFinding['item'] });
        }
      } else if (statement.type === 'reports' || statement.type === 'report') {
        const items = statement.type === 'reports' ? (Array.isArray(body.reports) ? body.reports : []) : [body];
        for (const [n, item] of items.entries()) {
          const hash = sealedOf(item);
          const content = hash === undefined ? asObject(item) : await opened(hash, index, n);
          if (content && typeof content.type === 'string')
            reports.push({ address: { entry: index, n }, author: statement.author, report: content as RecordedReport['report'] });
        }
      }
    }
  }
  // The assertion above checked the store against its newest checkpoint; the report rests
  // on this one, so its entries must hash to this root too.
  if (!bytesEqual(tree.root(), cp.root)) throw new RecordError('corrupt', `${store.location}: the stored entries do not hash to the checkpoint's root`);
  if (!genesis) throw new RecordError('invalid', `${store.location}: the record is empty`);
  return {
    origin,
    note,
    size: cp.size,
    root: encodeBase64(cp.root),
    witnessed,
    cosignatures: cosignaturesIn(note, genesis),
    genesis,
    logName,
    findings,
    reports,
  };
}

/** The cosignatures on the note that verify under the witness keys the genesis names. */
export function cosignaturesIn(note: string, genesis: Record<string, unknown>): Cosigned[] {
  const keys = asObject(genesis.witnesses)?.keys;
  if (!Array.isArray(keys)) return [];
  const verifiers: CosignatureVerifier[] = [];
  for (const k of keys) {
    const key = asObject(k)?.key;
    if (typeof key !== 'string') continue;
    try {
      verifiers.push(parseCosignatureKey(key));
    } catch {
      // A key the genesis names but nobody can parse cosigns nothing.
    }
  }
  if (verifiers.length === 0 || noteParts(note).lines.length < 2) return [];
  const found = cosignaturesOf(note, verifiers);
  return verifiers.filter((v) => found.has(v.vkey)).map((v) => ({ name: v.name, time: found.get(v.vkey)! }));
}
