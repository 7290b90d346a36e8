// One arrangement served from a data directory: its record, and the talks and
// monitoring derived from it. This composes the parts and holds no ordering and no
// domain rule of its own: changes are ordered by the RecordWriter (appended, durable,
// then applied in log order through the one StatementTable), and the same table
// applies the stored record on start, so a restart reaches exactly the live state.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { amendArrangement, checkAddedRules } from '../arrangement/amend.ts';
import type { Arrangement } from '../arrangement/compile.ts';
import type { ArrangementSource } from '../arrangement/load.ts';
import { formatTime, parseTime } from '../arrangement/time.ts';
import type { Finding } from '../monitor/findings.ts';
import { canSee, mayAct, type Actor } from '../policy/policy.ts';
import { MAX_BODY_BYTES } from '../record/body-budget.ts';
import type { Log } from '../record/log.ts';
import { openSqliteLog } from '../store/open-log.ts';
import type { Signer } from '../record/keys.ts';
import { buildEntry, verifyStatement, type SignedStatement, type Statement } from '../record/statement.ts';
import { LOG_DB, logDir, RECORD_DIR } from '../store/layout.ts';
import { announced, initialState, itemOf, type TalksCommand, type TalksEvent, type TalksState } from '../talks/index.ts';
import { Bus } from './bus.ts';
import { arrangementBody, arrangementChange, type ArrangementBody } from './core/arrangement-note.ts';
import { MonitoringService, type Accepted } from './core/monitoring-service.ts';
import { RecordWriter } from './core/record-writer.ts';
import { replay } from './core/replay.ts';
import { StatementTable } from './core/statement-table.ts';
import { ARRANGEMENT, REPORT, REPORTS } from './core/statement-types.ts';
import { TalksService, type PreparedStatement } from './core/talks-service.ts';
import { BadRequest, Conflict, Forbidden } from './errors.ts';
import type { FindingsBook } from './findings-book.ts';
import { openKeyring, type Keyring } from './keyring.ts';
import { arrangementView, type ArrangementView } from './arrangement-view.ts';
import type { UnitView } from './posture-view.ts';

export type { Accepted } from './core/monitoring-service.ts';
export { bookedView } from './core/monitoring-service.ts';

export interface DeploymentOptions {
  dataDir: string;
  source: ArrangementSource;
  /** the middle part of the checkpoint origin, detente/<deployment>/<arrangement> */
  deployment?: string;
  /** the clock for statement times and deadlines (the demo runs an accelerated one) */
  now?: () => number;
  /** real ms until `now()` reaches a time (for a clock that runs faster than real time) */
  delayUntil?: (t: number) => number;
  checkpointIntervalMs?: number;
}

/** The server refuses to start on this record: it says why. */
export class DeploymentRefused extends Error {}

export class Deployment {
  readonly id: string;
  readonly origin: string;
  readonly actors: ReadonlyMap<string, Actor>;
  readonly bus = new Bus();
  readonly log: Log;
  readonly now: () => number;
  private readonly source: ArrangementSource;
  private readonly keyring: Keyring;
  private readonly writer: RecordWriter;
  private readonly table = new StatementTable();
  private readonly talksService: TalksService;
  private readonly monitoring: MonitoringService;
  private inForce: Arrangement;
  private announcedRules: { clause: string; draft: number; rule: unknown }[] = [];
  /** the arrangement statement the record runs */
  private recordedArrangement: ArrangementBody | undefined;
  private lastTime = 0;
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
    this.actors = new Map(arr.actors.map((a) => [a.id, { id: a.id, role: a.role, name: a.name }]));
    // Events carry the record position of the entry that caused them (docs/addressing.md).
    this.writer = new RecordWriter(log, this.table, (size) => this.bus.at(size));
    const time = () => this.statementTimeMs();
    const signerOf = (id: string) => this.signerOf(id);
    this.monitoring = new MonitoringService({
      arrangement: arr,
      writer: this.writer,
      bus: this.bus,
      signerOf,
      logSigner: keyring.logSigner,
      now: this.now,
      inForce: () => this.inForce,
      time,
      delayUntil: o.delayUntil,
    });
    this.talksService = new TalksService({
      arrangement: arr.id,
      initial: initialState({
        arrangement: arr.id,
        actors: [...this.actors.values()],
        announceBy: arr.announceBy,
      }),
      decideWith: {
        maxBodyBytes: MAX_BODY_BYTES,
        validateRules: (rules, path) =>
          checkAddedRules(this.source, rules).map((i) => ({
            path: `${path}[${i.rule}]${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}`,
            message: i.message,
          })),
      },
      writer: this.writer,
      signerOf,
      time,
      applied: (ev, r) => this.talksApplied(ev, r.index),
    });
    this.monitoring.register(this.table);
    this.talksService.register(this.table);
    // Records from before the refusal may hold several: the last is the one they ran.
    this.table.on(ARRANGEMENT, (r) => {
      this.recordedArrangement = r.body as ArrangementBody;
    });
  }

  static async open(o: DeploymentOptions): Promise<Deployment> {
    const arr = o.source.arrangement;
    const recordDir = join(o.dataDir, RECORD_DIR);
    if (existsSync(recordDir)) {
      const other = readdirSync(recordDir).find((d) => d !== arr.id && existsSync(join(recordDir, d, LOG_DB)));
      if (other) throw new DeploymentRefused(`${o.dataDir} holds the record of arrangement "${other}", not "${arr.id}"; use another --data directory`);
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
      await replay(log, d.writer, 0, (st) => d.sawTime(st));
      d.talksService.replayed();
      await d.noteArrangement();
    } catch (e) {
      d.monitoring.close();
      await log.close();
      throw e;
    }
    d.monitoring.goLive();
    return d;
  }

  get tokens(): Record<string, string> {
    return this.keyring.tokens;
  }

  get arrangement(): Arrangement {
    return this.inForce;
  }

  get talks(): TalksState {
    return this.talksService.state;
  }

  get book(): FindingsBook {
    return this.monitoring.book;
  }

  openFindings(): Finding[] {
    return this.monitoring.openFindings();
  }

  posture(actor: Actor): { time: string | null; units: UnitView[] } {
    return this.monitoring.posture(actor);
  }

  actorsOf(f: Finding): string[] {
    return this.monitoring.actorsOf(f);
  }

  sealedOwner(hash: string): { author: string; to?: string } | undefined {
    return this.talksService.sealedOwner(hash);
  }

  arrangementView(): ArrangementView {
    return arrangementView(this.inForce, this.source, this.announcedRules);
  }

  /** The clock jumped (a held clock released, a test moving time): deadlines are looked at again. */
  clockMoved(): void {
    this.monitoring.clockMoved();
  }

  // ---- changes -------------------------------------------------------------

  postReports(actor: Actor, body: unknown): Promise<Accepted> {
    return this.monitoring.postReports(actor, body);
  }

  command(actor: Actor, command: TalksCommand): Promise<{ events: TalksEvent[]; indexes: number[] }> {
    return this.talksService.command(actor, command);
  }

  async prepare(actor: Actor, command: TalksCommand): Promise<PreparedStatement[]> {
    return this.talksService.prepare(actor, command);
  }

  /** Appends a statement a client signed itself: reports, or a talks statement it prepared. */
  async postSigned(actor: Actor, signed: SignedStatement): Promise<Accepted> {
    this.writer.assertWritable();
    const st = signed.statement;
    if (st.author !== actor.id) throw new Forbidden(`the statement's author is "${st.author}", but the token is ${actor.id}'s`, 'statement.author');
    if (st.arrangement !== this.id) throw new Conflict(`the statement is for arrangement "${st.arrangement}", not "${this.id}"`, 'statement.arrangement');
    const isTalks = st.type.startsWith('talks.');
    if (st.type !== REPORT && st.type !== REPORTS && !isTalks) {
      throw new BadRequest(`a signed statement is a "${REPORT}", "${REPORTS}" or prepared "talks.*" statement, not "${st.type}"`, [
        { path: 'statement.type', message: 'not a statement clients may sign' },
      ]);
    }
    const pinned = this.signerOf(actor.id).verifier.vkey;
    if (signed.key !== pinned)
      throw new BadRequest(`the statement is signed with a key that is not ${actor.id}'s`, [{ path: 'key', message: `not ${actor.id}'s key` }]);
    try {
      verifyStatement(signed);
    } catch (e) {
      throw new BadRequest((e as Error).message, [{ path: 'sig', message: (e as Error).message }]);
    }
    if (isTalks) return { indexes: [await this.talksService.commitSigned(signed)] };
    return this.monitoring.postSigned(actor, signed);
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

  private sawTime(st: Statement): void {
    this.lastTime = Math.max(this.lastTime, parseTime(st.time));
  }

  // ---- applied statements ------------------------------------------------------

  private talksApplied(ev: TalksEvent, entry: number): void {
    const item = itemOf(ev);
    const data = { type: ev.type, time: formatTime(ev.time) };
    this.bus.publish({ type: 'talks', render: (a) => (mayAct(a, 'read-talks').ok && canSee(a, item) ? data : undefined) });
    if (ev.type === 'talks.announce') this.enforceAnnounced(ev.time, entry);
  }

  private enforceAnnounced(at: number, entry: number): void {
    const text = announced(this.talksService.state);
    if (!text) return;
    this.announcedRules = text.clauses.flatMap((c) => (c.rules ?? []).map((rule) => ({ clause: c.id, draft: text.draft, rule })));
    const amended = amendArrangement(
      this.source,
      this.announcedRules.map((a) => a.rule),
    );
    this.monitoring.extend(amended, at, entry);
    this.inForce = amended;
  }

  /**
   * A new record begins with the arrangement it runs. A record that began with another
   * file is not run on this one: the server refuses to start and says what differs.
   */
  private async noteArrangement(): Promise<void> {
    const body = arrangementBody(this.source);
    if (this.recordedArrangement) {
      const change = arrangementChange(this.recordedArrangement, body);
      if (change === undefined) return;
      throw new DeploymentRefused(
        `${this.source.file} is not the arrangement this record runs (${change}). An arrangement in force changes through the talks; to start a new record, use another --data directory`,
      );
    }
    const time = formatTime(this.statementTimeMs());
    const bytes = buildEntry(this.keyring.logSigner, { type: ARRANGEMENT, arrangement: this.id, body, time });
    const statement: Statement = { v: 1, type: ARRANGEMENT, author: this.keyring.logSigner.name, time, arrangement: this.id, body };
    await this.writer.append(bytes, { statement, body });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.writer.close();
    this.monitoring.close();
    this.bus.close();
    await this.log.close();
  }
}
