// One arrangement served from a data directory: its record, the talks derived from
// it, and the monitoring engine fed by it. Every change is a signed statement that
// is appended to the record, made durable, and only then applied, in log order; on
// start the same apply runs over the stored record, so a restart rebuilds exactly
// the state the server had. This composes the parts and holds no domain rule.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { amendArrangement, checkAddedRules } from '../arrangement/amend.ts';
import type { Arrangement } from '../arrangement/compile.ts';
import type { ArrangementSource } from '../arrangement/load.ts';
import { formatTime, parseTime } from '../arrangement/time.ts';
import { Monitor } from '../monitor/engine.ts';
import type { Finding } from '../monitor/findings.ts';
import { toReport, type Report } from '../monitor/reports.ts';
import { canSee, mayAct, mayFile, type Actor } from '../policy/policy.ts';
import { canonicalJson, type JsonObject } from '../record/canonical.ts';
import { RecordError } from '../record/errors.ts';
import type { Log } from '../record/log.ts';
import { openSqliteLog } from '../store/open-log.ts';
import { seal, sealedOf, type SealedContent } from '../record/sealed.ts';
import { encodeBase64 } from '../record/encoding.ts';
import { buildEntry, checkStatement, makeEntry, verifyStatement, type SignedStatement, type Statement } from '../record/statement.ts';
import type { Signer } from '../record/keys.ts';
import { LOG_DB, logDir, RECORD_DIR } from '../store/layout.ts';
import { announced, decide, evolve, initialState, itemOf, type TalksCommand, type TalksEvent, type TalksState } from '../talks/index.ts';
import { Bus } from './bus.ts';
import { BadRequest, Conflict, Forbidden, Unavailable } from './errors.ts';
import { FindingsBook, type BookedFinding } from './findings-book.ts';
import { groupForEntries, takeReports, type Intake } from './intake.ts';
import { openKeyring, type Keyring } from './keyring.ts';
import { Sequencer } from './sequencer.ts';
import { arrangementView } from './arrangement-view.ts';
import { unitView, type UnitView } from './posture-view.ts';

export interface DeploymentOptions {
  dataDir: string;
  source: ArrangementSource;
  /** the middle part of the checkpoint origin, detente/<deployment>/<arrangement> */
  deployment?: string;
  /** the clock for statement times and deadlines (the demo runs an accelerated one) */
  now?: () => number;
  checkpointIntervalMs?: number;
}

export interface Accepted {
  /** record index of the entry holding each report, in the order posted */
  indexes: number[];
}

/** How long, and how many, statements prepared for clients to sign are kept. */
const PREPARED_MS = 10 * 60_000;
const MAX_PREPARED = 1000;

/** Statement types this server writes besides the talks' own (talks.*). */
const REPORT = 'report';
const REPORTS = 'reports';
const CLOCK = 'clock';
const ARRANGEMENT = 'arrangement';

function fileDigest(source: ArrangementSource): string {
  return createHash('sha256')
    .update(canonicalJson(source.value as JsonObject))
    .digest('hex');
}

export class Deployment {
  readonly id: string;
  readonly origin: string;
  readonly actors: ReadonlyMap<string, Actor>;
  readonly book = new FindingsBook();
  readonly bus = new Bus();
  readonly log: Log;
  readonly now: () => number;
  private readonly source: ArrangementSource;
  private readonly keyring: Keyring;
  private readonly sequencer: Sequencer;
  private readonly monitor: Monitor;
  private inForce: Arrangement;
  private talksState: TalksState;
  /** unit → actor, so that a finding about units can be shown to those units' actor */
  private readonly unitActor = new Map<string, string>();
  /** report ids accepted but not yet applied: a second copy must be refused meanwhile */
  private readonly pendingIds = new Set<string>();
  /** sealed hash → who wrote it and for whom, so the policy can decide who reads it */
  private readonly sealedOwners = new Map<string, { author: string; to?: string }>();
  private arrangementDigest: string | undefined;
  private announcedRules: { clause: string; draft: number; rule: unknown }[] = [];
  /** units reported since the last posture event; sent at most once a second */
  private readonly movedUnits = new Set<string>();
  private postureTimer: NodeJS.Timeout | undefined;
  private lastTime = 0;
  private talksTurn: Promise<unknown> = Promise.resolve();
  /** talks events applied so far: a prepared statement is good only for the state it was decided on */
  private talksVersion = 0;
  /** statements prepared for clients to sign, by their canonical text */
  private readonly prepared = new Map<string, { ev: TalksEvent; seal: SealedContent | undefined; version: number; expires: number }>();
  private deadlineTimer: NodeJS.Timeout | undefined;
  private clockPending = false;
  private failure: Error | undefined;
  private closed = false;

  private constructor(o: DeploymentOptions, log: Log, keyring: Keyring) {
    const arr = o.source.arrangement;
    this.id = arr.id;
    this.origin = log.origin;
    this.source = o.source;
    this.keyring = keyring;
    this.log = log;
    this.now = o.now ?? Date.now;
    this.inForce = arr;
    this.monitor = new Monitor(arr);
    this.actors = new Map(arr.actors.map((a) => [a.id, { id: a.id, role: a.role, name: a.name }]));
    this.talksState = initialState({
      arrangement: arr.id,
      actors: [...this.actors.values()],
      announceBy: arr.announceBy,
      validateRules: (rules, path) =>
        checkAddedRules(this.source, Array.isArray(rules) ? rules : [rules]).map((i) => ({
          path: `${path}[${i.rule}]${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}`,
          message: i.message,
        })),
    });
    // Stored entries are applied by replay(); live ones follow them.
    this.sequencer = new Sequencer(log.size);
  }

  static async open(o: DeploymentOptions): Promise<Deployment> {
    const arr = o.source.arrangement;
    const recordDir = join(o.dataDir, RECORD_DIR);
    if (existsSync(recordDir)) {
      const other = readdirSync(recordDir).find((d) => d !== arr.id && existsSync(join(recordDir, d, LOG_DB)));
      if (other) throw new Error(`${o.dataDir} holds the record of arrangement "${other}", not "${arr.id}"; use another --data directory`);
    }
    const dir = logDir(o.dataDir, arr.id);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const origin = `detente/${o.deployment ?? 'local'}/${arr.id}`;
    const keyring = openKeyring(
      o.dataDir,
      origin,
      arr.actors.map((a) => a.id),
    );
    let d: Deployment | undefined;
    const log = await openSqliteLog({
      dir,
      origin: keyring.logSigner.name,
      logSigner: keyring.logSigner,
      // Signatures are checked where statements arrive (custodial ones are made here).
      verifySignatures: false,
      checkpointIntervalMs: o.checkpointIntervalMs,
      onCheckpoint: (note, size) =>
        d?.bus.publish({ type: 'checkpoint', render: (a) => (mayAct(a, 'read-record').ok ? { size, checkpoint: note } : undefined) }),
    });
    d = new Deployment(o, log, keyring);
    try {
      await d.replay();
      await d.noteArrangement();
    } catch (e) {
      await log.close();
      throw e;
    }
    d.scheduleDeadline();
    d.postureTimer = setInterval(() => d.flushPosture(), 1000);
    d.postureTimer.unref();
    return d;
  }

  get tokens(): Record<string, string> {
    return this.keyring.tokens;
  }

  get arrangement(): Arrangement {
    return this.inForce;
  }

  get talks(): TalksState {
    return this.talksState;
  }

  /** Findings open now (commitments due or overdue included). */
  openFindings(): Finding[] {
    return this.monitor.openNow();
  }

  /** The posture (each present unit's latest report), as this actor may see it. */
  posture(actor: Actor): { time: string | null; units: UnitView[] } {
    const units: UnitView[] = [];
    for (const r of this.monitor.posture()) if (canSee(actor, { kind: 'unit', actor: r.actor })) units.push(unitView(r));
    return { time: Number.isFinite(this.monitor.now) ? formatTime(this.monitor.now) : null, units };
  }

  /** Sends what moved since the last time to those following the events; removed units say withdrawn. */
  private flushPosture(): void {
    if (this.movedUnits.size === 0) return;
    const changed = [...this.movedUnits].map((id) => ({ id, r: this.monitor.unit(id), actor: this.unitActor.get(id)! }));
    this.movedUnits.clear();
    const time = formatTime(this.monitor.now);
    this.bus.publish({
      type: 'posture',
      render: (a) => {
        const units = changed
          .filter((c) => canSee(a, { kind: 'unit', actor: c.actor }))
          .map((c) => (c.r ? unitView(c.r) : { unit: c.id, actor: c.actor, withdrawn: true }));
        return units.length ? { time, units } : undefined;
      },
    });
  }

  /** The actors a finding concerns: its actor and the actors of its units. */
  actorsOf(f: Finding): string[] {
    const s = new Set<string>();
    if (f.actor) s.add(f.actor);
    for (const u of f.units ?? []) {
      const a = this.unitActor.get(u);
      if (a) s.add(a);
    }
    return [...s];
  }

  sealedOwner(hash: string): { author: string; to?: string } | undefined {
    return this.sealedOwners.get(hash);
  }

  arrangementView(): object {
    return arrangementView(this.inForce, this.source, this.announcedRules);
  }

  // ---- changes -------------------------------------------------------------

  /** Checks, records and applies posted reports; resolves once they are durable and applied. */
  async postReports(actor: Actor, body: unknown): Promise<Accepted> {
    this.assertWritable();
    const single = !Array.isArray(body);
    return this.claimReports(
      actor,
      body,
      (i) => (single ? '' : `[${i}]`),
      async (intake) => {
        const signer = this.signerOf(actor.id);
        const groups = groupForEntries(intake.raw, single);
        const time = this.statementTime();
        const appends = groups.map((g) => {
          const statementBody = single ? intake.raw[0] : { reports: intake.raw.slice(g.from, g.to) };
          const bytes = buildEntry(
            signer,
            { type: single ? REPORT : REPORTS, arrangement: this.id, body: statementBody, bodyText: g.bodyText, time },
            new Date(),
            true,
          );
          return this.appendThenApply(bytes, () => this.applyReports(intake.reports.slice(g.from, g.to)));
        });
        const indexes = await Promise.all(appends);
        return { indexes: groups.flatMap((g, k) => Array<number>(g.to - g.from).fill(indexes[k])) };
      },
    );
  }

  /**
   * Checks reports (shape, duplicate ids, who may file them) and holds their ids while
   * `write` records them. `write` must start its appends before it first awaits: from
   * the check to the appends nothing else runs, so no request can slip in a second copy.
   */
  private async claimReports<T>(actor: Actor, body: unknown, pathOf: (i: number) => string, write: (intake: Intake) => Promise<T>): Promise<T> {
    const intake = takeReports(body, (id) => this.monitor.knows(id) || this.pendingIds.has(id));
    intake.reports.forEach((r, i) => {
      const p = mayFile(actor, {
        type: r.type,
        ...('actor' in r ? { actor: r.actor } : {}),
        ...('source' in r ? { source: r.source } : {}),
        ...('unit' in r ? { unit: r.unit } : {}),
      });
      if (!p.ok) throw new Forbidden(p.reason, pathOf(i));
    });
    for (const r of intake.reports) this.pendingIds.add(r.id);
    try {
      return await write(intake);
    } finally {
      for (const r of intake.reports) this.pendingIds.delete(r.id);
    }
  }

  /** Runs a talks command for the actor: decided, signed for it, recorded, applied. */
  command(actor: Actor, command: TalksCommand): Promise<{ events: TalksEvent[]; indexes: number[] }> {
    // One command at a time: each is decided on the state its predecessor left.
    const run = this.talksTurn.then(async () => {
      this.assertWritable();
      const events = decide(this.talksState, command, { actor, now: this.statementTimeMs() });
      const indexes: number[] = [];
      for (const ev of events) indexes.push(await this.recordTalks(ev));
      return { events, indexes };
    });
    this.talksTurn = run.catch(() => undefined);
    return run;
  }

  private async recordTalks(ev: TalksEvent): Promise<number> {
    let body: JsonObject = ev.body;
    let hash: string | undefined;
    // Sealed content is stored (durably) before the entry that names it.
    if (ev.sealed) body = { sealed: (hash = (await this.log.putSealed(canonicalJson(ev.body))).sealed) };
    const bytes = buildEntry(this.signerOf(ev.author), { type: ev.type, arrangement: this.id, body, time: formatTime(ev.time) }, new Date(), true);
    return this.appendThenApply(bytes, () => this.applyTalks(ev, hash));
  }

  /**
   * Decides a talks command without recording it, and returns the statements the actor
   * would sign (with the salt and content of a sealed body). The actor signs them with
   * its own key and posts them to postSigned; they are recorded only if the talks have
   * not moved on meanwhile.
   */
  prepare(actor: Actor, command: unknown): Promise<{ statement: Statement; sealed?: { salt: string; content: string } }[]> {
    const run = this.talksTurn.then(() => {
      this.assertWritable();
      const now = Date.now();
      for (const [k, p] of this.prepared) if (p.expires < now) this.prepared.delete(k);
      const events = decide(this.talksState, command, { actor, now: this.statementTimeMs() });
      return events.map((ev, i) => {
        const s = ev.sealed ? seal(canonicalJson(ev.body)) : undefined;
        const statement = checkStatement({
          v: 1,
          type: ev.type,
          author: ev.author,
          time: formatTime(ev.time),
          arrangement: this.id,
          body: s ? { sealed: s.sealed } : ev.body,
        });
        if (this.prepared.size >= MAX_PREPARED) this.prepared.delete(this.prepared.keys().next().value!);
        this.prepared.set(canonicalJson(statement), { ev, seal: s, version: this.talksVersion + i, expires: now + PREPARED_MS });
        return { statement, ...(s ? { sealed: { salt: encodeBase64(s.salt), content: Buffer.from(s.content).toString('utf8') } } : {}) };
      });
    });
    this.talksTurn = run.catch(() => undefined);
    return run;
  }

  /** Appends a statement a client signed itself: reports, or a talks statement it prepared. */
  async postSigned(actor: Actor, signed: SignedStatement): Promise<Accepted> {
    this.assertWritable();
    const st = signed.statement;
    if (st.author !== actor.id) throw new Forbidden(`the statement's author is "${st.author}", but the token is ${actor.id}'s`, 'statement.author');
    if (st.arrangement !== this.id) throw new Conflict(`the statement is for arrangement "${st.arrangement}", not "${this.id}"`, 'statement.arrangement');
    const isTalks = st.type.startsWith('talks.');
    if (st.type !== REPORT && st.type !== REPORTS && !isTalks)
      throw new BadRequest(`a signed statement is a "${REPORT}", "${REPORTS}" or prepared "talks.*" statement, not "${st.type}"`, [
        { path: 'statement.type', message: 'not a statement clients may sign' },
      ]);
    const pinned = this.signerOf(actor.id).verifier.vkey;
    if (signed.key !== pinned)
      throw new BadRequest(`the statement is signed with a key that is not ${actor.id}'s`, [{ path: 'key', message: `not ${actor.id}'s key` }]);
    try {
      verifyStatement(signed);
    } catch (e) {
      throw new BadRequest((e as Error).message, [{ path: 'sig', message: (e as Error).message }]);
    }
    if (isTalks) return this.commitPrepared(signed);
    const list = st.type === REPORT ? st.body : (st.body as { reports?: unknown }).reports;
    const body = st.type === REPORT ? list : Array.isArray(list) ? list : [];
    return this.claimReports(
      actor,
      body,
      (i) => `statement.body${st.type === REPORTS ? `.reports[${i}]` : ''}`,
      async (intake) => {
        const index = await this.appendThenApply(makeEntry(signed, new Date()), () => this.applyReports(intake.reports));
        return { indexes: intake.reports.map(() => index) };
      },
    );
  }

  private commitPrepared(signed: SignedStatement): Promise<Accepted> {
    const run = this.talksTurn.then(async () => {
      const key = canonicalJson(signed.statement);
      const p = this.prepared.get(key);
      if (!p || p.expires < Date.now()) throw new Conflict('no prepared statement is this one (or it expired): prepare the command again', 'statement');
      this.prepared.delete(key);
      if (p.version !== this.talksVersion) throw new Conflict('the talks changed since this statement was prepared: prepare the command again', 'statement');
      if (p.seal) await this.log.putSealed(p.seal.content, p.seal.salt);
      const index = await this.appendThenApply(makeEntry(signed, new Date()), () => this.applyTalks(p.ev, p.seal?.sealed));
      return { indexes: [index] };
    });
    this.talksTurn = run.catch(() => undefined);
    return run;
  }

  private signerOf(actorId: string): Signer {
    const s = this.keyring.actorSigners.get(actorId);
    if (!s) throw new Error(`no key for actor ${actorId}`);
    return s;
  }

  /** Statement times strictly increase, so that two identical statements never share a signature. */
  private statementTimeMs(): number {
    this.lastTime = Math.max(this.now(), this.lastTime + 1);
    return this.lastTime;
  }

  private statementTime(): string {
    return formatTime(this.statementTimeMs());
  }

  private appendThenApply(bytes: Uint8Array, apply: () => void): Promise<number> {
    // log.append queues synchronously, so entries take indexes in call order.
    const appended = this.log.append(bytes);
    return appended.then(
      ({ index }) =>
        new Promise<number>((resolve) =>
          this.sequencer.at(index, () => {
            this.guard(apply);
            resolve(index);
          }),
        ),
      (e: unknown) => {
        if (!(e instanceof RecordError && e.code === 'duplicate')) this.failure ??= e as Error;
        throw e instanceof RecordError && e.code === 'duplicate'
          ? new Conflict(e.message)
          : new Unavailable(`the record could not store this: ${(e as Error).message}`);
      },
    );
  }

  private assertWritable(): void {
    if (this.closed) throw new Unavailable('the server is shutting down');
    if (this.failure) throw new Unavailable(`the record failed and accepts nothing until the server restarts: ${this.failure.message}`);
  }

  /** State changes must not throw half-way; if one does, the server stops taking writes. */
  private guard(f: () => void): void {
    try {
      f();
    } catch (e) {
      this.failure ??= e as Error;
      process.stderr.write(`detente: applying a recorded statement failed: ${(e as Error).stack ?? e}\n`);
    }
  }

  // ---- applying recorded statements -----------------------------------------

  private applyReports(reports: Report[]): void {
    for (const r of reports) {
      if (r.type === 'observation' || r.type === 'track') {
        this.unitActor.set(r.unit, r.actor);
        if (this.bus.listening) this.movedUnits.add(r.unit);
      }
      this.publishFindings(this.monitor.push(r));
    }
    this.scheduleDeadline();
  }

  private applyTalks(ev: TalksEvent, sealedHash: string | undefined): void {
    this.talksState = evolve(this.talksState, ev);
    this.talksVersion++;
    if (sealedHash) this.sealedOwners.set(sealedHash, { author: ev.author, ...(typeof ev.body.to === 'string' ? { to: ev.body.to } : {}) });
    const item = itemOf(ev);
    const data = { type: ev.type, time: formatTime(ev.time) };
    this.bus.publish({ type: 'talks', render: (a) => (mayAct(a, 'read-talks').ok && canSee(a, item) ? data : undefined) });
    if (ev.type === 'talks.announce') this.enforceAnnounced(ev.time);
  }

  private enforceAnnounced(at: number): void {
    const text = announced(this.talksState);
    if (!text) return;
    this.announcedRules = text.clauses.flatMap((c) => (c.rules ?? []).map((rule) => ({ clause: c.id, draft: text.draft, rule })));
    const amended = amendArrangement(
      this.source,
      this.announcedRules.map((a) => a.rule),
    );
    this.publishFindings(this.monitor.extend(amended, at));
    this.inForce = amended;
    this.scheduleDeadline();
  }

  private applyClock(until: number): void {
    this.publishFindings(this.monitor.finish(until));
    this.scheduleDeadline();
  }

  private publishFindings(fs: Finding[]): void {
    for (const f of fs) {
      const actors = this.actorsOf(f);
      const b = this.book.add(f, actors);
      if (!this.bus.listening) continue;
      const data = bookedView(b);
      this.bus.publish({ type: 'finding', render: (a) => (mayAct(a, 'read-findings').ok && canSee(a, { kind: 'finding', actors }) ? data : undefined) });
    }
  }

  /**
   * Deadlines pass with time, not only with reports: when the engine's next one comes
   * due, a clock statement records that the server judged time up to it, so a replay
   * passes the same deadlines at the same point of the record.
   */
  private scheduleDeadline(): void {
    if (this.closed || this.clockPending) return;
    const next = this.monitor.nextDeadline();
    clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
    if (next === undefined) return;
    const wait = Math.min(Math.max(0, next - this.now()), 2 ** 31 - 1);
    this.deadlineTimer = setTimeout(() => void this.tick(), wait);
    this.deadlineTimer.unref();
  }

  private async tick(): Promise<void> {
    const now = this.now();
    const next = this.monitor.nextDeadline();
    if (next === undefined || next > now || this.closed || this.failure) return this.scheduleDeadline();
    this.clockPending = true;
    // Time passes up to the deadline, not beyond: a report stamped between the deadline
    // and now may still be on its way, and would then be judged late for no reason.
    try {
      const bytes = buildEntry(this.keyring.logSigner, { type: CLOCK, arrangement: this.id, body: { until: formatTime(next) }, time: this.statementTime() });
      await this.appendThenApply(bytes, () => this.applyClock(next));
    } catch {
      // The failure is kept by appendThenApply; writes now answer 503.
    } finally {
      this.clockPending = false;
      this.scheduleDeadline();
    }
  }

  /** Replays the stored record through the same apply steps as live statements. */
  private async replay(): Promise<void> {
    const size = this.log.size;
    for (let from = 0; from < size; from += 1024) {
      const entries = await this.log.entries(from, Math.min(size, from + 1024));
      for (let k = 0; k < entries.length; k++) {
        const index = from + k;
        // The log checked on open that the stored entries hash to its signed checkpoint.
        const st = (JSON.parse(Buffer.from(entries[k]).toString('utf8')) as { statement: Statement }).statement;
        await this.replayOne(st, index);
        this.lastTime = Math.max(this.lastTime, parseTime(st.time));
      }
    }
  }

  private async replayOne(st: Statement, index: number): Promise<void> {
    const body = st.body;
    switch (st.type) {
      case REPORT:
        return this.applyReports([toReport(body)]);
      case REPORTS:
        return this.applyReports(((body as { reports: unknown[] }).reports ?? []).map(toReport));
      case CLOCK:
        return this.applyClock(parseTime((body as { until: string }).until));
      case ARRANGEMENT:
        this.arrangementDigest = (body as { sha256?: string }).sha256;
        return;
      default: {
        if (!st.type.startsWith('talks.')) return;
        const found = sealedOf(body);
        const hash = found !== undefined && Object.keys(body).length === 1 ? found : undefined;
        let opened: JsonObject = body;
        if (hash) {
          const s = await this.log.getSealed(hash);
          if (!s) throw new Error(`entry ${index}: its sealed content ${hash} is missing from the sealed store`);
          opened = JSON.parse(Buffer.from(s.content).toString('utf8')) as JsonObject;
        }
        this.applyTalks({ type: st.type as TalksEvent['type'], author: st.author, time: parseTime(st.time), body: opened, sealed: hash !== undefined }, hash);
      }
    }
  }

  /** Records which arrangement file the server runs, once, and again whenever it changes. */
  private async noteArrangement(): Promise<void> {
    const digest = fileDigest(this.source);
    if (this.arrangementDigest === digest) return;
    const body = { sha256: digest, title: this.source.arrangement.title, rules: this.source.arrangement.rules.length };
    const bytes = buildEntry(this.keyring.logSigner, { type: ARRANGEMENT, arrangement: this.id, body, time: this.statementTime() });
    await this.appendThenApply(bytes, () => {
      this.arrangementDigest = digest;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.deadlineTimer);
    clearInterval(this.postureTimer);
    await this.talksTurn;
    await this.log.close();
  }
}

export function bookedView(b: BookedFinding): JsonObject {
  return { seq: b.seq, ...(b.finding as unknown as JsonObject) };
}
