// The talks as a service of the deployment: it owns the talks' state and everything
// derived from it (who may read which sealed content, prepared statements), decides
// commands, and applies recorded talks statements through the statement table.
//
// Commands are decided on the head: the state with every accepted statement applied,
// durable or not yet. Deciding, evolving the head and queueing the append happen in
// one synchronous step, so each command sees its predecessors and entries take their
// indexes in decision order without a queue of our own. The applied state, which
// readers see, follows the head as entries become durable, in log order. If an append
// fails the record stops taking writes (RecordWriter), so the head never runs ahead of
// what will be applied.
import { formatTime, parseTime } from '../../arrangement/time.ts';
import type { Actor } from '../../policy/policy.ts';
import { canonicalJson, type JsonObject } from '../../record/canonical.ts';
import { encodeBase64 } from '../../record/encoding.ts';
import { seal, type SealedContent } from '../../record/sealed.ts';
import { checkStatement, makeEntry, type SignedStatement, signStatement, type Statement } from '../../record/statement.ts';
import { signedEntry } from './signed-entry.ts';
import type { Signer } from '../../record/keys.ts';
import {
  deadlineDue,
  decide,
  evolve,
  nextDeadline,
  type SealedOwner,
  sealedOwnerOf,
  talksEvent,
  type DecideContext,
  type TalksCommand,
  type TalksEvent,
  type TalksState,
} from '../../talks/index.ts';
import { innerStatement, quietEntry, TALKS_QUIET } from './quiet-statements.ts';
import { firstRound } from '../../talks/rounds.ts';
import { Conflict } from '../errors.ts';
import type { RecordWriter } from './record-writer.ts';
import type { Recorded, StatementTable } from './statement-table.ts';

/** How long, and how many, statements prepared for clients to sign are kept. */
const PREPARED_MS = 10 * 60_000;
const MAX_PREPARED = 1000;

export interface PreparedStatement {
  statement: Statement;
  sealed?: { salt: string; content: string };
  /** the statement is quiet: once signed, the log records only its commitment to it (spec/record.md) */
  quiet?: true;
}

interface Prepared {
  ev: TalksEvent;
  seal: SealedContent | undefined;
  /** the head's version this statement was decided on */
  version: number;
  expires: number;
}

export interface TalksServiceOptions {
  arrangement: string;
  initial: TalksState;
  writer: RecordWriter;
  signerOf: (actor: string) => Signer;
  /** statement times: strictly increasing ms */
  time: () => number;
  /** what the decider needs besides the actor and the time: the body limit, the loader's rule check */
  decideWith: Omit<DecideContext, 'actor' | 'now'>;
  /** wall time, for expiring prepared statements */
  wallNow?: () => number;
  /** called after a talks statement is applied (events, announcement) */
  applied: (ev: TalksEvent, r: Recorded) => void;
  /**
   * Signs the record's own talks statements: a round's deadline passing (talks.deadline.pass),
   * and the quiet entries that wrap a party's statement, so the record does not name their
   * author. Without it (and `now`), deadlines pass unrecorded.
   */
  logSigner?: Signer;
  /** the deployment's clock, for deadlines */
  now?: () => number;
  /** real ms until `now()` reaches `t` (an accelerated clock) */
  delayUntil?: (t: number) => number;
}

/** What the service derived from the record, as JSON. */
export interface TalksSnapshot {
  state: TalksState;
  sealedOwners: [string, SealedOwner][];
}

export class TalksService {
  private appliedState: TalksState;
  private head: TalksState;
  private headVersion = 0;
  /** sealed hash → who wrote it and for whom, so the policy can decide who reads it */
  private readonly sealedOwners = new Map<string, SealedOwner>();
  private readonly prepared = new Map<string, Prepared>();
  private readonly wallNow: () => number;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private live = false;
  private closed = false;

  constructor(
    private readonly o: TalksServiceOptions,
    restored?: TalksSnapshot,
  ) {
    this.appliedState = restored ? withRounds({ ...restored.state, config: o.initial.config }) : o.initial;
    this.head = this.appliedState;
    if (restored) for (const [hash, owner] of restored.sealedOwners) this.sealedOwners.set(hash, owner);
    this.wallNow = o.wallNow ?? Date.now;
  }

  snapshot(): TalksSnapshot {
    return { state: this.appliedState, sealedOwners: [...this.sealedOwners] };
  }

  register(table: StatementTable): void {
    table.on('talks.', (r) => this.apply(r));
  }

  /** The talks as recorded and applied: what readers see. */
  get state(): TalksState {
    return this.appliedState;
  }

  sealedOwner(hash: string): SealedOwner | undefined {
    return this.sealedOwners.get(hash);
  }

  /** Decides, signs for the actor (custodial), records and applies a command. */
  async command(actor: Actor, command: TalksCommand): Promise<{ events: TalksEvent[]; indexes: number[] }> {
    this.o.writer.assertWritable();
    const events = decide(this.head, command, { ...this.o.decideWith, actor, now: this.o.time() });
    const appends = events.map((ev) => {
      if (ev.quiet) {
        const inner = signStatement(this.o.signerOf(ev.author), { type: ev.type, arrangement: this.o.arrangement, body: ev.body, time: formatTime(ev.time) });
        return this.acceptQuiet(ev, inner);
      }
      const s = ev.sealed ? seal(canonicalJson(ev.body)) : undefined;
      const body: JsonObject = s ? { sealed: s.sealed } : ev.body;
      const { bytes, statement } = signedEntry(
        this.o.signerOf(ev.author),
        { type: ev.type, arrangement: this.o.arrangement, body, time: formatTime(ev.time) },
        true,
      );
      return this.accept(ev, statement, bytes, s);
    });
    return { events, indexes: await Promise.all(appends) };
  }

  /**
   * Decides a command without recording it, and returns the statements the actor would
   * sign (with the salt and content of a sealed body). They are recorded by
   * commitSigned only if the talks have not moved on meanwhile.
   */
  prepare(actor: Actor, command: TalksCommand): PreparedStatement[] {
    this.o.writer.assertWritable();
    const now = this.wallNow();
    for (const [k, p] of this.prepared) if (p.expires < now) this.prepared.delete(k);
    const events = decide(this.head, command, { ...this.o.decideWith, actor, now: this.o.time() });
    return events.map((ev, i) => {
      // A quiet statement is signed whole, its body in the clear: the log seals it all.
      const s = ev.sealed && !ev.quiet ? seal(canonicalJson(ev.body)) : undefined;
      const statement = checkStatement({
        v: 1,
        type: ev.type,
        author: ev.author,
        time: formatTime(ev.time),
        arrangement: this.o.arrangement,
        body: s ? { sealed: s.sealed } : ev.body,
      });
      if (this.prepared.size >= MAX_PREPARED) this.prepared.delete(this.prepared.keys().next().value!);
      this.prepared.set(canonicalJson(statement), { ev, seal: s, version: this.headVersion + i, expires: now + PREPARED_MS });
      return {
        statement,
        ...(s ? { sealed: { salt: encodeBase64(s.salt), content: Buffer.from(s.content).toString('utf8') } } : {}),
        ...(ev.quiet ? { quiet: true as const } : {}),
      };
    });
  }

  /** Records a talks statement the author prepared and signed itself. */
  async commitSigned(signed: SignedStatement): Promise<number> {
    const key = canonicalJson(signed.statement);
    const p = this.prepared.get(key);
    if (!p || p.expires < this.wallNow()) throw new Conflict('no prepared statement is this one (or it expired): prepare the command again', 'statement');
    this.prepared.delete(key);
    if (p.version !== this.headVersion) throw new Conflict('the talks changed since this statement was prepared: prepare the command again', 'statement');
    if (p.ev.quiet) return this.acceptQuiet(p.ev, signed);
    return this.accept(p.ev, signed.statement, makeEntry(signed, new Date()), p.seal);
  }

  /** Records the author's signed statement quietly: the log's commitment to it, the statement sealed. */
  private acceptQuiet(ev: TalksEvent, inner: SignedStatement): Promise<number> {
    const log = this.o.logSigner;
    if (!log) throw new Error('a quiet talks statement needs the log signer');
    const q = quietEntry(log, inner);
    const appended = this.o.writer.append(q.bytes, { statement: q.statement, body: q.opened, sealed: q.seal.sealed }, q.seal);
    this.head = evolve(this.head, ev);
    this.headVersion++;
    return appended;
  }

  /** Moves the head and queues the append, in one synchronous step. */
  private accept(ev: TalksEvent, statement: Statement, bytes: Uint8Array, s: SealedContent | undefined): Promise<number> {
    const appended = this.o.writer.append(bytes, { statement, body: ev.body, ...(s ? { sealed: s.sealed } : {}) }, s);
    this.head = evolve(this.head, ev);
    this.headVersion++;
    if (ev.type === 'talks.round.open' || ev.type === 'talks.extension.approve') this.scheduleDeadline();
    return appended;
  }

  private apply(r: Recorded): void {
    const quiet = r.statement.type === TALKS_QUIET;
    // A quiet entry is the log's; the talks event is the author's statement inside it.
    const st = quiet ? innerStatement(r.body) : r.statement;
    const body = quiet ? st.body : r.body;
    const ev = talksEvent(st.type, st.author, parseTime(st.time), body, r.sealed !== undefined);
    if (quiet) ev.quiet = true;
    this.appliedState = evolve(this.appliedState, ev);
    if (ev.type === 'talks.announce') {
      // Where in the record the text came into force: the arrangement's history names it.
      const all = this.appliedState.announcements;
      this.appliedState = { ...this.appliedState, announcements: [...all.slice(0, -1), { ...all[all.length - 1], entry: r.index }] };
    }
    if (r.sealed) this.sealedOwners.set(r.sealed, sealedOwnerOf(ev));
    this.o.applied(ev, r);
  }

  /** After replaying the stored record, commands are decided on what it left. */
  replayed(): void {
    this.head = this.appliedState;
  }

  /** Replay is done: the current round's deadline is watched on the clock. */
  goLive(): void {
    this.live = true;
    this.scheduleDeadline();
  }

  /** The clock jumped: the deadline is looked at again. */
  clockMoved(): void {
    this.scheduleDeadline();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.deadlineTimer);
  }

  private scheduleDeadline(): void {
    const { now, logSigner } = this.o;
    if (!this.live || this.closed || !now || !logSigner) return;
    clearTimeout(this.deadlineTimer);
    const next = nextDeadline(this.head);
    if (next === undefined) return;
    const wait = Math.min(Math.max(100, this.o.delayUntil ? this.o.delayUntil(next) : next - now()), 2 ** 31 - 1);
    this.deadlineTimer = setTimeout(() => this.tick(), wait);
    this.deadlineTimer.unref();
  }

  /**
   * The deadline passed with nothing announced: the log records it, so that replay
   * passes it at the same point of the record (and the mediator and guarantor hear of it).
   */
  private tick(): void {
    const { now, logSigner } = this.o;
    if (this.closed || !now || !logSigner) return;
    const due = this.o.writer.writable ? deadlineDue(this.head, now()) : undefined;
    if (due) {
      const ev: TalksEvent = { type: 'talks.deadline.pass', author: logSigner.name, time: this.o.time(), body: due, sealed: false };
      const { bytes, statement } = signedEntry(logSigner, { type: ev.type, arrangement: this.o.arrangement, body: due, time: formatTime(ev.time) });
      this.accept(ev, statement, bytes, undefined).catch(() => undefined);
    }
    this.scheduleDeadline();
  }
}

/** A state from a snapshot taken before rounds: round 1 and its announcement made explicit. */
function withRounds(s: TalksState): TalksState {
  const rounds = s.rounds ?? [firstRound(s.config.announceBy)];
  const announcements = s.announcements ?? (s.announcement ? [{ ...s.announcement, round: 1 }] : []);
  return {
    ...s,
    rounds,
    announcements,
    drafts: s.drafts.map((d) => ({ ...d, round: d.round ?? 1, sections: d.sections ?? null })),
  };
}
