// Commands as they arrive (JSON objects with a `kind`), parsed once at the edge into
// a typed TalksCommand: decide takes only those. Only the shape is checked here (400s);
// whether the references exist and the order is right is the decider's business (404s
// and 409s).

import { ID } from '../policy/ids.ts';
import { Problems, TalksError } from './errors.ts';
import { isPlainObject, toJson } from './json.ts';
import { parseClauseText } from './texts.ts';
import { COMMAND_KINDS, type CommandKind, LIMITS, STANCES, type StanceValue } from './limits.ts';
import type { Meeting } from './round-types.ts';
import { SECTIONS_CLAUSE } from './sections-stance.ts';
import type { Json, JsonObject } from './types.ts';

interface Command {
  kind: CommandKind;
}
export interface SubmitCommand extends Command {
  kind: 'submit';
  text: string;
  issue?: string;
  position?: number;
  confidential?: boolean;
  /** record only a commitment to the whole statement, its author and type included */
  quiet?: boolean;
}
export interface RelayCommand extends Command {
  kind: 'relay';
  to: string;
  text: string;
  cites?: string[];
}
export interface OpenIssueCommand extends Command {
  kind: 'open-issue';
  id: string;
  title: string;
  numeric?: { unit: string };
}
export interface CloseIssueCommand extends Command {
  kind: 'close-issue';
  id: string;
}
export interface ClauseInput {
  id: string;
  /** the prevailing text */
  text: string;
  /** every language's text, when given in several (`text` is then the prevailing one's) */
  texts?: Record<string, string>;
  prevailing?: string;
  rules?: Json[];
}
export interface DraftCommand extends Command {
  kind: 'draft';
  clauses: ClauseInput[];
  note?: string;
  /** sections of the arrangement the draft sets (zones, lines, actors, witnesses, disclosure, …) */
  sections?: JsonObject;
}
export interface StanceCommand extends Command {
  kind: 'stance';
  draft: number;
  clause: string;
  stance: StanceValue;
  note?: string;
  /** the hash of the clause's texts the party read (a clause in several languages); 409 when they changed */
  texts_hash?: string;
  /** of the draft's sections (clause "sections"): the hash of the sections the party read; 409 when they are not the draft's */
  sections_hash?: string;
}
export interface ApproveCommand extends Command {
  kind: 'approve';
  draft: number;
}
export interface AnnounceCommand extends Command {
  kind: 'announce';
  draft: number;
}
export interface WithdrawCommand extends Command {
  kind: 'withdraw';
  clauses?: string[];
  note?: string;
}

export interface ConsentDirectCommand extends Command {
  kind: 'consent-direct';
  note?: string;
  quiet?: boolean;
}
export interface OpenJointChannelCommand extends Command {
  kind: 'open-joint-channel';
}
export interface JointMessageCommand extends Command {
  kind: 'joint-message';
  text: string;
}
export interface CloseJointChannelCommand extends Command {
  kind: 'close-joint-channel';
  note?: string;
}
export interface OpenRoundCommand extends Command {
  kind: 'open-round';
  agenda: string;
  /** RFC 3339 */
  deadline?: string;
  meeting?: Meeting;
}
export interface ProposeExtensionCommand extends Command {
  kind: 'propose-extension';
  deadline: string;
  reason?: string;
  meeting?: Meeting;
}
export interface ApproveExtensionCommand extends Command {
  kind: 'approve-extension';
  deadline: string;
}

export type TalksCommand =
  | SubmitCommand
  | RelayCommand
  | OpenIssueCommand
  | CloseIssueCommand
  | DraftCommand
  | StanceCommand
  | ApproveCommand
  | AnnounceCommand
  | WithdrawCommand
  | ConsentDirectCommand
  | OpenJointChannelCommand
  | JointMessageCommand
  | CloseJointChannelCommand
  | OpenRoundCommand
  | ProposeExtensionCommand
  | ApproveExtensionCommand;

// Every kind has its command and no command has a kind outside the list.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _kinds: Same<TalksCommand['kind'], CommandKind> = true;
void _kinds;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

// A lone surrogate cannot be written as I-JSON; the record would refuse the entry.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * The typed command, or a 400 naming every problem with it. `at` is where the command
 * sits in the request ("command" in { "command": {…} }): the problems' paths start there.
 */
export function parseCommand(command: unknown, at = ''): TalksCommand {
  try {
    return parseShape(command as Record<string, unknown>, commandKind(command));
  } catch (e) {
    if (at === '' || !(e instanceof TalksError)) throw e;
    const p = new Problems();
    for (const i of e.issues) p.add(i.path === '' ? at : `${at}.${i.path}`, i.message);
    p.throwIfAny();
    throw e;
  }
}

/** The command's kind, or a 400 naming what is wrong with it. */
function commandKind(command: unknown): CommandKind {
  if (!isPlainObject(command)) throw new TalksError(400, 'invalid', 'a command must be a JSON object', '');
  const kind = command.kind;
  if (typeof kind !== 'string' || !(COMMAND_KINDS as readonly string[]).includes(kind)) {
    throw new TalksError(400, 'invalid', `kind: must be one of ${COMMAND_KINDS.join(', ')}`, 'kind');
  }
  return kind as CommandKind;
}

/** Checks the shape of a command of a known kind; throws a 400 listing every problem. */
function parseShape(command: Record<string, unknown>, kind: CommandKind): TalksCommand {
  const p = new Problems();
  const f = new Fields(command, p);
  let out: TalksCommand;
  switch (kind) {
    case 'submit':
      out = {
        kind,
        text: f.text('text', LIMITS.text),
        ...f.optional('issue', (k) => f.id(k)),
        ...f.optional('position', (k) => f.number(k)),
        ...f.optional('confidential', (k) => f.boolean(k)),
        ...f.optional('quiet', (k) => f.boolean(k)),
      };
      break;
    case 'relay':
      out = { kind, to: f.id('to'), text: f.text('text', LIMITS.text), ...f.optional('cites', (k) => f.ids(k, LIMITS.cites)) };
      break;
    case 'open-issue':
      out = { kind, id: f.id('id'), title: f.text('title', LIMITS.title), ...f.optional('numeric', (k) => f.numeric(k)) };
      break;
    case 'close-issue':
      out = { kind, id: f.id('id') };
      break;
    case 'draft':
      out = {
        kind,
        clauses: f.clauses('clauses'),
        ...f.optional('note', (k) => f.text(k, LIMITS.note)),
        ...f.optional('sections', (k) => f.sections(k)),
      };
      break;
    case 'stance':
      out = {
        kind,
        draft: f.version('draft'),
        clause: f.id('clause'),
        stance: f.stance('stance'),
        ...f.optional('note', (k) => f.text(k, LIMITS.note)),
        ...f.optional('texts_hash', (k) => f.hash(k)),
        ...f.optional('sections_hash', (k) => f.hash(k)),
      };
      break;
    case 'approve':
    case 'announce':
      out = { kind, draft: f.version('draft') };
      break;
    case 'withdraw':
      out = { kind, ...f.optional('clauses', (k) => f.ids(k, LIMITS.clauses, true)), ...f.optional('note', (k) => f.text(k, LIMITS.note)) };
      break;
    case 'consent-direct':
      out = { kind, ...f.optional('note', (k) => f.text(k, LIMITS.note)), ...f.optional('quiet', (k) => f.boolean(k)) };
      break;
    case 'open-joint-channel':
      out = { kind };
      break;
    case 'joint-message':
      out = { kind, text: f.text('text', LIMITS.text) };
      break;
    case 'close-joint-channel':
      out = { kind, ...f.optional('note', (k) => f.text(k, LIMITS.note)) };
      break;
    case 'open-round':
      out = {
        kind,
        agenda: f.text('agenda', LIMITS.note),
        ...f.optional('deadline', (k) => f.time(k)),
        ...f.optional('meeting', (k) => f.meeting(k)),
      };
      break;
    case 'propose-extension':
      out = {
        kind,
        deadline: f.time('deadline'),
        ...f.optional('reason', (k) => f.text(k, LIMITS.note)),
        ...f.optional('meeting', (k) => f.meeting(k)),
      };
      break;
    case 'approve-extension':
      out = { kind, deadline: f.time('deadline') };
      break;
  }
  f.noOthers();
  p.throwIfAny();
  return out;
}

// Reads fields of one object, noting every problem; the values returned after a
// problem are placeholders that are never used (parseCommand throws first).
class Fields {
  private readonly seen: Set<string>;
  constructor(
    private readonly obj: Record<string, unknown>,
    private readonly p: Problems,
    private readonly prefix = '',
  ) {
    // a command's `kind` was read already; nested objects have none
    this.seen = new Set(prefix === '' ? ['kind'] : []);
  }

  private path(key: string): string {
    return this.prefix === '' ? key : `${this.prefix}.${key}`;
  }

  private get(key: string): unknown {
    this.seen.add(key);
    return Object.hasOwn(this.obj, key) ? this.obj[key] : undefined;
  }

  /** `{ key: value }` when the field is present (null counts as absent), else `{}`. */
  optional<K extends string, T>(key: K, read: (key: K) => T): { [P in K]?: T } {
    const v = this.get(key);
    if (v === undefined || v === null) return {};
    return { [key]: read(key) } as { [P in K]?: T };
  }

  text(key: string, max: number): string {
    const v = this.get(key);
    return checkText(v, this.path(key), max, this.p);
  }

  id(key: string): string {
    return checkId(this.get(key), this.path(key), this.p);
  }

  ids(key: string, max: number, nonEmpty = false): string[] {
    const v = this.get(key);
    const path = this.path(key);
    if (!Array.isArray(v)) {
      this.p.add(path, 'must be an array of ids');
      return [];
    }
    if (nonEmpty && v.length === 0) this.p.add(path, 'must not be empty (leave it out to mean all)');
    if (v.length > max) this.p.add(path, `at most ${max} ids`);
    const seen = new Map<string, number>();
    v.forEach((x, i) => {
      const id = checkId(x, `${path}[${i}]`, this.p);
      if (id === '') return;
      const j = seen.get(id);
      if (j !== undefined) this.p.add(`${path}[${i}]`, `duplicate of ${path}[${j}] ("${id}")`);
      else seen.set(id, i);
    });
    return v as string[];
  }

  number(key: string): number {
    const v = this.get(key);
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.p.add(this.path(key), 'must be a finite number');
      return 0;
    }
    return v + 0; // -0 → 0, as canonical JSON would write it
  }

  boolean(key: string): boolean {
    const v = this.get(key);
    if (typeof v !== 'boolean') this.p.add(this.path(key), 'must be true or false');
    return v === true;
  }

  version(key: string): number {
    const v = this.get(key);
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
      this.p.add(this.path(key), 'must be a draft version (an integer from 1)');
      return 0;
    }
    return v;
  }

  stance(key: string): StanceValue {
    const v = this.get(key);
    if (typeof v !== 'string' || !(STANCES as readonly string[]).includes(v)) {
      this.p.add(this.path(key), `must be one of ${STANCES.join(', ')}`);
      return 'reserve';
    }
    return v as StanceValue;
  }

  /** A clause's text: one string, or `{ <language>: text, …, prevailing }`. */
  clauseText(key: string): Pick<ClauseInput, 'text' | 'texts' | 'prevailing'> {
    return parseClauseText(this.get(key), this.path(key), this.p);
  }

  /** A SHA-256 digest in lower-case hex. */
  hash(key: string): string {
    const v = this.get(key);
    if (typeof v !== 'string' || !/^[0-9a-f]{64}$/.test(v)) {
      this.p.add(this.path(key), 'must be a SHA-256 digest (64 lower-case hex digits)');
      return '';
    }
    return v;
  }

  numeric(key: string): { unit: string } {
    const v = this.get(key);
    const path = this.path(key);
    if (!isPlainObject(v)) {
      this.p.add(path, 'must be an object { unit }');
      return { unit: '' };
    }
    const inner = new Fields(v, this.p, path);
    const unit = inner.text('unit', LIMITS.unit);
    inner.noOthers();
    return { unit };
  }

  clauses(key: string): ClauseInput[] {
    const v = this.get(key);
    const path = this.path(key);
    if (!Array.isArray(v)) {
      this.p.add(path, 'must be an array of clauses');
      return [];
    }
    if (v.length === 0) this.p.add(path, 'a draft needs at least one clause');
    if (v.length > LIMITS.clauses) this.p.add(path, `at most ${LIMITS.clauses} clauses`);
    const seen = new Map<string, number>();
    return v.map((c, i): ClauseInput => {
      const cp = `${path}[${i}]`;
      if (!isPlainObject(c)) {
        this.p.add(cp, 'must be an object { id, text, rules? } (text: a string, or { <language>: text, …, prevailing })');
        return { id: '', text: '' };
      }
      const inner = new Fields(c, this.p, cp);
      const id = inner.id('id');
      const j = seen.get(id);
      if (id === SECTIONS_CLAUSE)
        this.p.add(`${cp}.id`, `"${SECTIONS_CLAUSE}" is reserved: it names the draft's sections, which the parties accept as a clause`);
      else if (id !== '' && j !== undefined) this.p.add(`${cp}.id`, `duplicate clause id "${id}" (also ${path}[${j}])`);
      else seen.set(id, i);
      const clause: ClauseInput = { id, ...inner.clauseText('text'), ...inner.optional('rules', (k) => inner.rules(k)) };
      inner.noOthers();
      return clause;
    });
  }

  /** An RFC 3339 time with a zone, given back normalised (toISOString), so that equal times compare equal. */
  time(key: string): string {
    const v = this.get(key);
    const path = this.path(key);
    const ms = typeof v === 'string' && RFC3339.test(v) ? Date.parse(v) : Number.NaN;
    if (!Number.isFinite(ms)) {
      this.p.add(path, 'must be an RFC 3339 time with a zone, e.g. 2026-01-15T12:00:00Z');
      return '';
    }
    return new Date(ms).toISOString();
  }

  meeting(key: string): Meeting {
    const v = this.get(key);
    const path = this.path(key);
    if (!isPlainObject(v)) {
      this.p.add(path, 'must be an object { title, at, place }');
      return { title: '', at: '', place: '' };
    }
    const inner = new Fields(v, this.p, path);
    const m = { title: inner.text('title', LIMITS.title), at: inner.time('at'), place: inner.text('place', LIMITS.title) };
    inner.noOthers();
    return m;
  }

  /** Sections of an arrangement document: an object whose keys are checked by the arrangement's validation. */
  sections(key: string): JsonObject {
    const v = this.get(key);
    const path = this.path(key);
    if (!isPlainObject(v)) {
      this.p.add(path, 'must be an object of arrangement sections (zones, lines, actors, witnesses, disclosure, …)');
      return {};
    }
    if (Object.hasOwn(v, 'id')) this.p.add(`${path}.id`, 'the arrangement keeps its id');
    // `rules` replaces the file's own rules (to change or retire one); new rules still go in the clauses.
    if (Object.hasOwn(v, 'rules') && !Array.isArray(v.rules)) this.p.add(`${path}.rules`, "must be an array of rules (replacing the file's own)");
    const j = toJson(v, path, this.p);
    if (j === undefined || hasLoneSurrogateDeep(j, path, this.p)) return {};
    return j as JsonObject;
  }

  rules(key: string): Json[] {
    const v = this.get(key);
    const path = this.path(key);
    if (!Array.isArray(v)) {
      this.p.add(path, 'must be an array of rules');
      return [];
    }
    if (v.length > LIMITS.rulesPerClause) this.p.add(path, `at most ${LIMITS.rulesPerClause} rules per clause`);
    const out: Json[] = [];
    v.forEach((r, i) => {
      const rp = `${path}[${i}]`;
      if (!isPlainObject(r)) {
        this.p.add(rp, 'a rule must be an object');
        return;
      }
      const j = toJson(r, rp, this.p);
      if (j !== undefined && !hasLoneSurrogateDeep(j, rp, this.p)) out.push(j);
    });
    return out;
  }

  /** Every key not read is unknown: a typo must not pass silently. */
  noOthers(): void {
    for (const k of Object.keys(this.obj)) if (!this.seen.has(k)) this.p.add(this.path(k), 'unknown field');
  }
}

function checkText(v: unknown, path: string, max: number, p: Problems): string {
  if (typeof v !== 'string') {
    p.add(path, v === undefined ? 'is required' : 'must be a string');
    return '';
  }
  if (v.trim() === '') p.add(path, 'must not be empty');
  else if (v.length > max) p.add(path, `at most ${max} characters (got ${v.length})`);
  else if (LONE_SURROGATE.test(v)) p.add(path, 'holds an unpaired surrogate');
  return v;
}

function checkId(v: unknown, path: string, p: Problems): string {
  if (typeof v !== 'string') {
    p.add(path, v === undefined ? 'is required' : 'must be an id string');
    return '';
  }
  if (v.length > LIMITS.id || !ID.test(v)) {
    p.add(path, `"${v.length > LIMITS.id ? `${v.slice(0, LIMITS.id)}…` : v}" is not an id (lower-case letters, digits, hyphens; at most ${LIMITS.id})`);
    return '';
  }
  return v;
}

function hasLoneSurrogateDeep(v: Json, path: string, p: Problems): boolean {
  if (typeof v === 'string') {
    if (LONE_SURROGATE.test(v)) {
      p.add(path, 'holds an unpaired surrogate');
      return true;
    }
    return false;
  }
  if (Array.isArray(v)) return v.some((x, i) => hasLoneSurrogateDeep(x, `${path}[${i}]`, p));
  if (v !== null && typeof v === 'object') {
    return Object.entries(v).some(([k, x]) => {
      if (LONE_SURROGATE.test(k)) {
        p.add(path, 'a key holds an unpaired surrogate');
        return true;
      }
      return hasLoneSurrogateDeep(x, `${path}.${k}`, p);
    });
  }
  return false;
}
