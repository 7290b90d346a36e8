// Typed readers over an untrusted document. Each takes the value, its path and
// the issue list, and returns the value when it is of the right shape (or
// undefined after recording why not). Unknown keys are errors: a typo in a key
// must not silently weaken a rule.
import type { IssueList, PathPart } from './issues.ts';
import { ID } from '../policy/ids.ts';
import { parseDuration, parseTime } from './time.ts';

export type Obj = Record<string, unknown>;

function missing(path: PathPart[], out: IssueList): undefined {
  out.add(path, 'missing');
  return undefined;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'number' && Number.isNaN(v)) return 'NaN';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

export function obj(v: unknown, path: PathPart[], out: IssueList, required: string[], optional: string[] = []): Obj | undefined {
  if (v === undefined) return missing(path, out);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    out.add(path, `expected an object, found ${describe(v)}`);
    return undefined;
  }
  const o = v as Obj;
  const known = new Set([...required, ...optional]);
  for (const k of Object.keys(o)) {
    if (!known.has(k)) out.add([...path, k], `unknown key "${k}" (expected one of: ${[...known].join(', ')})`);
  }
  // Missing required keys are reported by the reader that reads each one.
  return o;
}

export function list(v: unknown, path: PathPart[], out: IssueList, opts: { nonEmpty?: boolean } = {}): unknown[] | undefined {
  if (v === undefined) return missing(path, out);
  if (!Array.isArray(v)) {
    out.add(path, `expected a list, found ${describe(v)}`);
    return undefined;
  }
  if (opts.nonEmpty && v.length === 0) out.add(path, 'must not be empty');
  return v;
}

export function str(v: unknown, path: PathPart[], out: IssueList): string | undefined {
  if (v === undefined) return missing(path, out);
  if (typeof v !== 'string') {
    out.add(path, `expected a string, found ${describe(v)}`);
    return undefined;
  }
  return v;
}

export function bool(v: unknown, path: PathPart[], out: IssueList): boolean | undefined {
  if (v === undefined) return missing(path, out);
  if (typeof v !== 'boolean') {
    out.add(path, `expected true or false, found ${describe(v)}`);
    return undefined;
  }
  return v;
}

export function id(v: unknown, path: PathPart[], out: IssueList): string | undefined {
  const s = str(v, path, out);
  if (s !== undefined && !ID.test(s)) {
    out.add(path, `"${s}" is not a valid id (lower-case letters, digits and dashes, starting with a letter or digit)`);
    return undefined;
  }
  return s;
}

export function num(
  v: unknown,
  path: PathPart[],
  out: IssueList,
  opts: { min?: number; max?: number; integer?: boolean; positive?: boolean } = {},
): number | undefined {
  if (v === undefined) return missing(path, out);
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    out.add(path, `expected a finite number, found ${describe(v)}`);
    return undefined;
  }
  if (opts.integer && !Number.isInteger(v)) out.add(path, `expected a whole number, found ${v}`);
  else if (opts.min !== undefined && v < opts.min) out.add(path, `${v} is below the minimum ${opts.min}`);
  else if (opts.max !== undefined && v > opts.max) out.add(path, `${v} is above the maximum ${opts.max}`);
  else if (opts.positive && v <= 0) out.add(path, `must be greater than 0, found ${v}`);
  else return v;
  return undefined;
}

export function time(v: unknown, path: PathPart[], out: IssueList): number | undefined {
  const s = str(v, path, out);
  if (s === undefined) return undefined;
  const t = parseTime(s);
  if (Number.isNaN(t)) {
    out.add(path, `"${s}" is not an RFC 3339 date-time (e.g. 2025-12-29T00:00:00Z)`);
    return undefined;
  }
  return t;
}

export function duration(v: unknown, path: PathPart[], out: IssueList, opts: { positive?: boolean } = {}): number | undefined {
  const s = str(v, path, out);
  if (s === undefined) return undefined;
  const d = parseDuration(s);
  if (typeof d === 'string') {
    out.add(path, d);
    return undefined;
  }
  if (opts.positive && d <= 0) {
    out.add(path, 'must be longer than zero');
    return undefined;
  }
  return d;
}

/** A list of ids that must each name something in `known` (described as `what`). */
export function refs(
  v: unknown,
  path: PathPart[],
  out: IssueList,
  known: ReadonlySet<string>,
  what: string,
  opts: { nonEmpty?: boolean } = {},
): string[] | undefined {
  const l = list(v, path, out, opts);
  if (!l) return undefined;
  const res: string[] = [];
  l.forEach((x, i) => {
    const r = ref(x, [...path, i], out, known, what);
    if (r !== undefined) res.push(r);
  });
  return res;
}

export function ref(v: unknown, path: PathPart[], out: IssueList, known: ReadonlySet<string>, what: string): string | undefined {
  const s = str(v, path, out);
  if (s === undefined) return undefined;
  if (!known.has(s)) {
    out.add(path, `unknown ${what} "${s}"${known.size ? ` (known: ${[...known].slice(0, 12).join(', ')}${known.size > 12 ? ', …' : ''})` : ''}`);
    return undefined;
  }
  return s;
}

/** Checks a list of objects with an `id` each for duplicates; returns the set of good ids. */
export function uniqueIds(items: unknown[] | undefined, path: PathPart[], out: IssueList): Set<string> {
  const seen = new Map<string, number>();
  (items ?? []).forEach((it, i) => {
    if (typeof it !== 'object' || it === null) return;
    const v = (it as Obj).id;
    if (typeof v !== 'string') return;
    const first = seen.get(v);
    if (first !== undefined) out.add([...path, i, 'id'], `duplicate id "${v}" (first at ${path.join('.')}[${first}])`);
    else seen.set(v, i);
  });
  return new Set(seen.keys());
}

/** The string ids of a list of objects, for resolving references (duplicates are reported by uniqueIds). */
export function idSet(items: unknown): Set<string> {
  const s = new Set<string>();
  if (Array.isArray(items)) for (const it of items) if (it && typeof (it as Obj).id === 'string') s.add((it as Obj).id as string);
  return s;
}
