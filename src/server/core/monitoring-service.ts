// Monitoring as a service of the deployment: it owns the engine and what is derived
// from it (the findings book, which actor each unit belongs to, posture events), takes
// reports in, and applies recorded report and clock statements through the statement
// table. Deadlines pass with time, not only with reports: when the engine's next one
// comes due, a clock statement records that time was judged up to it, so a replay
// passes the same deadlines at the same point of the record.
import type { Arrangement } from '../../arrangement/compile.ts';
import { formatTime, parseTime } from '../../arrangement/time.ts';
import { Monitor, unitKey } from '../../monitor/engine.ts';
import type { MonitorSnapshot } from '../../monitor/snapshot.ts';
import type { DerivedStore } from '../../store/derived.ts';
import type { Finding } from '../../monitor/findings.ts';
import { toReport, type Report } from '../../monitor/reports.ts';
import { mayAct, mayFile, type Actor } from '../../policy/policy.ts';
import { type Content, disclosureOf } from '../../policy/disclosure.ts';
import { canonicalJson, type JsonObject } from '../../record/canonical.ts';
import type { Signer } from '../../record/keys.ts';
import { makeEntry, type SignedStatement, type Statement } from '../../record/statement.ts';
import { signedEntry } from './signed-entry.ts';
import { AttachmentIndex, checkAttachments } from './attachments.ts';
import { ChallengeStatementBody, RefusalStatementBody, signedBody, statedTime } from './duty-statements.ts';
import type { Bus } from '../bus.ts';
import { Forbidden, HttpError } from '../errors.ts';
import { RecordError } from '../../record/errors.ts';
import { FindingsBook, findingView, refOf, type BookedFinding, type FindingView, type RecordAddress } from '../findings-book.ts';
import { FindingsRecorder } from './findings-statement.ts';
import { checkReferences, FUTURE_TOLERANCE_MS, groupForEntries, takeReports, type Intake } from '../intake.ts';
import { coarseUnitView, unitView, type UnitView, type WithdrawnUnit } from '../posture-view.ts';
import { contentOf, type SealingContext, sealedItem, sealReports } from './report-sealing.ts';
import { SealedIndex } from './sealed-index.ts';
import { type Opening, openSignedReports, refuseRawRestricted } from './signed-openings.ts';
import type { RecordWriter } from './record-writer.ts';
import { ACCESS_REFUSED, CHALLENGE, CLOCK, FINDINGS, REPORT, REPORTS, type ClockBody } from './statement-types.ts';
import { BadRequest, Conflict, NotFound } from '../errors.ts';
import { ReportError } from '../../monitor/reports.ts';
import { subjectKey } from '../../monitor/findings.ts';
import type { StatementTable } from './statement-table.ts';
import { switchArrangement } from '../../monitor/switch.ts';

export interface Accepted {
  /** record index of the entry holding each report, in the order posted */
  indexes: number[];
}

export interface MonitoringServiceOptions {
  arrangement: Arrangement;
  writer: RecordWriter;
  bus: Bus;
  signerOf: (actor: string) => Signer;
  logSigner: Signer;
  /** the deployment's clock (the demo runs an accelerated one) */
  now: () => number;
  /** the arrangement in force now (an announced text adds rules) */
  inForce: () => Arrangement;
  /** statement times: strictly increasing ms */
  time: () => number;
  /** where the history of findings goes (memory holds only the newest) */
  derived?: DerivedStore;
  /** continue from a snapshot instead of an empty engine */
  restored?: MonitoringSnapshot;
  /** real ms until `now()` reaches `t` (an accelerated clock runs faster than the timers) */
  delayUntil?: (t: number) => number;
}

/** What the service derived from the record, as JSON: a restart continues from it. */
export interface MonitoringSnapshot {
  monitor: MonitorSnapshot;
  unitActors: [string, string[]][];
  /** transitions booked so far */
  book: number;
  /** of those, how many findings statements hold (absent in snapshots from before them: all of them count as held) */
  findingsRecorded?: number;
  /** per unit (actor\0id), what the policy needs of its latest report; absent in snapshots from before need-to-know */
  unitContent?: [string, Content][];
  /** notification id → its actor (an ack's notifier, for the policy) */
  notifiers?: [string, string][];
  /** the subjects of open findings withdrawn on a dispute (absent: none) */
  withdrawn?: string[];
  /** per attachment hash, what the policy needs of the reports naming it (absent: none) */
  attachments?: [string, Content[]][];
}

/** The name of the challenge request recorded at this entry (and of the refusal of access). */
export const challengeId = (entry: number): string => `challenge-${entry}`;
export const refusalId = (entry: number): string => `refusal-${entry}`;

export class MonitoringService {
  readonly book: FindingsBook;
  private monitor: Monitor;
  /** the arrangement the engine runs (an announced round's text replaces it: amend) */
  private arr: Arrangement;
  private readonly recorder: FindingsRecorder;
  /**
   * unit id → the actors with a unit of that id, so that a finding about units can be
   * shown to those units' actors (findings name units by id; a unit is actor and id).
   */
  private readonly unitActors = new Map<string, Set<string>>();
  /** report ids accepted but not yet applied: a second copy must be refused meanwhile */
  private readonly pendingIds = new Set<string>();
  /** units reported since the last posture event, by actor and id; sent at most once a second */
  private readonly movedUnits = new Map<string, { actor: string; unit: string }>();
  private readonly postureTimer: NodeJS.Timeout;
  private deadlineTimer: NodeJS.Timeout | undefined;
  /** the deadline a clock statement is on its way for, so that no second one is written */
  private clockFor: number | undefined;
  private live = false;
  private closed = false;
  /** per unit (actor\0id): what the policy needs of the report behind its posture (one small object per unit) */
  private readonly unitContent = new Map<string, Content>();
  /** who may fetch each attachment: the reports naming it */
  private readonly attachments: AttachmentIndex;
  /** the Content objects themselves, shared by every unit with the same kind, author and subject */
  private readonly contents = new Map<string, Content>();
  /** notification id → the actor that notified (notifications are few; acks name them) */
  private readonly notifiers = new Map<string, string>();
  /** sealed report commitment → its place in the record, in the derived store */
  readonly sealedIndex: SealedIndex;
  /** who the findings' author is for the policy: the log that records the engine's output */
  private readonly logName: string;
  /**
   * Subjects whose open finding a dispute's resolution withdrew: not shown as open until
   * the engine says something new of them (a withdrawal judges the finding, not the rule).
   */
  private readonly withdrawnSubjects = new Set<string>();
  /** challenges a refusal of access is on its way for */
  private readonly refusing = new Set<string>();

  constructor(private readonly o: MonitoringServiceOptions) {
    const r = o.restored;
    // A switch puts the kept rules first (monitor/switch.ts): the snapshot says in which order the engine had them.
    this.arr = r ? inOrder(o.arrangement, r.monitor.rules) : o.arrangement;
    this.monitor = r ? Monitor.restore(this.arr, r.monitor) : new Monitor(this.arr);
    if (r) for (const [unit, actors] of r.unitActors) this.unitActors.set(unit, new Set(actors));
    for (const [k, c] of r?.unitContent ?? []) this.unitContent.set(k, this.intern(c));
    this.attachments = new AttachmentIndex(r?.attachments);
    for (const [id, a] of r?.notifiers ?? []) this.notifiers.set(id, a);
    for (const k of r?.withdrawn ?? []) this.withdrawnSubjects.add(k);
    this.sealedIndex = new SealedIndex(o.derived);
    this.logName = o.logSigner.name;
    // Transitions after the snapshot (all of them, without one) are booked again by the replay that follows.
    o.derived?.truncateFindings(r?.book ?? 0);
    this.book = new FindingsBook(o.derived, r?.book ?? 0);
    const self = this;
    this.recorder = new FindingsRecorder({
      // The recorder asks the policy of the text in force, whichever that is when it writes.
      arrangement: {
        get id() {
          return self.arr.id;
        },
        get policy() {
          return self.arr.policy;
        },
        get actors() {
          return self.arr.actors;
        },
      } as Arrangement,
      book: this.book,
      writer: o.writer,
      logSigner: o.logSigner,
      time: o.time,
      recorded: r ? (r.findingsRecorded ?? r.book) : 0,
    });
    this.postureTimer = setInterval(() => this.flushPosture(), 1000);
    this.postureTimer.unref();
  }

  snapshot(): MonitoringSnapshot {
    this.book.flush();
    this.sealedIndex.flush();
    return {
      monitor: this.monitor.snapshot(),
      unitActors: [...this.unitActors].map(([u, a]) => [u, [...a]]),
      book: this.book.size,
      findingsRecorded: this.recorder.recorded,
      unitContent: [...this.unitContent],
      notifiers: [...this.notifiers],
      ...(this.withdrawnSubjects.size ? { withdrawn: [...this.withdrawnSubjects] } : {}),
      ...(this.attachments.snapshot().length ? { attachments: this.attachments.snapshot() } : {}),
    };
  }

  register(table: StatementTable): void {
    table.on(REPORT, (r) => {
      if (r.sealed) this.sealedIndex.add([{ digest: r.sealed, entry: r.index, n: 0 }]);
      this.applyReports([toReport(r.body)], r.index, r.statement.author, [r.body]);
    });
    table.on(REPORTS, (r) => {
      const items = (r.statement.body as { reports?: unknown[] }).reports ?? [];
      const rows = items.flatMap((item, n) => {
        const digest = sealedItem(item);
        return digest === undefined ? [] : [{ digest, entry: r.index, n }];
      });
      if (rows.length) this.sealedIndex.add(rows);
      const raws = (r.body as { reports: unknown[] }).reports ?? [];
      this.applyReports(raws.map(toReport), r.index, r.statement.author, raws);
    });
    table.on(CHALLENGE, (r) => {
      const b = r.body as { zone?: unknown; time?: unknown };
      if (typeof b.zone !== 'string' || typeof b.time !== 'string') return;
      const c = { id: challengeId(r.index), time: parseTime(b.time), by: r.statement.author, zone: b.zone };
      this.applyEngine(() => this.monitor.challenge(c, refOf({ entry: r.index, n: 0 })), r.index);
    });
    table.on(ACCESS_REFUSED, (r) => {
      const b = r.body as { challenge?: unknown; by?: unknown; time?: unknown };
      if (typeof b.challenge !== 'string' || typeof b.by !== 'string' || typeof b.time !== 'string') return;
      const x = { id: refusalId(r.index), time: parseTime(b.time), source: r.statement.author, challenge: b.challenge, by: b.by };
      this.applyEngine(() => this.monitor.refusal(x, refOf({ entry: r.index, n: 0 })), r.index);
    });
    table.on(CLOCK, (r) => this.applyClock(parseTime((r.body as unknown as ClockBody).until), r.index));
    table.on(FINDINGS, (r) => {
      // Sealed findings are released per the findings disclosure: the sealed route finds them here.
      const items = (r.statement.body as { findings?: unknown[] }).findings ?? [];
      const rows = items.flatMap((item, n) => {
        const digest = sealedItem(item);
        return digest === undefined ? [] : [{ digest, entry: r.index, n }];
      });
      if (rows.length) this.sealedIndex.add(rows);
      this.recorder.applied(r);
    });
  }

  /** Replay is done: deadlines are now watched on the clock. */
  goLive(): void {
    this.live = true;
    this.recorder.goLive();
    this.scheduleDeadline();
  }

  // ---- reading ----------------------------------------------------------------

  openFindings(): FindingView[] {
    return this.monitor.openNow().map(findingView);
  }

  /**
   * The posture (each present unit's latest report), as this actor may see it: each unit
   * at its latest report's disclosure level for the reader (full as it is, coarse
   * coarsened, otherwise left out).
   */
  posture(actor: Actor): { time: string | null; units: UnitView[] } {
    const units: UnitView[] = [];
    for (const r of this.monitor.posture()) {
      const v = this.unitFor(actor, r.actor, r.unit, r);
      if (v) units.push(v);
    }
    return { time: Number.isFinite(this.monitor.now) ? formatTime(this.monitor.now) : null, units };
  }

  /** One unit as this reader may see it, or undefined. */
  private unitFor(reader: Actor, actor: string, unit: string, r: Parameters<typeof unitView>[0]): UnitView | undefined {
    const d = disclosureOf(this.arr.policy, reader, this.unitContentOf(actor, unit));
    if (d.level === 'full') return unitView(r);
    if (d.level === 'coarse' && d.coarsening) return coarseUnitView(unitView(r), d.coarsening);
    return undefined;
  }

  /** What the policy needs of a unit's latest report. A unit restored without it is treated as its own actor's, read by its subject only. */
  private unitContentOf(actor: string, unit: string): Content {
    return this.unitContent.get(unitKey(actor, unit)) ?? this.intern({ kind: 'mediator-reports', author: '', subject: actor });
  }

  private intern(c: Content): Content {
    const k = `${c.kind}\0${c.author}\0${c.subject ?? ''}\0${c.notifier ?? ''}`;
    let found = this.contents.get(k);
    if (!found) this.contents.set(k, (found = c));
    return found;
  }

  /**
   * A finding as this reader gets it: without the id of the report that triggered it
   * unless the reader may read that report (the id is the report's, not the finding's).
   */
  findingView(reader: Actor, b: BookedFinding): JsonObject {
    const v = bookedView(b);
    if (v.report !== undefined && !this.readsTrigger(reader, b.finding)) delete v.report;
    return v;
  }

  /** The findings open now that this reader may read, as it may read them. */
  openFindingsFor(reader: Actor): FindingView[] {
    return this.monitor
      .openNow()
      .filter((f) => !this.withdrawnSubjects.has(subjectKey(f)) && this.readsFinding(reader, this.actorsOf(f)))
      .map((f) => {
        if (f.report === undefined || this.readsTrigger(reader, f)) return findingView(f);
        const { report: _, ...rest } = f;
        return findingView(rest as Finding);
      });
  }

  /**
   * May the reader read the report that triggered this finding? The booked transition
   * keeps what the policy needs of it (`trigger`, never shown); for a transition without
   * one (the clock's, or a finding open now), only the mediator, who reads the reports
   * the engine runs on.
   */
  private readsTrigger(reader: Actor, f: Finding): boolean {
    return this.readsTriggerContent(reader, (f as Finding & { trigger?: Content }).trigger);
  }

  /** readsTrigger on what the book keeps of the triggering report (findings.csv decides from the stored copy). */
  readsTriggerContent(reader: Actor, c: Content | undefined): boolean {
    if (!c) return reader.role === 'mediator';
    return disclosureOf(this.arr.policy, reader, c).level === 'full';
  }

  /** What the policy needs to decide about reports: the arrangement's disclosure, its actors, notifiers. */
  sealing(): SealingContext {
    return (this.sealingContext ??= { policy: this.arr.policy, actors: this.arr.actors, notifierOf: (id) => this.notifiers.get(id) });
  }
  private sealingContext: SealingContext | undefined;

  /** May this reader fetch the attachment with this SHA-256: does it read in full a report naming it? */
  mayReadAttachment(reader: Actor, sha256: string): boolean {
    return this.attachments.mayRead(this.arr.policy, reader, sha256);
  }

  /** May this actor read this finding (the `findings` disclosure, its concerned actors)? */
  readsFinding(actor: Actor, concerned: readonly string[]): boolean {
    return mayAct(actor, 'read-findings').ok && disclosureOf(this.arr.policy, actor, { kind: 'findings', author: this.logName, concerned }).level === 'full';
  }

  /** The actors a finding concerns: its actor and the actors of its units. */
  actorsOf(f: Pick<Finding, 'actor' | 'units' | 'escalation' | 'requested_by'>): string[] {
    const s = new Set<string>();
    if (f.actor) s.add(f.actor);
    // A rung of the ladder is for those it reaches; a challenge's findings, for the party that asked too.
    for (const a of f.escalation?.actors ?? []) s.add(a);
    if (f.requested_by) s.add(f.requested_by);
    for (const u of f.units ?? []) {
      for (const a of this.unitActors.get(u) ?? []) s.add(a);
    }
    return [...s];
  }

  // ---- reports in -----------------------------------------------------------------

  /** Checks, records (signed for the actor) and applies posted reports. */
  async postReports(actor: Actor, body: unknown): Promise<Accepted> {
    this.o.writer.assertWritable();
    const single = !Array.isArray(body);
    const intake = this.check(actor, body, '');
    const signer = this.o.signerOf(actor.id);
    const time = formatTime(this.o.time());
    const texts = intake.raw.map((r) => canonicalJson(r));
    // Each report the policy does not open to everyone goes in as its own commitment.
    const sealed = sealReports(this.sealing(), actor, intake.raw, texts);
    const groups = groupForEntries(sealed.itemTexts, texts, single);
    const entries = groups.map((g) => {
      const type = single ? REPORT : REPORTS;
      const signedBody = (single ? sealed.items[0] : { reports: sealed.items.slice(g.from, g.to) }) as JsonObject;
      const body = (single ? intake.raw[0] : { reports: intake.raw.slice(g.from, g.to) }) as JsonObject;
      const openings = sealed.openings.slice(g.from, g.to).flatMap((o, n) => (o ? [{ ...o, n }] : []));
      const whole = single && sealed.openings[0] ? { sealed: sealed.openings[0].sealed } : {};
      const made = signedEntry(signer, { type, arrangement: this.arr.id, body: signedBody, bodyText: g.bodyText, time }, true);
      return { ...made, body, openings, whole };
    });
    // Nothing throws from here to the appends: the held ids are released when they settle.
    this.hold(intake);
    const appends = entries.map((e) => this.o.writer.append(e.bytes, { statement: e.statement, body: e.body, ...e.whole }, e.openings));
    return this.release(intake, Promise.all(appends)).then((indexes) => ({
      indexes: groups.flatMap((g, k) => Array<number>(g.to - g.from).fill(indexes[k])),
    }));
  }

  /** Records reports the author signed itself, sealed ones opened by the openings sent beside the statement. */
  async postSigned(actor: Actor, signed: SignedStatement, openings: readonly Opening[] = []): Promise<Accepted> {
    const st = signed.statement;
    const opened = openSignedReports(st, openings);
    const body = st.type === REPORT || Array.isArray(opened.reports) ? opened.reports : [];
    const intake = this.check(actor, body, st.type === REPORTS ? 'statement.body.reports' : 'statement.body');
    const entry = clientEntry(signed);
    refuseRawRestricted(st, opened, this.sealing(), actor);
    this.hold(intake);
    const whole = st.type === REPORT && opened.openings.length === 1 ? { sealed: opened.openings[0].sealed } : {};
    const appended = this.o.writer.append(entry, { statement: st, body: opened.body, ...whole }, opened.openings);
    return this.release(intake, appended).then((index) => ({ indexes: intake.reports.map(() => index) }));
  }

  /** Checks reports: shape, duplicate ids, who may file them, what they refer to. */
  private check(actor: Actor, body: unknown, base: string): Intake {
    const intake = takeReports(body, (id) => this.monitor.knows(id) || this.pendingIds.has(id), base);
    const pathOf = (i: number) => (intake.batch ? `${base}[${i}]` : base);
    const actors = this.o.inForce().actorById;
    intake.reports.forEach((r, i) => {
      const p = mayFile(actor, {
        type: r.type,
        ...('actor' in r ? { actor: r.actor } : {}),
        ...('source' in r && r.source !== undefined ? { source: r.source, sourceIsActor: actors.has(r.source) } : {}),
        ...('unit' in r ? { unit: r.unit } : {}),
      });
      if (!p.ok) throw new Forbidden(p.reason, pathOf(i));
    });
    intake.raw.forEach((r, i) => checkAttachments(r, pathOf(i)));
    // After the policy: a caller not allowed to file learns nothing more.
    const arr = this.o.inForce();
    checkReferences(
      intake,
      {
        actors: arr.actorById,
        zones: new Set(arr.zones.map((z) => z.id)),
        // The engine keeps report ids, not their types: an acknowledgement must name a report it has.
        notification: (id) => this.monitor.knows(id),
        latest: this.o.now() + (arr.reports?.futureToleranceMs ?? FUTURE_TOLERANCE_MS),
      },
      base,
    );
    return intake;
  }

  /**
   * Holds checked reports' ids until they are applied. The caller appends right after,
   * before anything else runs, so no request can slip a second copy in between.
   */
  private hold(intake: Intake): void {
    for (const r of intake.reports) this.pendingIds.add(r.id);
  }

  private release<T>(intake: Intake, p: Promise<T>): Promise<T> {
    const done = () => {
      for (const r of intake.reports) this.pendingIds.delete(r.id);
    };
    return p.finally(done);
  }

  // ---- applying ---------------------------------------------------------------------

  /** `raws`: the reports as recorded, for what the engine does not read (the attachments they name). */
  private applyReports(reports: Report[], entry: number, authorId: string, raws: readonly unknown[]): void {
    const author = this.arr.actorById.get(authorId) ?? { id: authorId, role: 'mediator' as const };
    reports.forEach((r, n) => {
      if (r.type === 'notification') this.notifiers.set(r.id, r.actor);
      const content = this.intern(contentOf(this.sealing(), author, r));
      this.attachments.note(raws[n], content);
      if (r.type === 'observation' || r.type === 'track') {
        let actors = this.unitActors.get(r.unit);
        if (!actors) this.unitActors.set(r.unit, (actors = new Set()));
        actors.add(r.actor);
        this.unitContent.set(unitKey(r.actor, r.unit), content);
        if (this.o.bus.listening) this.movedUnits.set(unitKey(r.actor, r.unit), { actor: r.actor, unit: r.unit });
      }
      const triggered = this.monitor.push(r, refOf({ entry, n }));
      this.publish(triggered, { entry, n }, content);
    });
    this.scheduleDeadline();
  }

  /** Applies a challenge or a refusal: one the engine refuses (checked before writing, so only a race) changed nothing. */
  private applyEngine(run: () => Finding[], entry: number): void {
    let fs: Finding[];
    try {
      fs = run();
    } catch (e) {
      if (e instanceof ReportError) return;
      throw e;
    }
    this.publish(fs, { entry });
    this.scheduleDeadline();
  }

  // ---- challenge inspections ------------------------------------------------------

  /** A party requests a challenge inspection of a zone: recorded signed for it, applied, named `challenge-<entry>`. */
  async postChallenge(actor: Actor, zone: string): Promise<{ index: number; challenge: string }> {
    this.o.writer.assertWritable();
    this.checkChallenge(actor, zone, 'zone');
    const body = { zone, time: formatTime(this.o.now()) };
    const { bytes, statement } = signedEntry(
      this.o.signerOf(actor.id),
      { type: CHALLENGE, arrangement: this.o.arrangement.id, body, time: formatTime(this.o.time()) },
      true,
    );
    const index = await this.o.writer.append(bytes, { statement, body });
    return { index, challenge: challengeId(index) };
  }

  /** A challenge request the party signed itself (POST …/statements): the custodial route's checks, on its body. */
  async postSignedChallenge(actor: Actor, signed: SignedStatement): Promise<{ index: number; challenge: string }> {
    const body = signedBody(ChallengeStatementBody, signed.statement.body, 'a challenge');
    this.checkChallenge(actor, body.zone, 'statement.body.zone');
    statedTime(body.time, this.o.now());
    const index = await this.o.writer.append(makeEntry(signed, new Date()), { statement: signed.statement, body: signed.statement.body });
    return { index, challenge: challengeId(index) };
  }

  private checkChallenge(actor: Actor, zone: string, path: string): void {
    const may = mayAct(actor, 'challenge');
    if (!may.ok) throw new Forbidden(may.reason);
    if (!this.monitor.takesChallenges(zone))
      throw new BadRequest(`no inspection rule in force takes challenge requests for zone "${zone}"`, [
        { path, message: 'not a zone with a challenge inspection duty' },
      ]);
  }

  /** The observer records that party `by` refused it access on a challenge still open. */
  async postRefusal(actor: Actor, challenge: string, by: string, reason: string | undefined): Promise<number> {
    this.o.writer.assertWritable();
    this.checkRefusal(actor, challenge, by, '');
    const body = { challenge, by, time: formatTime(this.o.now()), ...(reason !== undefined ? { reason } : {}) };
    const { bytes, statement } = signedEntry(
      this.o.signerOf(actor.id),
      { type: ACCESS_REFUSED, arrangement: this.o.arrangement.id, body, time: formatTime(this.o.time()) },
      true,
    );
    return this.appendRefusal(challenge, bytes, { statement, body });
  }

  /** A refusal of access the observer signed itself (POST …/statements): the custodial route's checks, on its body. */
  async postSignedRefusal(actor: Actor, signed: SignedStatement): Promise<number> {
    const body = signedBody(RefusalStatementBody, signed.statement.body, 'an access-refused');
    this.checkRefusal(actor, body.challenge, body.by, 'statement.body.');
    statedTime(body.time, this.o.now());
    return this.appendRefusal(body.challenge, makeEntry(signed, new Date()), { statement: signed.statement, body: signed.statement.body });
  }

  /** `prefix` puts the fields' paths where they are: the route's body, or a signed statement's. */
  private checkRefusal(actor: Actor, challenge: string, by: string, prefix: string): void {
    const may = mayAct(actor, 'record-refusal');
    if (!may.ok) throw new Forbidden(may.reason);
    const c = this.monitor.challengeOf(challenge);
    const at = prefix ? `${prefix}challenge` : 'challenge';
    if (!c) throw new NotFound(`no challenge "${challenge}" waiting for an inspection`, at);
    if (c.observer !== actor.id) throw new Forbidden(`challenge "${challenge}" is ${c.observer}'s to inspect, not ${actor.id}'s`, at);
    if (this.o.inForce().actorById.get(by)?.role !== 'party')
      throw new BadRequest(`"${by}" is not a party of the arrangement`, [{ path: `${prefix}by`, message: 'must name a party' }]);
    if (c.refused !== undefined || this.refusing.has(challenge)) throw new Conflict(`a refusal of access on "${challenge}" is already recorded`, at);
  }

  private async appendRefusal(challenge: string, bytes: Uint8Array, applied: { statement: Statement; body: JsonObject }): Promise<number> {
    this.refusing.add(challenge);
    try {
      return await this.o.writer.append(bytes, applied);
    } finally {
      this.refusing.delete(challenge);
    }
  }

  // ---- disputes -------------------------------------------------------------------

  /**
   * A dispute's resolution withdrew this finding (as recorded in a findings statement):
   * a transition closes it, naming the dispute, and it is no longer shown open.
   */
  withdraw(item: JsonObject, dispute: number, entry: number, time: string): void {
    // The finding's own facts, in the spec's order, closed now with the reason.
    const f: Record<string, unknown> = { finding: item.finding, state: 'closed', rule: item.rule, kind: item.kind, time };
    for (const k of ['actor', 'zone', 'asset', 'units', 'notification', 'challenge', 'requested_by']) if (item[k] !== undefined) f[k] = item[k];
    // The reasons stay with the resolution, sealed, for those who may read the dispute:
    // every reader of the finding learns only that it closed on that dispute.
    f.reason = `withdrawn on dispute ${dispute}`;
    const closed = f as unknown as Finding;
    this.publish([closed], { entry });
    const key = subjectKey(closed);
    if (this.monitor.openNow().some((o) => subjectKey(o) === key)) this.withdrawnSubjects.add(key);
  }

  private applyClock(until: number, entry: number): void {
    if (this.clockFor !== undefined && until >= this.clockFor) this.clockFor = undefined;
    this.publish(this.monitor.finish(until), { entry });
    this.scheduleDeadline();
  }

  /** Rules of an announced text come into force at `at`, by the entry that announced it. */
  extend(amended: Arrangement, at: number, entry: number): void {
    this.publish(this.monitor.extend(amended, at), { entry });
    this.scheduleDeadline();
  }

  /**
   * An announced round's text comes into force at `at`, by the entry that announced it:
   * the engine moves to it (monitor/switch.ts), findings under retired or changed rules
   * closing with `reason`.
   */
  amend(next: Arrangement, at: number, entry: number, reason: string): void {
    const s = switchArrangement(this.monitor, next, at, reason);
    this.monitor = s.monitor;
    this.arr = s.arrangement;
    this.sealingContext = undefined;
    this.publish(s.findings, { entry });
    this.scheduleDeadline();
  }

  private publish(fs: Finding[], at: RecordAddress, trigger?: Content): void {
    if (fs.length) this.recorder.booked();
    for (const f of fs) {
      // The engine says something new of a withdrawn subject: it is the engine's again.
      if (this.withdrawnSubjects.size) this.withdrawnSubjects.delete(subjectKey(f));
      const actors = this.actorsOf(f);
      // The book keeps what the policy needs of the triggering report with the transition (bookedView leaves it out).
      const b = this.book.add(trigger ? ({ ...f, trigger } as Finding) : f, actors, at);
      // Published even with no one listening: the bus keeps recent history for Last-Event-ID.
      const data = bookedView(b);
      const { report: _, ...withoutReport } = data;
      this.o.bus.publish({
        type: 'finding',
        render: (a) => (this.readsFinding(a, actors) ? (this.readsTrigger(a, b.finding) ? data : withoutReport) : undefined),
      });
    }
  }

  /** Sends what moved since the last time to those following the events; removed units say withdrawn. */
  private flushPosture(): void {
    if (this.movedUnits.size === 0) return;
    const changed = [...this.movedUnits.values()].map(({ actor, unit }) => ({ id: unit, r: this.monitor.unitOf(actor, unit), actor }));
    this.movedUnits.clear();
    const time = formatTime(this.monitor.now);
    this.o.bus.publish({
      type: 'posture',
      render: (a) => {
        const units = changed.flatMap((c): (UnitView | WithdrawnUnit)[] => {
          // A withdrawn unit is shown to those who saw it: its last report's level decides.
          if (!c.r)
            return disclosureOf(this.arr.policy, a, this.unitContentOf(c.actor, c.id)).level === 'exists'
              ? []
              : [{ unit: c.id, actor: c.actor, withdrawn: true as const }];
          const v = this.unitFor(a, c.actor, c.id, c.r);
          return v ? [v] : [];
        });
        return units.length ? { time, units } : undefined;
      },
    });
  }

  // ---- the clock ----------------------------------------------------------------------

  /** The clock was moved by other means than running (a test, a held clock released): look at the deadlines again. */
  clockMoved(): void {
    this.scheduleDeadline();
  }

  private scheduleDeadline(): void {
    if (!this.live || this.closed) return;
    clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
    const next = this.monitor.nextDeadline();
    if (next === undefined || next === this.clockFor) return;
    let wait = Math.min(Math.max(0, this.o.delayUntil ? this.o.delayUntil(next) : next - this.o.now()), 2 ** 31 - 1);
    // A clock held back (the demo holds it behind reports still on their way) is looked at again shortly, not in a loop.
    if (wait === 0 && next > this.o.now()) wait = 100;
    this.deadlineTimer = setTimeout(() => this.tick(), wait);
    this.deadlineTimer.unref();
  }

  private tick(): void {
    const next = this.monitor.nextDeadline();
    if (this.closed) return;
    if (!this.o.writer.writable) {
      // Held (the stored record still being checked) or failed: look again later, not in a loop.
      this.deadlineTimer = setTimeout(() => this.tick(), 1000);
      this.deadlineTimer.unref();
      return;
    }
    if (next === undefined || next > this.o.now()) {
      this.scheduleDeadline();
      return;
    }
    // Time passes up to the deadline, not beyond: a report stamped between the deadline
    // and now may still be on its way, and would then be judged late for no reason.
    this.clockFor = next;
    const body = { until: formatTime(next) };
    const time = formatTime(this.o.time());
    const { bytes, statement } = signedEntry(this.o.logSigner, { type: CLOCK, arrangement: this.arr.id, body, time });
    // A failure is kept by the writer; writes then answer 503.
    this.o.writer.append(bytes, { statement, body }).catch(() => undefined);
  }

  /** Records the findings not yet in a findings statement now; settles once they are in the record. */
  recordFindings(): Promise<void> {
    return this.recorder.flush();
  }

  close(): void {
    this.closed = true;
    this.recorder.close();
    this.book.flush();
    this.sealedIndex.close();
    clearTimeout(this.deadlineTimer);
    clearInterval(this.postureTimer);
  }
}

/** A finding as the API shows it: its seq, the finding, and `at`, the record address it comes from. */
/** The entry of a client's statement; one too big for the record is the client's to split (413). */
function clientEntry(signed: SignedStatement): Uint8Array {
  try {
    return makeEntry(signed, new Date());
  } catch (e) {
    if (e instanceof RecordError && e.code === 'too-large') throw new HttpError(413, e.message, [{ path: 'statement.body', message: e.message }]);
    throw e;
  }
}

/** The arrangement with its rules in this order (the same rules), or as it is when they are not the same. */
function inOrder(a: Arrangement, ids: readonly string[]): Arrangement {
  if (ids.length !== a.rules.length || ids.every((id, i) => a.rules[i].id === id)) return a;
  const rules = ids.map((id) => a.ruleById.get(id));
  if (rules.some((r) => r === undefined)) return a;
  return { ...a, rules: rules as Arrangement['rules'] };
}

export function bookedView(b: BookedFinding): JsonObject {
  const { trigger: _, ...finding } = b.finding as Finding & { trigger?: unknown };
  return { seq: b.seq, ...(findingView(finding) as unknown as JsonObject), at: { ...b.at } };
}
