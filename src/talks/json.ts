// JSON values as the record will hold them. A value that goes into an event body
// must survive canonical JSON unchanged, or a state rebuilt from the record would
// differ from the live one: so no undefined, no NaN or Infinity, no class instances,
// and -0 becomes 0 (canonical JSON writes it as 0).

import type { Problems } from './errors.ts';
import type { Json, JsonObject } from './types.ts';

const MAX_DEPTH = 32;

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A JSON copy of `value`, or undefined after adding the reason to `problems`. */
export function toJson(value: unknown, path: string, problems: Problems, depth = 0): Json | undefined {
  if (depth > MAX_DEPTH) {
    problems.add(path, `nested deeper than ${MAX_DEPTH} levels`);
    return undefined;
  }
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      problems.add(path, `must be a finite number, not ${value}`);
      return undefined;
    }
    return value + 0; // -0 → 0
  }
  if (Array.isArray(value)) {
    const out: Json[] = [];
    let ok = true;
    value.forEach((v, i) => {
      const j = toJson(v, `${path}[${i}]`, problems, depth + 1);
      if (j === undefined) ok = false;
      else out.push(j);
    });
    return ok ? out : undefined;
  }
  if (isPlainObject(value)) {
    const out: JsonObject = {};
    let ok = true;
    for (const [k, v] of Object.entries(value)) {
      const j = toJson(v, `${path}.${k}`, problems, depth + 1);
      if (j === undefined) ok = false;
      else Object.defineProperty(out, k, { value: j, enumerable: true, writable: true, configurable: true });
    }
    return ok ? out : undefined;
  }
  problems.add(path, `is not a JSON value (${value === undefined ? 'undefined' : typeof value})`);
  return undefined;
}

/** Equality of JSON values, ignoring the order of object keys. */
export function sameJson(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => sameJson(v, b[i]));
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]));
}

/** A deep copy, so that state never shares mutable structure with an event. */
export function copyJson<T extends Json>(v: T): T {
  return structuredClone(v);
}

const encoder = new TextEncoder();

/** UTF-8 length of the JSON text of a value: what an entry will weigh on the record. */
export function jsonBytes(v: Json): number {
  return encoder.encode(JSON.stringify(v)).length;
}
