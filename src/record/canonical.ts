// RFC 8785 (JCS) canonical JSON: the bytes an author signs and the bytes of a log entry.
// Keys are sorted by UTF-16 code units (what Array.prototype.sort does by default);
// strings and numbers are serialised as ECMAScript's JSON.stringify does, which is
// exactly RFC 8785's form for I-JSON values (finite numbers, no lone surrogates).
// One pass checks and serialises, since the server canonicalises every report it records.

import { hasLoneSurrogate, utf8 } from './encoding.ts';
import { RecordError } from './errors.ts';

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

// Deep nesting would overflow the recursive serialiser; nothing the record holds needs more.
export const MAX_DEPTH = 64;

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

const q = JSON.stringify;
const SURROGATE = /[\uD800-\uDFFF]/;

// Objects of one kind (the reports of a batch) come with the same keys in the same
// order, so the last few key lists are remembered with their sorted order; property
// names are usually the same string objects, so the comparison is cheap.
const recentKeys: { keys: string[]; sorted: string[] }[] = [];

function sortedKeys(o: object): string[] {
  const keys = Object.keys(o);
  if (keys.length < 2) return keys;
  search: for (const r of recentKeys) {
    if (r.keys.length !== keys.length) continue;
    for (let i = 0; i < keys.length; i++) if (r.keys[i] !== keys[i]) continue search;
    return r.sorted;
  }
  const sorted = [...keys].sort();
  recentKeys.unshift({ keys, sorted });
  if (recentKeys.length > 8) recentKeys.pop();
  return sorted;
}

const quotedKeys = new Map<string, string>();

function quoted(k: string): string {
  let t = quotedKeys.get(k);
  if (t === undefined) {
    t = q(k);
    if (quotedKeys.size < 4096) quotedKeys.set(k, t);
  }
  return t;
}

/** Serialises, or returns undefined at the first value that is not I-JSON. */
function serialise(v: unknown, depth: number): string | undefined {
  switch (typeof v) {
    case 'string':
      // A surrogate at all is rare; only then is the stricter (pairing) test needed.
      return SURROGATE.test(v) && hasLoneSurrogate(v) ? undefined : q(v);
    case 'number':
      return Number.isFinite(v) ? q(v) : undefined;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      if (v === null) return 'null';
      if (depth >= MAX_DEPTH) return undefined;
      if (Array.isArray(v)) {
        let s = '[';
        for (let i = 0; i < v.length; i++) {
          const x = serialise(v[i], depth + 1);
          if (x === undefined) return undefined;
          s += i === 0 ? x : ',' + x;
        }
        return s + ']';
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return undefined;
      const keys = sortedKeys(v as object);
      let s = '{';
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        if (SURROGATE.test(k) && hasLoneSurrogate(k)) return undefined;
        const x = serialise((v as Record<string, unknown>)[k], depth + 1);
        if (x === undefined) return undefined;
        s += (i === 0 ? '' : ',') + quoted(k) + ':' + x;
      }
      return s + '}';
    }
    default:
      return undefined;
  }
}

/** The RFC 8785 canonical text of a JSON value; a RecordError names the first value that is not I-JSON. */
export function canonicalJson(value: unknown): string {
  const text = serialise(value, 0);
  if (text !== undefined) return text;
  assertJson(value); // throws, naming the path
  throw new RecordError('invalid', 'value has no JSON form');
}

/** The UTF-8 bytes of the canonical text. */
export function canonicalBytes(value: unknown): Uint8Array {
  return utf8(canonicalJson(value));
}
