// The key book: which keys may sign for which actor at which index of the record. It is
// the one answer to that question for the server's intake (on its head state), for
// replay and the check of a stored record, for `detente verify`, and for the web client;
// it is pure (no file system, no clock) so that all of them run the same code.
//
// The record's first entry, the genesis `arrangement` statement, carries the initial
// book in its body: `keys` (actor → verifier keys, every actor listed), `recovery`
// (actor → recovery key), `custodial` (actors whose key the server holds) and `roles`.
// Statements of type `key` then move it (docs/spec/record.md, "Keys"):
//   enroll   { key, device? }  signed by a working key of the actor (or, when the actor
//                              never had a key, by the new key itself: trust on first use)
//   rotate   { key }           signed by a working key K: K stops, the new key starts
//   recovery { key }           registers the recovery key, once, signed by a working key
//   revoke   { keys, add? }    signed only by the recovery key: removes keys, adds others
// Every change takes effect from the next index. A key that stopped never comes back,
// and a recovery key signs nothing but revocations.
//
// A record whose genesis carries no book (made before keys were recorded) is judged as
// such records always were: each author's first key is pinned where it is first used.

import type { JsonObject } from './canonical.ts';
import { parseVerifierKey } from './keys.ts';

export const KEY = 'key';
export const ARRANGEMENT = 'arrangement';
const MAX_DEVICE = 100;

/** The key book as a genesis statement's body carries it. */
export interface GenesisKeys {
  keys: Record<string, string[]>;
  recovery: Record<string, string>;
  custodial: string[];
  roles: Record<string, string>;
}

export type Admission = { ok: true } | { ok: false; reason: string };

/** Why a key stopped being valid. */
interface Stopped {
  actor: string;
  /** the entry that stopped it (it is refused from the next index) */
  at: number;
  how: 'rotated away' | 'revoked';
}

interface ActorKeys {
  working: Set<string>;
  recovery?: string;
  /** whether the actor ever had a key (trust on first use only for one that never did) */
  hadKey: boolean;
}

/** The book's state as JSON, for a snapshot. */
export interface KeyBookJson {
  mode: 'empty' | 'keyed' | 'legacy';
  serverKeys: string[];
  actors: Array<[string, { working: string[]; recovery?: string; hadKey: boolean }]>;
  stopped: Array<[string, Stopped]>;
  /** when the key became valid, by key */
  since: Array<[string, number]>;
  custodial: string[];
  roles: Record<string, string>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nameOf(vkey: string): string {
  const at = vkey.indexOf('+');
  return at < 0 ? '' : vkey.slice(0, at);
}

function no(reason: string): Admission {
  return { ok: false, reason };
}

const OK: Admission = { ok: true };

/** Checks that `v` is a verifier key named with `actor`; the reason when it is not. */
function keyProblem(v: unknown, actor: string, what: string): string | undefined {
  if (typeof v !== 'string') return `${what} must be a verifier key`;
  try {
    parseVerifierKey(v);
  } catch (e) {
    return `${what}: ${(e as Error).message}`;
  }
  if (nameOf(v) !== actor) return `${what} ${v} is named "${nameOf(v)}", not with the actor id "${actor}"`;
  return undefined;
}

/**
 * The key book a genesis body carries, checked; undefined when the body has none (a
 * record from before). Throws an Error naming what is wrong with one that is malformed.
 */
export function genesisKeysOf(body: JsonObject): GenesisKeys | undefined {
  if (!('keys' in body)) return undefined;
  const { keys, recovery, custodial, roles } = body as Record<string, unknown>;
  if (!isObject(keys)) throw new Error('genesis: keys must map actor ids to lists of verifier keys');
  const out: GenesisKeys = { keys: {}, recovery: {}, custodial: [], roles: {} };
  const seen = new Set<string>();
  for (const [actor, list] of Object.entries(keys)) {
    if (!Array.isArray(list)) throw new Error(`genesis: keys.${actor} must be a list`);
    for (const k of list) {
      const p = keyProblem(k, actor, `keys.${actor}`);
      if (p) throw new Error(`genesis: ${p}`);
      if (seen.has(k as string)) throw new Error(`genesis: ${k} is listed twice`);
      seen.add(k as string);
    }
    out.keys[actor] = list as string[];
  }
  if (recovery !== undefined) {
    if (!isObject(recovery)) throw new Error('genesis: recovery must map actor ids to a verifier key');
    for (const [actor, k] of Object.entries(recovery)) {
      if (!(actor in out.keys)) throw new Error(`genesis: recovery.${actor}: not an actor of the key book`);
      const p = keyProblem(k, actor, `recovery.${actor}`);
      if (p) throw new Error(`genesis: ${p}`);
      if (seen.has(k as string)) throw new Error(`genesis: the recovery key of ${actor} is also a working key`);
      seen.add(k as string);
      out.recovery[actor] = k as string;
    }
  }
  if (custodial !== undefined) {
    if (!Array.isArray(custodial) || custodial.some((a) => typeof a !== 'string' || !(a in out.keys)))
      throw new Error('genesis: custodial must list actor ids of the key book');
    out.custodial = custodial as string[];
  }
  if (roles !== undefined) {
    if (!isObject(roles) || Object.values(roles).some((r) => typeof r !== 'string')) throw new Error('genesis: roles must map actor ids to roles');
    out.roles = roles as Record<string, string>;
  }
  return out;
}

export class KeyBook {
  private mode: 'empty' | 'keyed' | 'legacy' = 'empty';
  private readonly serverKeys: Set<string>;
  private readonly actors = new Map<string, ActorKeys>();
  private readonly stopped = new Map<string, Stopped>();
  private readonly since = new Map<string, number>();
  private custodialActors: string[] = [];
  private roleMap: Record<string, string> = {};

  /** `serverKeys`: the log's verifier keys; each signs only for the author it is named with. */
  constructor(serverKeys: readonly string[] = []) {
    this.serverKeys = new Set(serverKeys);
  }

  /** 'keyed' once a genesis with a key book is applied; 'legacy' for a genesis without. */
  get state(): 'empty' | 'keyed' | 'legacy' {
    return this.mode;
  }

  get custodial(): readonly string[] {
    return this.custodialActors;
  }

  get roles(): Readonly<Record<string, string>> {
    return this.roleMap;
  }

  /** A record that begins without a genesis statement (a bare log): judged by first-use pins, as a legacy record. */
  beginLegacy(): void {
    if (this.mode === 'empty') this.mode = 'legacy';
  }

  isServerKey(key: string): boolean {
    return this.serverKeys.has(key);
  }

  /** The actor's current working keys. */
  working(actor: string): string[] {
    return [...(this.actors.get(actor)?.working ?? [])];
  }

  recoveryOf(actor: string): string | undefined {
    return this.actors.get(actor)?.recovery;
  }

  /** The index from which a key is valid (0 for genesis keys), if it ever was. */
  validFrom(key: string): number | undefined {
    return this.since.get(key);
  }

  /** Where a key stopped being valid: the entry that stopped it. */
  stoppedAt(key: string): { at: number; how: string } | undefined {
    const s = this.stopped.get(key);
    return s && { at: s.at, how: s.how };
  }

  /** Whether `key` is valid now for `author` for an ordinary statement (no key statement, no genesis). */
  signs(author: string, key: string): boolean {
    if (this.serverKeys.has(key)) return nameOf(key) === author;
    return this.actors.get(author)?.working.has(key) ?? false;
  }

  /**
   * Whether an entry by `author`, signed with `key`, of this type and body, may stand at
   * `index`; the reason when not. It does not check the signature (the record does).
   */
  admit(author: string, key: string, type: string, body: JsonObject, index: number): Admission {
    if (nameOf(key) !== author) return no(`the key ${key} is not named with the author "${author}"`);
    if (this.mode === 'empty') {
      if (type !== ARRANGEMENT) return no(`entry ${index}: the record must begin with its arrangement statement, not "${type}"`);
      let g: GenesisKeys | undefined;
      try {
        g = genesisKeysOf(body);
      } catch (e) {
        return no(`entry ${index}: ${(e as Error).message}`);
      }
      if (!g) return OK;
      if (this.serverKeys.has(key)) return OK; // the log wrote it: clients judge it by its endorsements
      if (!g.keys[author]?.includes(key)) return no(`entry ${index}: the genesis is signed with ${key}, which it does not list for "${author}"`);
      return OK;
    }
    if (this.serverKeys.has(key)) {
      if (type === KEY) return no(`entry ${index}: the log's key makes no key statements`);
      return OK;
    }
    const a = this.actors.get(author);
    if (this.mode === 'keyed' && !a) return no(`entry ${index}: "${author}" is neither an actor of the arrangement nor the log`);
    if (type === KEY) return this.admitKeyStatement(author, a, key, body, index);
    if (a?.working.has(key)) return OK;
    if (this.mode === 'legacy' && !a?.hadKey) return OK;
    return no(this.invalidKey(author, key, index));
  }

  /** Moves the book by an admitted entry (only genesis and key statements change it, and in a legacy record an author's first key). */
  apply(author: string, key: string, type: string, body: JsonObject, index: number): void {
    if (this.mode === 'empty') {
      if (type !== ARRANGEMENT) return;
      const g = genesisKeysOf(body);
      if (!g) {
        this.mode = 'legacy';
        return;
      }
      this.mode = 'keyed';
      for (const [actor, list] of Object.entries(g.keys)) {
        this.actors.set(actor, { working: new Set(list), recovery: g.recovery[actor], hadKey: list.length > 0 });
        for (const k of list) this.since.set(k, 0);
      }
      this.custodialActors = g.custodial;
      this.roleMap = g.roles;
      return;
    }
    if (this.serverKeys.has(key)) return;
    let a = this.actors.get(author);
    if (!a) {
      // Only a legacy record gets here: the author's first key is pinned.
      a = { working: new Set(), hadKey: false };
      this.actors.set(author, a);
    }
    if (type !== KEY) {
      if (!a.hadKey) this.add(a, key, index);
      return;
    }
    const b = body as Record<string, unknown>;
    switch (b.action) {
      case 'enroll':
        this.add(a, b.key as string, index + 1);
        return;
      case 'rotate':
        this.stop(author, a, key, index, 'rotated away');
        this.add(a, b.key as string, index + 1);
        return;
      case 'recovery':
        a.recovery = b.key as string;
        this.since.set(b.key as string, index + 1);
        return;
      case 'revoke':
        for (const k of b.keys as string[]) this.stop(author, a, k, index, 'revoked');
        for (const k of (b.add as string[] | undefined) ?? []) this.add(a, k, index + 1);
        return;
    }
  }

  private add(a: ActorKeys, key: string, from: number): void {
    a.working.add(key);
    a.hadKey = true;
    this.since.set(key, from);
  }

  private stop(actor: string, a: ActorKeys, key: string, at: number, how: Stopped['how']): void {
    a.working.delete(key);
    this.stopped.set(key, { actor, at, how });
  }

  private invalidKey(author: string, key: string, index: number): string {
    const s = this.stopped.get(key);
    if (s) return `entry ${index}: ${key} stopped being ${author}'s key at entry ${s.at + 1} (${s.how} by entry ${s.at})`;
    if (this.actors.get(author)?.recovery === key) return `entry ${index}: ${key} is ${author}'s recovery key, which signs only revocations`;
    return `entry ${index}: ${key} is not a key of "${author}" (the key book lists ${this.working(author).join(', ') || 'none'})`;
  }

  /** A key a statement would add: named with the actor, and never seen before. */
  private newKeyProblem(actor: string, v: unknown, what: string): string | undefined {
    const p = keyProblem(v, actor, what);
    if (p) return p;
    const k = v as string;
    if (this.since.has(k) || this.stopped.has(k) || this.actors.get(actor)?.recovery === k) return `${what} ${k} is already known to the key book`;
    return undefined;
  }

  private admitKeyStatement(author: string, a: ActorKeys | undefined, key: string, body: JsonObject, index: number): Admission {
    const b = body as Record<string, unknown>;
    const at = `entry ${index}: key statement`;
    const allowed: Record<string, string[]> = {
      enroll: ['action', 'key', 'device'],
      rotate: ['action', 'key'],
      recovery: ['action', 'key'],
      revoke: ['action', 'keys', 'add'],
    };
    const action = typeof b.action === 'string' ? b.action : '';
    if (!(action in allowed)) return no(`${at}: action must be enroll, rotate, recovery or revoke`);
    const extra = Object.keys(b).find((k) => !allowed[action].includes(k));
    if (extra) return no(`${at}: unknown field "${extra}" for ${action}`);
    const working = a?.working.has(key) ?? false;
    const signedByWorking = () => (working ? undefined : this.invalidKey(author, key, index));
    switch (action) {
      case 'enroll': {
        const p = this.newKeyProblem(author, b.key, `${at}: key`);
        if (p) return no(p);
        if (b.device !== undefined && (typeof b.device !== 'string' || b.device.length > MAX_DEVICE))
          return no(`${at}: device must be a label of at most ${MAX_DEVICE} characters`);
        // Trust on first use: an actor that never had a key enrolls its first by itself.
        if (!working && !a?.hadKey && !a?.recovery && key === b.key) return OK;
        const w = signedByWorking();
        return w ? no(w) : OK;
      }
      case 'rotate': {
        const p = this.newKeyProblem(author, b.key, `${at}: key`);
        if (p) return no(p);
        const w = signedByWorking();
        return w ? no(w) : OK;
      }
      case 'recovery': {
        if (a?.recovery) return no(`${at}: ${author} has a recovery key already (${a.recovery}); only it revokes`);
        const p = this.newKeyProblem(author, b.key, `${at}: key`);
        if (p) return no(p);
        const w = signedByWorking();
        return w ? no(w) : OK;
      }
      default: {
        if (!a?.recovery || key !== a.recovery)
          return no(`${at}: a revocation of ${author}'s keys is signed only by its recovery key (${a?.recovery ?? 'none registered'}), not by ${key}`);
        if (!Array.isArray(b.keys) || b.keys.length === 0) return no(`${at}: keys must list the keys revoked`);
        for (const k of b.keys) if (typeof k !== 'string' || !a.working.has(k)) return no(`${at}: ${String(k)} is not a working key of ${author}`);
        if (b.add !== undefined) {
          if (!Array.isArray(b.add)) return no(`${at}: add must be a list of verifier keys`);
          for (const k of b.add) {
            const p = this.newKeyProblem(author, k, `${at}: add`);
            if (p) return no(p);
          }
        }
        return OK;
      }
    }
  }

  /** The state as JSON, in sorted order: the same book gives the same JSON however it was reached. */
  toJSON(): KeyBookJson {
    const byKey = <T>(a: [string, T], b: [string, T]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
    return {
      mode: this.mode,
      serverKeys: [...this.serverKeys].sort(),
      actors: [...this.actors]
        .map(([id, a]): KeyBookJson['actors'][number] => [
          id,
          { working: [...a.working].sort(), ...(a.recovery ? { recovery: a.recovery } : {}), hadKey: a.hadKey },
        ])
        .sort(byKey),
      stopped: [...this.stopped].sort(byKey),
      since: [...this.since].sort(byKey),
      custodial: this.custodialActors,
      roles: this.roleMap,
    };
  }

  static fromJSON(j: KeyBookJson): KeyBook {
    const b = new KeyBook(j.serverKeys);
    b.mode = j.mode;
    for (const [id, a] of j.actors) b.actors.set(id, { working: new Set(a.working), recovery: a.recovery, hadKey: a.hadKey });
    for (const [k, s] of j.stopped) b.stopped.set(k, s);
    for (const [k, i] of j.since) b.since.set(k, i);
    b.custodialActors = j.custodial;
    b.roleMap = j.roles;
    return b;
  }
}

/**
 * Admits and applies an entry in one step: the reason it is refused, or undefined once
 * the book has moved past it.
 */
export function step(book: KeyBook, author: string, key: string, type: string, body: JsonObject, index: number): string | undefined {
  const a = book.admit(author, key, type, body, index);
  if (!a.ok) return a.reason;
  book.apply(author, key, type, body, index);
  return undefined;
}
