// The record's first statement says which arrangement the server runs: a digest of
// the document and of the GeoJSON files it names, and the document itself when it
// fits, so that a later start can say what changed. A server refuses to start on a
// file that differs from the one its record began with: the arrangement in force
// changes only through the talks (an announced text), never by editing a file
// under a running record.
import { createHash } from 'node:crypto';
import type { ArrangementSource } from '../../arrangement/load.ts';
import { canonicalJson, type Json, type JsonObject } from '../../record/canonical.ts';
import { genesisTime } from '../../record/genesis.ts';
import { checkStatement, type Statement } from '../../record/statement.ts';

/** The document is kept in the statement only while it leaves room in a record entry. */
const MAX_DOCUMENT_BYTES = 48 * 1024;

export interface ArrangementBody extends JsonObject {
  /** sha256 (hex) of the canonical document */
  sha256: string;
  title: string;
  rules: number;
  /** sha256 (hex) of each GeoJSON file's canonical content, by the name the document gives it */
  geometry: { [file: string]: string };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function arrangementBody(source: ArrangementSource): ArrangementBody {
  const text = canonicalJson(source.value as Json);
  const geometry: { [file: string]: string } = {};
  for (const [file, json] of [...source.geoFiles].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) geometry[file] = sha256(canonicalJson(json as Json));
  const body: ArrangementBody = { sha256: sha256(text), title: source.arrangement.title, rules: source.arrangement.rules.length, geometry };
  if (Buffer.byteLength(text) <= MAX_DOCUMENT_BYTES) body.document = source.value as Json;
  return body;
}

/**
 * The genesis: the arrangement body with the initial key book (docs/spec/record.md,
 * "Keys"): every actor's keys (the file's `actors[].keys`, and the server's key for each
 * custodial actor), recovery keys, which actors are custodial, the roles (who must
 * endorse), and the witnesses as the document names them.
 */
export function genesisBody(source: ArrangementSource, serverKeys: ReadonlyMap<string, string>): ArrangementBody {
  const body = arrangementBody(source);
  const keys: { [actor: string]: string[] } = {};
  const recovery: { [actor: string]: string } = {};
  const roles: { [actor: string]: string } = {};
  for (const a of source.arrangement.actors) {
    const server = serverKeys.get(a.id);
    keys[a.id] = [...(a.keys ?? []), ...(server && !(a.keys ?? []).includes(server) ? [server] : [])];
    if (a.recovery) recovery[a.id] = a.recovery;
    roles[a.id] = a.role;
  }
  body.keys = keys;
  body.recovery = recovery;
  body.custodial = [...serverKeys.keys()].sort();
  body.roles = roles;
  const witnesses = (source.value as { witnesses?: Json }).witnesses;
  if (witnesses !== undefined) body.witnesses = witnesses;
  return body;
}

/** The actor that authors the genesis: the mediator (who wrote the file). */
export function mediatorOf(source: ArrangementSource): string | undefined {
  return source.arrangement.actors.find((a) => a.role === 'mediator')?.id;
}

/**
 * The genesis statement, the same byte for byte wherever it is built from the same file
 * and server keys: its time is fixed by the arrangement (record/genesis.ts), its author
 * the mediator, so that the parties can sign it offline before the server starts.
 */
export function genesisStatement(source: ArrangementSource, serverKeys: ReadonlyMap<string, string>, author: string): Statement {
  return checkStatement({
    v: 1,
    type: 'arrangement',
    author,
    time: genesisTime(source.arrangement.announceBy),
    arrangement: source.arrangement.id,
    body: genesisBody(source, serverKeys),
  });
}

/** Paths where two JSON values differ, with both values, at most `max` of them. */
export function differences(a: unknown, b: unknown, path = '', out: string[] = [], max = 10): string[] {
  if (out.length >= max) return out;
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys =
      Array.isArray(a) && Array.isArray(b)
        ? [...Array(Math.max(a.length, b.length)).keys()].map(String)
        : [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) differences(a[k], b[k], Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k, out, max);
    return out;
  }
  if (canonicalJson((a ?? null) as Json) !== canonicalJson((b ?? null) as Json)) {
    const show = (v: unknown) => (v === undefined ? '(absent)' : JSON.stringify(v).slice(0, 80));
    out.push(`${path || '(document)'}: ${show(a)} → ${show(b)}`);
  }
  return out;
}

/**
 * Why the file now given cannot run this record, or undefined when it is the same.
 * Records begun before geometry digests were kept are judged by the document alone.
 */
export function arrangementChange(recorded: JsonObject, now: ArrangementBody): string | undefined {
  const geometryRecorded = recorded.geometry as { [file: string]: string } | undefined;
  const sameDocument = recorded.sha256 === now.sha256;
  const geometryChanged = geometryRecorded ? Object.keys({ ...geometryRecorded, ...now.geometry }).filter((f) => geometryRecorded[f] !== now.geometry[f]) : [];
  if (sameDocument && geometryChanged.length === 0) return undefined;
  const what: string[] = [];
  if (!sameDocument) {
    if (recorded.document !== undefined && now.document !== undefined) what.push(...differences(recorded.document, now.document));
    else what.push(`the document's sha256 was ${recorded.sha256}, is now ${now.sha256}`);
  }
  for (const f of geometryChanged) what.push(`geometry file ${f}: ${geometryRecorded![f] ? 'changed' : 'added'}${now.geometry[f] ? '' : ' (now absent)'}`);
  return what.join('; ');
}
