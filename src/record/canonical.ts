// RFC 8785 (JCS) canonical JSON: the bytes an author signs and the bytes of a log entry.
// `canonicalize` does the serialisation (keys sorted by UTF-16 code units, ECMAScript
// number formatting). It is lenient where RFC 8785 is not — it drops undefined, calls
// toJSON, and passes lone surrogates through — so values are checked to be I-JSON first.

import { createRequire } from 'node:module';
import { hasLoneSurrogate, utf8 } from './encoding.ts';
import { RecordError } from './errors.ts';

// canonicalize is CommonJS (module.exports = function) while its typings declare an ES
// default export, which TypeScript's NodeNext resolution then reads as `.default`.
// Exported for parseEntry, which already holds parsed JSON and only needs the text.
export const canonicalize = createRequire(import.meta.url)('canonicalize') as (value: unknown) => string | undefined;

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

// Deep nesting would overflow the recursive serialiser; nothing the record holds needs more.
const MAX_DEPTH = 64;

/** Throws a RecordError naming the path of the first value JSON (I-JSON) cannot hold. */
export function assertJson(value: unknown, path = '$', depth = 0): asserts value is Json {
  if (depth > MAX_DEPTH) throw new RecordError('invalid', `${path}: nested deeper than ${MAX_DEPTH} levels`);
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RecordError('invalid', `${path}: ${value} is not a JSON number`);
    return;
  }
  if (typeof value === 'string') {
    if (hasLoneSurrogate(value)) throw new RecordError('invalid', `${path}: string holds an unpaired surrogate`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertJson(v, `${path}[${i}]`, depth + 1));
    return;
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new RecordError('invalid', `${path}: ${proto?.constructor?.name ?? 'object'} is not a plain JSON object`);
    }
    for (const [k, v] of Object.entries(value)) {
      if (hasLoneSurrogate(k)) throw new RecordError('invalid', `${path}: key holds an unpaired surrogate`);
      assertJson(v, `${path}.${k}`, depth + 1);
    }
    return;
  }
  throw new RecordError('invalid', `${path}: a ${typeof value} is not JSON`);
}

/** The RFC 8785 canonical text of a JSON value. */
export function canonicalJson(value: unknown): string {
  assertJson(value);
  const text = canonicalize(value);
  // Unreachable after assertJson; kept so a future canonicalize change cannot yield undefined silently.
  if (text === undefined) throw new RecordError('invalid', 'value has no JSON form');
  return text;
}

/** The UTF-8 bytes of the canonical text. */
export function canonicalBytes(value: unknown): Uint8Array {
  return utf8(canonicalJson(value));
}
