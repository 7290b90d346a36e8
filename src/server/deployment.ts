// One arrangement served from a data directory: its record, and the talks and
// monitoring derived from it. This composes the parts and holds no ordering and no
// domain rule of its own: changes are ordered by the RecordWriter (appended, durable,
// then applied in log order through the one StatementTable), and the same table
// applies the stored record on start, so a restart reaches exactly the live state.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Arrangement } from '../arrangement/compile.ts';
import type { ArrangementSource } from '../arrangement/load.ts';
import { formatTime, parseTime } from '../arrangement/time.ts';
import type { Finding } from '../monitor/findings.ts';
import { canSee, mayAct, type Actor } from '../policy/policy.ts';
import type { Content } from '../policy/disclosure.ts';
import { MAX_BODY_BYTES } from '../record/body-budget.ts';
import { RecordError } from '../record/errors.ts';
import type { Log } from '../record/log.ts';
import type { StoredAttachment } from '../record/log-store.ts';
import { type LogOptions, openLog } from '../record/log.ts';
import { openSqliteLog } from '../store/open-log.ts';
import { memoryDerivedStore } from '../store/derived-memory.ts';
import { openPgKeyring } from './keyring-pg.ts';
import { openPgRecord } from './pg-record.ts';
import { checkStoredRecordInWorker } from '../store/check-worker.ts';
import { checkStore, type StoredRecordProblem, tamperedError } from '../record/check-stored.ts';
import type { DerivedStore } from '../store/derived.ts';
import { openDerivedStore } from '../store/derived-sqlite.ts';
import type { Signer } from '../record/keys.ts';
import { KEY, type KeyBookJson } from '../record/key-book.ts';
import { type Endorsement, makeEntry, type SignedStatement, type Statement } from '../record/statement.ts';
import { sharedVerifyPool } from '../record/verify-pool.ts';
import { signedEntry } from './core/signed-entry.ts';
import { LOG_DB, logDir, RECORD_DIR } from '../store/layout.ts';
import { initialState, itemOf, type TalksCommand, type TalksEvent, type TalksState } from '../talks/index.ts';
import { Bus } from './bus.ts';
import { arrangementBody, arrangementChange, type ArrangementBody } from './core/arrangement-note.ts';
import { KeyService } from './core/key-service.ts';
import { MonitoringService, type Accepted } from './core/monitoring-service.ts';
import type { Opening } from './core/signed-openings.ts';
import { type Release, releaseSealed } from './core/sealed-release.ts';
import { RecordWriter } from './core/record-writer.ts';
import { replay } from './core/replay.ts';
import { StatementTable } from './core/statement-table.ts';
import { Disputes } from './core/disputes.ts';
import { sealedItem } from './core/report-sealing.ts';
import { DeploymentRefused } from './core/refused.ts';
import { genesisEntry } from './core/genesis-entry.ts';
import { ACCESS_REFUSED, ARRANGEMENT, CHALLENGE, DISPUTE, REPORT, REPORTS, RESOLUTION } from './core/statement-types.ts';
import { checkDraft, type History, historyOf, inForce, sectionsInForce } from './core/text-in-force.ts';
import { genesisTime } from '../record/genesis.ts';
import { readSnapshot, type DeploymentSnapshot } from './core/snapshot.ts';
import { TalksService, type PreparedStatement } from './core/talks-service.ts';
import { BadRequest, Conflict, Forbidden } from './errors.ts';
import type { BookedFinding, FindingsBook, FindingView } from './findings-book.ts';
import type { JsonObject } from '../record/canonical.ts';
import type { SealedContent } from '../record/sealed.ts';
import { openKeyring, type Keyring } from './keyring.ts';
import { arrangementView, type ArrangementView } from './arrangement-view.ts';
import { pendingZoneGeometries } from './zone-geometry.ts';
import type { UnitView } from './posture-view.ts';
import { Witnessing } from './witnessing/witnessing.ts';
import type { ClientTiming } from './witnessing/witness-client.ts';
import { type WebhookOptions, Webhooks } from './webhooks/webhooks.ts';

export type { Accepted } from './core/monitoring-service.ts';
export { bookedView } from './core/monitoring-service.ts';

export interface DeploymentOptions {
  /** where the record, keys and derived state live; optional when `store` is given */
  dataDir?: string;
  /** postgres://… : the record, keys and tokens in PostgreSQL (docs/postgres.md) */
  store?: string;
  source: ArrangementSource;
  /** the middle part of the checkpoint origin, detente/<deployment>/<arrangement> */
  deployment?: string;
  /** the clock for statement times and deadlines (the demo runs an accelerated one) */
  now?: () => number;
  /** real ms until `now()` reaches a time (for a clock that runs faster than real time) */
  delayUntil?: (t: number) => number;
  checkpointIntervalMs?: number;
  /**
   * Serve reads as soon as the state is restored, and take writes only once the stored
   * record has been checked against its checkpoint (in a worker). A failed check then
   * stops the deployment (onRefused). Default false: the check runs first, and a record
   * altered on disk is refused before anything is served.
   */
  readsBeforeCheck?: boolean;
  /** called when a check that ran in the background found the record altered */
  onRefused?: (e: DeploymentRefused) => void;
  /** write a snapshot of the derived state once this many entries have been applied since the last (default 50,000) */
  snapshotEvery?: number;
  /**
   * The actors the server holds keys for and signs for (`detente serve --custodial`); the
   * others sign their own statements. Default 'all' here, for embedding and tests; the
   * CLI's default is none.
   */
  custodial?: readonly string[] | 'all';
  /** endorsements of the genesis made offline (`detente keys sign`), for actors the server holds no key of */
  endorsements?: readonly Endorsement[];
  /** where the arrangement's witnesses listen, by name (`detente serve --witness NAME=URL`) */
  witnessUrls?: ReadonlyMap<string, string>;
  /** the witness clients' backoff and timeout (tests shorten them) */
  witnessTiming?: Partial<ClientTiming>;
  /** where the submitter says what goes wrong with a witness (default stderr) */
  warn?: (message: string) => void;
  /** webhook delivery: private addresses, retries, bounds (docs/webhooks.md) */
  webhooks?: WebhookOptions;
  /** the other arrangements served from the same data directory (their records under DIR/record/ are not refused) */
  alongside?: readonly string[];
  /** where this arrangement's keys, tokens and webhook subscriptions are in the data directory (default DIR/keys, DIR/tokens.json, DIR/webhooks.json): shared-dir.ts */
  files?: DeploymentFiles;
  /**
   * Another node sequences this record (several nodes on one PostgreSQL, docs/postgres.md):
   * open following it. Nothing is written, nothing goes live (no findings statements, no
   * deadlines, no webhook deliveries); followRecord() applies what the leader appended
   * through the same replay, and promote() makes this node the writer.
   */
  follower?: boolean;
  /** told the log's size after each durable batch (the leader's nudge to followers) */
  onCommitted?: (size: number) => void;
}

export interface DeploymentFiles {
  keys: string;
  tokens: string;
  webhooks: string;
}

const FOLLOWING = 'this node follows the record; writes are taken by the leader';

const SNAPSHOT_CHECK_MS = 10_000;

/** What a client may sign itself and POST to …/statements, besides prepared talks commands: each checked as its custodial route checks it. */
const CLIENT_SIGNED: ReadonlySet<string> = new Set([REPORT, REPORTS, KEY, DISPUTE, CHALLENGE, ACCESS_REFUSED, RESOLUTION]);

/** The server refuses to start on this record: it says why. */
/** The server will not run this record or this arrangement: exit 2, saying why. */
export { DeploymentRefused };

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
  private readonly keys: KeyService;
  /** what an operator should know about this record (printed by detente serve) */
  readonly warnings: string[] = [];
  private readonly endorsements: readonly Endorsement[];
  private readonly monitoring: MonitoringService;
  /** parties' disputes of findings */
  readonly disputes: Disputes;
  private inForce: Arrangement;
  /** the document in force (the file amended by the announced texts) */
  private inForceSource: ArrangementSource;
  private announcedRules: { clause: string; draft: number; rule: unknown }[] = [];
  /** the arrangement statement the record runs */
  private recordedArrangement: ArrangementBody | undefined;
  private lastTime = 0;
  private closed = false;
  private readonly derived: DerivedStore;
  private snapshotSize: number;
  /** the record size the state was restored at on open (0: replayed from the start) */
  readonly restoredFrom: number;
  /** settles once writes are taken (the stored record checked), or rejects if it was refused */
  writable: Promise<void> = Promise.resolve();
  private readonly snapshotEvery: number;
  private snapshotTimer: NodeJS.Timeout | undefined;
  /** submits checkpoints to the arrangement's witnesses; undefined when it names none */
  witnessing: Witnessing | undefined;
  /** webhook subscriptions (kept in DIR/webhooks.json) and their deliveries */
  webhooks!: Webhooks;

  private constructor(
    o: DeploymentOptions,
    log: Log,
    keyring: Keyring,
    derived: DerivedStore,
    snap: (DeploymentSnapshot & { keyBook?: KeyBookJson }) | undefined,
  ) {
    const arr = o.source.arrangement;
    this.id = arr.id;
    this.origin = log.origin;
    this.source = o.source;
    this.keyring = keyring;
    this.log = log;
    this.now = o.now ?? Date.now;
    this.inForce = arr;
    this.inForceSource = o.source;
    this.derived = derived;
    this.snapshotSize = snap?.size ?? 0;
    this.restoredFrom = this.snapshotSize;
    this.snapshotEvery = o.snapshotEvery ?? 50_000;
    this.lastTime = snap?.lastTime ?? 0;
    this.recordedArrangement = snap?.recordedArrangement;
    this.actors = new Map(arr.actors.map((a) => [a.id, { id: a.id, role: a.role, name: a.name }]));
    // Events carry the record position of the entry that caused them (docs/addressing.md).
    this.endorsements = o.endorsements ?? [];
    this.keys = new KeyService(keyring.logSigner.verifier.vkey, log.size, snap?.keyBook);
    const keys = this.keys;
    this.writer = new RecordWriter(log, this.table, (size) => this.bus.at(size), {
      admit: (author, key, type, body) => keys.admit(author, key, type, body),
      applied: (r) => keys.pinned(r),
    });
    const time = () => this.statementTimeMs();
    const signerOf = (id: string) => this.signerOf(id);
    this.talksService = new TalksService(
      {
        arrangement: arr.id,
        initial: initialState({
          arrangement: arr.id,
          actors: [...this.actors.values()],
          announceBy: arr.announceBy,
        }),
        decideWith: {
          maxBodyBytes: MAX_BODY_BYTES,
          // Drafted rules and sections are checked over the text in force, as a file is.
          validateRules: (rules, path) =>
            checkDraft(this.source, this.talksService.state, { sections: {}, rules }).map((i) => ({
              path: i.path.startsWith('rules') ? `${path}${i.path.slice('rules'.length)}` : i.path,
              message: i.message,
            })),
          validateAmendment: (sections, rules) => checkDraft(this.source, this.talksService.state, { sections, rules }),
        },
        writer: this.writer,
        signerOf,
        time,
        applied: (ev, r) => this.talksApplied(ev, r.index),
        logSigner: keyring.logSigner,
        now: this.now,
        delayUntil: o.delayUntil,
      },
      snap?.talks,
    );
    // A restored text in force: its rules are the engine's too.
    if (snap) this.setAnnounced();
    this.monitoring = new MonitoringService({
      arrangement: this.inForce,
      writer: this.writer,
      bus: this.bus,
      signerOf,
      logSigner: keyring.logSigner,
      now: this.now,
      inForce: () => this.inForce,
      time,
      delayUntil: o.delayUntil,
      derived,
      restored: snap?.monitoring,
    });
    this.monitoring.register(this.table);
    this.disputes = new Disputes(
      {
        arrangement: arr.id,
        log,
        writer: this.writer,
        signerOf,
        time,
        readsFinding: (reader, item) => this.readsFinding(reader, this.actorsOf(item as Pick<Finding, 'actor' | 'units'>)),
        concerned: (item) => this.actorsOf(item as Pick<Finding, 'actor' | 'units'>),
        ...(arr.commission ? { commission: arr.commission } : {}),
        withdrawn: (finding, dispute, entry, time) => this.monitoring.withdraw(finding, dispute, entry, time),
        openItem: async (item, at) => {
          const hash = sealedItem(item);
          if (hash === undefined) return item as JsonObject;
          const s = await log.openSealed(hash, at);
          return s && (JSON.parse(Buffer.from(s.content).toString('utf8')) as JsonObject);
        },
      },
      snap?.disputes,
    );
    this.disputes.register(this.table);
    this.talksService.register(this.table);
    this.keys.register(this.table);
    // Records from before the refusal may hold several: the last is the one they ran.
    this.table.on(ARRANGEMENT, (r) => {
      this.recordedArrangement = r.body as ArrangementBody;
      this.keys.apply(r);
    });
  }

  static async open(o: DeploymentOptions): Promise<Deployment> {
    const arr = o.source.arrangement;
    if (o.dataDir === undefined && o.store === undefined)
      throw new DeploymentRefused('a deployment keeps its record in a data directory or in PostgreSQL: give one');
    const recordDir = o.dataDir !== undefined ? join(o.dataDir, RECORD_DIR) : undefined;
    if (recordDir && o.store === undefined && existsSync(recordDir)) {
      const other = readdirSync(recordDir).find((d) => d !== arr.id && !o.alongside?.includes(d) && existsSync(join(recordDir, d, LOG_DB)));
      if (other) throw new DeploymentRefused(`${o.dataDir} holds the record of arrangement "${other}", not "${arr.id}"; use another --data directory`);
    }
    // On PostgreSQL the data directory, if any, keeps only derived state and witnessing.
    const dir = o.dataDir !== undefined ? logDir(o.dataDir, arr.id) : undefined;
    if (dir) mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!dir && arr.witnesses) throw new DeploymentRefused(`${arr.id} names witnesses: their state is kept under --data, which this deployment lacks`);
    const pgStore = o.store !== undefined ? await openPgRecord(o.store, arr.id) : undefined;
    const origin = `detente/${o.deployment ?? 'local'}/${arr.id}`;
    const ids = arr.actors.map((a) => a.id);
    const custodial = o.custodial === undefined || o.custodial === 'all' ? ids : [...o.custodial];
    const unknown = custodial.filter((id) => !ids.includes(id));
    if (unknown.length) throw new DeploymentRefused(`--custodial names ${unknown.join(', ')}, not actors of ${arr.id} (${ids.join(', ')})`);
    const keyring = pgStore
      ? await openPgKeyring(pgStore.secrets(), origin, ids, custodial).catch(async (e) => {
          await pgStore.close();
          throw e;
        })
      : openKeyring(o.dataDir!, origin, ids, custodial, o.files);
    let d: Deployment | undefined;
    const logOptions: Omit<LogOptions, 'store'> = {
      origin: keyring.logSigner.name,
      logSigner: keyring.logSigner,
      // Signatures are checked where statements arrive (custodial ones are made here).
      verifySignatures: false,
      // The stored record is checked below, in a worker, while the state is restored.
      checkOnOpen: false,
      checkpointIntervalMs: o.checkpointIntervalMs,
      follow: o.follower ?? false,
      onCommitted: o.onCommitted,
      onCheckpoint: (note, size) => {
        d?.witnessing?.checkpoint(note, size);
        d?.bus.publish({ type: 'checkpoint', render: (a) => (mayAct(a, 'read-record').ok ? { size, checkpoint: note } : undefined) });
      },
    };
    const opened = pgStore ? openLog({ ...logOptions, store: pgStore }) : openSqliteLog({ ...logOptions, dir: dir! });
    // On PostgreSQL the check reads through the store on this thread (no worker reads the database yet).
    const checkRecord = () => (pgStore ? checkStore(pgStore) : checkStoredRecordInWorker(dir!));
    const refusal = (p: StoredRecordProblem) => new DeploymentRefused(`${tamperedError(pgStore?.location ?? dir!, p).message}; it is not served`);
    const log = await opened.catch(async (e: unknown) => {
      // The newest tiles are re-hashed on open: an alteration there is caught before the
      // full check runs. The full check then names the entry.
      if (!(e instanceof RecordError)) throw e;
      const problem = await checkRecord().catch(() => undefined);
      throw problem ? refusal(problem) : new DeploymentRefused(e.message);
    });
    // The check runs in workers while the state is restored here; it settles (or refuses)
    // before anything is written, and, unless reads may come first, before anything is served.
    const checked: Promise<void> =
      log.size === 0
        ? Promise.resolve()
        : checkRecord().then(
            (problem) => {
              if (problem) throw refusal(problem);
            },
            (e: unknown) => {
              throw new DeploymentRefused(`the stored record could not be checked: ${(e as Error).message}`);
            },
          );
    checked.catch(() => undefined);
    let derived: DerivedStore | undefined;
    try {
      // Without a data directory the derived state is in memory: a restart replays the record.
      derived = dir ? openDerivedStore(dir) : memoryDerivedStore();
      // A snapshot from before the key book is not continued from: the record is replayed.
      const stored = readSnapshot(derived, log.size, origin) as (DeploymentSnapshot & { keyBook?: KeyBookJson }) | undefined;
      // Nor one from before need-to-know (no per-unit disclosure Content): the record is replayed.
      const snap = stored?.keyBook && stored.monitoring.unitContent ? stored : undefined;
      d = new Deployment(o, log, keyring, derived, snap);
      const dd = d;
      try {
        await replay(log, dd.writer, snap?.size ?? 0, (st) => dd.sawTime(st));
      } catch (e) {
        // A record altered on disk may not even replay: its refusal says why.
        await checked;
        throw e;
      }
      dd.talksService.replayed();
      dd.keys.replayed(log.size);
      if (o.follower) {
        dd.writer.hold(FOLLOWING);
        dd.writable = checked;
        dd.writable.catch((e: DeploymentRefused) => {
          dd.writer.fail(e);
          o.onRefused?.(e);
        });
      } else if (o.readsBeforeCheck && log.size > 0) {
        dd.writer.hold('the stored record is being checked against its checkpoint; writes are taken once it holds');
        dd.writable = checked.then(() => dd.writer.release());
        dd.writable.catch((e: DeploymentRefused) => {
          dd.writer.fail(e);
          o.onRefused?.(e);
        });
      } else await checked;
      // A follower checks the file against the record it runs, and writes no genesis.
      if (!o.follower || dd.recordedArrangement) await dd.noteArrangement();
    } catch (e) {
      d?.monitoring.close();
      derived?.close();
      await log.close();
      throw e;
    }
    if (!o.follower) {
      d.monitoring.goLive();
      d.talksService.goLive();
    }
    const live = d;
    live.webhookFile = o.dataDir ? (o.files?.webhooks ?? join(o.dataDir, 'webhooks.json')) : undefined;
    live.webhookOptions = o.webhooks;
    try {
      // Without a data directory (the record on PostgreSQL, no --data) subscriptions live in memory only.
      // A follower delivers nothing (the leader does): its subscriptions are taken up on promotion.
      live.webhooks = new Webhooks(live, o.follower ? undefined : live.webhookFile, o.webhooks);
    } catch (e) {
      await live.close();
      throw new DeploymentRefused((e as Error).message);
    }
    if (arr.witnesses) {
      live.witnessing = new Witnessing({
        origin,
        logKey: log.verifierKey,
        witnesses: arr.witnesses,
        urls: o.witnessUrls ?? new Map(),
        dir: dir!,
        proof: (old, size) => log.consistencyProof(old, size),
        timing: o.witnessTiming,
        warn: o.warn,
        onWitnessed: (h) =>
          live.bus.publish({ type: 'witnessed', render: (a) => (mayAct(a, 'read-record').ok ? { size: h.size, checkpoint: h.note } : undefined) }),
      });
      live.witnessing.checkpoint(log.checkpoint());
    }
    d.snapshotTimer = setInterval(() => live.snapshotIfDue(), SNAPSHOT_CHECK_MS);
    d.snapshotTimer.unref();
    return d;
  }

  /** Entries applied to the state: the record's size as this node knows it. */
  get applied(): number {
    return this.writer.applied;
  }

  /** Whether this node follows a record another node sequences (DeploymentOptions.follower). */
  get following(): boolean {
    return this.log.isFollowing;
  }

  /**
   * Applies what the leader appended since: the log extends its own tree over the new
   * entries (refusing a record whose root is not the signed one), and the state takes
   * them through the same replay as a start, so findings, talks and the bus's events
   * (ids: the record position) are the leader's. Resolves with the size applied.
   */
  async followRecord(): Promise<number> {
    await this.log.follow();
    if (this.log.size > this.writer.applied) await replay(this.log, this.writer, this.writer.applied, (st) => this.sawTime(st));
    return this.writer.applied;
  }

  /**
   * This node took the sequencer's lease: it follows to the end of the record, becomes
   * the writer (a checkpoint for entries none covers), goes live (findings transitions
   * not yet recorded are recorded, deadlines armed), delivers webhooks, and takes writes.
   */
  async promote(): Promise<void> {
    if (!this.following) return;
    await this.followRecord();
    await this.writable;
    await this.log.promote();
    this.talksService.replayed();
    this.keys.replayed(this.log.size);
    this.writer.release();
    await this.noteArrangement();
    this.monitoring.goLive();
    this.talksService.goLive();
    this.webhooks.close();
    this.webhooks = new Webhooks(this, this.webhookFile, this.webhookOptions);
  }

  /** Takes no writes from now on (503 saying why): the node lost the sequencer's lease. */
  refuseWrites(e: Error): void {
    this.writer.fail(e);
  }

  private webhookFile: string | undefined;
  private webhookOptions: WebhookOptions | undefined;

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

  /** Writes the findings statement for transitions not yet recorded now; settles once it is in the record. */
  /** The opening of a sealed commitment the record holds (a report or finding at its place, or a whole body), unchecked by policy. */
  openSealed(hash: string): Promise<SealedContent | undefined> {
    return this.log.openSealed(hash, this.monitoring.sealedIndex.at(hash));
  }

  recordFindings(): Promise<void> {
    return this.monitoring.recordFindings();
  }

  openFindings(): FindingView[] {
    return this.monitoring.openFindings();
  }

  posture(actor: Actor): { time: string | null; units: UnitView[] } {
    return this.monitoring.posture(actor);
  }

  actorsOf(f: Pick<Finding, 'actor' | 'units'>): string[] {
    return this.monitoring.actorsOf(f);
  }

  /** A booked finding as this reader gets it (the triggering report's id only where it may read that report). */
  findingView(reader: Actor, b: BookedFinding): JsonObject {
    return this.monitoring.findingView(reader, b);
  }

  openFindingsFor(reader: Actor): FindingView[] {
    return this.monitoring.openFindingsFor(reader);
  }

  /** May this reader read the report that triggered a finding (what the book keeps of it; findings.csv)? */
  readsTrigger(reader: Actor, trigger: Content | undefined): boolean {
    return this.monitoring.readsTriggerContent(reader, trigger);
  }

  /** May this actor read a finding concerning these actors (the `findings` disclosure)? */
  readsFinding(actor: Actor, concerned: readonly string[]): boolean {
    return this.monitoring.readsFinding(actor, concerned);
  }

  /** Sealed content as this reader may have it (full, coarse), or undefined: not found and not allowed alike. */
  sealedFor(reader: Actor, hash: string): Promise<Release | undefined> {
    return releaseSealed(
      {
        log: this.log,
        actors: this.actors,
        talksOwner: (h) => this.talksService.sealedOwner(h),
        disputeOwner: (h) => this.disputes.ownerOf(h),
        reportAt: (h) => this.monitoring.sealedIndex.at(h),
        concerned: (f) => this.monitoring.actorsOf(f),
        sealing: () => this.monitoring.sealing(),
      },
      reader,
      hash,
    );
  }

  arrangementView(): ArrangementView {
    return arrangementView(this.inForce, this.inForceSource, this.announcedRules);
  }

  /**
   * The view once the zones' outlines and areas are traced: awaits the tracing a start
   * began on a worker (zone-geometry.ts) rather than tracing again on this thread.
   */
  async arrangementViewReady(): Promise<ArrangementView> {
    // A failed tracing is done again here, on this thread, by the view itself.
    await pendingZoneGeometries(this.inForce)?.catch(() => undefined);
    return this.arrangementView();
  }

  /**
   * What a draft is checked over (GET …/draft-base): the file as written with the sections
   * in force, and the GeoJSON files it names, so that a page checks a draft by the very
   * validation checkDraft runs here.
   */
  draftBase(): { document: unknown; geo_files: Record<string, unknown> } {
    return {
      document: { ...(this.source.value as object), ...sectionsInForce(this.talksService.state) },
      geo_files: Object.fromEntries(this.source.geoFiles),
    };
  }

  /** Which text was in force from which record position (GET …/history). */
  history(): History {
    return historyOf(this.source, this.talksService.state, genesisTime(this.source.arrangement.announceBy));
  }

  /** The clock jumped (a held clock released, a test moving time): deadlines are looked at again. */
  clockMoved(): void {
    this.monitoring.clockMoved();
    this.talksService.clockMoved();
  }

  // ---- changes -------------------------------------------------------------

  postReports(actor: Actor, body: unknown): Promise<Accepted> {
    return this.monitoring.postReports(actor, body);
  }

  /**
   * Stores an attachment's bytes (routes/attachments.ts): the store hashes them as they
   * stream in and refuses (AttachmentRefused) a mismatch or bytes past `maxBytes`.
   */
  async putAttachment(sha256: string, type: string, data: AsyncIterable<Uint8Array>, maxBytes: number): Promise<void> {
    this.writer.assertWritable();
    await this.log.putAttachment(sha256, type, data, maxBytes);
  }

  /** The attachment, if this reader reads in full a report naming it and its bytes are here; else undefined (one answer for both). */
  async attachmentFor(reader: Actor, sha256: string): Promise<StoredAttachment | undefined> {
    if (!this.monitoring.mayReadAttachment(reader, sha256)) return undefined;
    return this.log.getAttachment(sha256);
  }

  /** A party's request for a challenge inspection (docs/inspections.md). */
  postChallenge(actor: Actor, zone: string): Promise<{ index: number; challenge: string }> {
    return this.monitoring.postChallenge(actor, zone);
  }

  /** An observer's record of a refusal of access on a challenge. */
  postRefusal(actor: Actor, challenge: string, by: string, reason: string | undefined): Promise<number> {
    return this.monitoring.postRefusal(actor, challenge, by, reason);
  }

  command(actor: Actor, command: TalksCommand): Promise<{ events: TalksEvent[]; indexes: number[] }> {
    return this.talksService.command(actor, command);
  }

  async prepare(actor: Actor, command: TalksCommand): Promise<PreparedStatement[]> {
    return this.talksService.prepare(actor, command);
  }

  /** The key book as recorded: who may sign for whom now. */
  get keyBook() {
    return this.keys.book;
  }

  /** Appends a statement a client signed itself: reports, a talks statement it prepared, or a key statement. */
  async postSigned(actor: Actor, posted: SignedStatement & { sealed?: readonly Opening[] }): Promise<Accepted> {
    this.writer.assertWritable();
    const { sealed: openings = [], ...signed } = posted;
    const st = signed.statement;
    if (openings.length > 0 && st.type !== REPORT && st.type !== REPORTS && st.type !== DISPUTE && st.type !== RESOLUTION)
      throw new BadRequest('openings (sealed) travel only with a report, reports, dispute or resolution statement', [
        { path: 'sealed', message: `not for a "${st.type}" statement` },
      ]);
    if (st.author !== actor.id) throw new Forbidden(`the statement's author is "${st.author}", but the token is ${actor.id}'s`, 'statement.author');
    if (st.arrangement !== this.id) throw new Conflict(`the statement is for arrangement "${st.arrangement}", not "${this.id}"`, 'statement.arrangement');
    const isTalks = st.type.startsWith('talks.');
    if (!CLIENT_SIGNED.has(st.type) && !isTalks) {
      throw new BadRequest(`a signed statement is a ${[...CLIENT_SIGNED].map((t) => `"${t}"`).join(', ')} or prepared "talks.*" statement, not "${st.type}"`, [
        { path: 'statement.type', message: 'not a statement clients may sign' },
      ]);
    }
    try {
      await sharedVerifyPool().verifyStatements([signed]);
    } catch (e) {
      throw new BadRequest((e as Error).message, [{ path: 'sig', message: (e as Error).message }]);
    }
    // Whether this key may sign for the actor is the key book's (403 naming the key when
    // not): checked here, before a service reserves anything, and admitted again by the
    // writer on the head book as it appends.
    this.keys.check(st.author, signed.key, st.type, st.body);
    if (isTalks) return { indexes: [await this.talksService.commitSigned(signed)] };
    if (st.type === KEY) return { indexes: [await this.writer.append(makeEntry(signed, new Date()), { statement: st, body: st.body })] };
    if (st.type === DISPUTE) return { indexes: [await this.disputes.postSigned(actor, signed, openings[0])] };
    if (st.type === RESOLUTION) return { indexes: [await this.disputes.postSignedResolution(actor, signed, openings[0])] };
    if (st.type === CHALLENGE) return { indexes: [(await this.monitoring.postSignedChallenge(actor, signed)).index] };
    if (st.type === ACCESS_REFUSED) return { indexes: [await this.monitoring.postSignedRefusal(actor, signed)] };
    return this.monitoring.postSigned(actor, signed, openings);
  }

  /**
   * Enrols a key (a browser's, a device's) for an actor this server is custodial for: the
   * enrolment is signed with the actor's server-held key and marked custodial, as every
   * statement the server signs for an actor. From then on that key signs for the actor
   * itself. For an actor the server holds no key of, 403: one of its own keys enrols.
   */
  async enrollCustodially(actor: Actor, key: string, device?: string): Promise<Accepted> {
    this.writer.assertWritable();
    const signer = this.signerOf(actor.id);
    const body = { action: 'enroll', key, ...(device !== undefined ? { device } : {}) };
    this.keys.check(actor.id, signer.verifier.vkey, KEY, body);
    const { bytes, statement } = signedEntry(signer, { type: KEY, arrangement: this.id, body, time: formatTime(this.statementTimeMs()) }, true);
    return { indexes: [await this.writer.append(bytes, { statement, body })] };
  }

  /** Who may sign for whom now: each actor's working keys, its recovery key, and whether the server holds one. */
  keysNow(): { actor: string; keys: string[]; recovery?: string; custodial: boolean }[] {
    const book = this.keys.current;
    return this.source.arrangement.actors.map((a) => {
      const recovery = book.recoveryOf(a.id);
      return { actor: a.id, keys: book.working(a.id).sort(), ...(recovery ? { recovery } : {}), custodial: this.keyring.actorSigners.has(a.id) };
    });
  }

  private signerOf(actorId: string): Signer {
    const s = this.keyring.actorSigners.get(actorId);
    if (!s)
      throw new Forbidden(
        `missing signature: this server holds no key for "${actorId}" (it is not custodial for it), so ${actorId} signs its own statements: a report, challenge, access-refused or resolution is signed and POSTed to …/statements; a talks command is prepared (POST …/talks/prepare), signed, and POSTed to …/statements`,
        'sig',
      );
    // A key the server holds but the key book does not admit (the deployment's custody
    // changed after the genesis) signs nothing.
    this.keys.check(actorId, s.verifier.vkey, '', {});
    return s;
  }

  /** Statement times strictly increase, so that two identical statements never share a signature. */
  private statementTimeMs(): number {
    this.lastTime = Math.max(this.now(), this.lastTime + 1);
    return this.lastTime;
  }

  private sawTime(st: Statement): void {
    // The genesis's time is fixed by the file (record/genesis.ts), not a moment of the record.
    if (st.type === ARRANGEMENT) return;
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
    const now = this.setAnnounced();
    if (now) this.monitoring.amend(this.inForce, at, entry, `superseded by draft ${now.draft} of round ${now.round}`);
  }

  /** The arrangement in force from the talks' announced texts, if there is one. */
  private setAnnounced(): { round: number; draft: number } | undefined {
    const f = inForce(this.source, this.talksService.state);
    if (f.draft === null) return undefined;
    this.announcedRules = f.announcedRules;
    this.inForceSource = f.source;
    this.inForce = f.source.arrangement;
    return { round: f.round, draft: f.draft };
  }

  /** Writes the derived state as it stands (every applied entry included) for the next start. */
  snapshot(): void {
    const size = this.writer.applied;
    // Not of a record that failed, or that is still being checked: a snapshot is of a record that holds.
    if (size === this.snapshotSize || this.writer.failed || this.writer.holding) return;
    const snap: DeploymentSnapshot & { keyBook: KeyBookJson } = {
      v: 1,
      origin: this.origin,
      size,
      lastTime: this.lastTime,
      ...(this.recordedArrangement ? { recordedArrangement: this.recordedArrangement } : {}),
      keyBook: this.keys.snapshot(),
      talks: this.talksService.snapshot(),
      monitoring: this.monitoring.snapshot(),
      disputes: this.disputes.snapshot(),
    };
    this.derived.putSnapshot({ size, json: JSON.stringify(snap) });
    this.snapshotSize = size;
  }

  private snapshotIfDue(): void {
    if (this.writer.applied - this.snapshotSize >= this.snapshotEvery) this.snapshot();
  }

  /**
   * A new record begins with the arrangement it runs. A record that began with another
   * file is not run on this one: the server refuses to start and says what differs.
   */
  private async noteArrangement(): Promise<void> {
    if (this.recordedArrangement) {
      const change = arrangementChange(this.recordedArrangement, arrangementBody(this.source));
      if (change !== undefined)
        throw new DeploymentRefused(
          `${this.source.file} is not the arrangement this record runs (${change}). An arrangement in force changes through the talks; to start a new record, use another --data directory`,
        );
      if (this.keys.book.state !== 'keyed')
        this.warnings.push(
          "this record began before keys were recorded: its genesis has no endorsements, and each author's first key is pinned where it is first used",
        );
      return;
    }
    const { bytes, statement } = genesisEntry({
      source: this.source,
      held: this.keyring.actorSigners,
      logSigner: this.keyring.logSigner,
      endorsements: this.endorsements,
    });
    await this.writer.append(bytes, { statement, body: statement.body });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.snapshotTimer);
    await this.witnessing?.close();
    // What the engine found is in the record before it stops, not left for the next start.
    await this.monitoring.recordFindings();
    this.writer.close();
    try {
      this.snapshot();
    } finally {
      this.derived.close();
    }
    this.monitoring.close();
    this.webhooks?.close();
    this.talksService.close();
    this.bus.close();
    await this.log.close();
  }
}
