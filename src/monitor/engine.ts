// The monitoring engine: (posture, report) → (posture, finding transitions).
// Pure and incremental: a report updates one unit's posture, touches only the
// rules of the zones that unit left or entered (and its actor's commitments
// and separation pairs), and deadlines wait in a queue instead of being polled.
// It knows nothing of files, HTTP or storage.
import type { Arrangement } from '../arrangement/compile.ts';
import { type Confidence, type EvidenceNeed, evidenceNeed } from '../arrangement/evidence.ts';
import type { CommitmentRule, InspectionRule, LimitRule, NoticeRule, PresenceRule, Rule } from '../arrangement/types.ts';
import { stepActors } from '../arrangement/escalation.ts';
import { formatTime } from '../arrangement/time.ts';
import { Heap } from './heap.ts';
import { IdSet, type ReportIds } from './id-set.ts';
import type { Finding } from './findings.ts';
import { judgedByEvidence, subjectKey } from './findings.ts';
import { addSupport, confidenceOf, type Support, supportOf } from './evidence.ts';
import type { AccessRefusal, ChallengeRequest } from './challenge.ts';
import type { AckReport, InspectionReport, NotificationReport, Report, UnitReport } from './reports.ts';
import { ReportError } from './reports.ts';
import { SeparationWatch, type SeparationChange } from './separation.ts';
import type { MonitorSnapshot, SnapshotDeadline } from './snapshot.ts';
import { Tally } from './tally.ts';

/**
 * A unit is named by its actor and its id together (two actors may use the same
 * id; a report about another actor's unit is an observation of that unit).
 * Maps and separation watches hold it under unitKey(actor, id).
 */
export function unitKey(actor: string, unit: string): string {
  return actor + '\0' + unit;
}

/** The unit id in a unitKey. */
function unitIdOf(key: string): string {
  return key.slice(key.indexOf('\0') + 1);
}

/**
 * A unit as the engine knows it: its posture (its latest report; null once
 * withdrawn) and that report's time (or the withdrawal's), kept after a
 * withdrawal so that an older report changes nothing. What it adds to each
 * tally, the zones it is in and the findings open about it sit in the
 * Monitor's per-unit arrays, at its slot: one flat array each keeps them close
 * together and needs no object per unit to reach them.
 */
interface Unit {
  slot: number;
  actorId: string;
  id: string;
  r: UnitReport | null;
  time: number;
  /** whether its posture carries a velocity, i.e. separation watches may hold it */
  moving: boolean;
}

/** Open notice findings, as kept per unit. */
const NOTICE_KINDS = [undefined, 'unnotified', 'late-notice'] as const;

/** What a deadline is about, as data, so that a snapshot can name it and a restore rebuild it. */
type DeadlineRef =
  | { k: 'ack'; st: AckState }
  | { k: 'escalate'; st: AckState; step: number }
  | { k: 'challenge'; st: ChallengeState }
  | { k: 'commitment'; c: CommitmentState }
  | { k: 'inspection'; i: number; z: number };

interface Deadline {
  at: number;
  seq: number;
  ref: DeadlineRef;
  fire: (report: string | undefined) => void;
}

export interface MonitorOptions {
  /**
   * The report ids accepted so far (to refuse a duplicate): the one thing the engine
   * keeps that grows with every report. The default holds them in memory; a server
   * may back it by its store. Restore takes it again (a snapshot does not carry it).
   */
  ids?: ReportIds;
}

/** `lastRef`: the ref of the inspection report that started the period (NO_REF: the clock did) */
type InspectionZone = { zone: string; last: number; open: boolean; deadline?: Deadline; lastRef: number };

/** No ref: a report pushed without one, or a transition no report caused. */
const NO_REF = -1;

/** An open finding the evidence rules judge: its confidence so far and the reports behind it. */
interface Judged {
  rule: number;
  confidence: Confidence;
  supports: Support[];
}

interface Transition {
  at: number;
  rule: number;
  subject: string;
  f: Finding;
}

interface LimitState {
  rule: LimitRule;
  index: number;
  tally: Tally;
  open: boolean;
}

/** What a tally belongs to, so that a change re-checks only its owner. */
type TallyOwner = { limit: LimitState } | { commitment: CommitmentState };
interface CommitmentState {
  rule: CommitmentRule;
  index: number;
  state: 'pending' | 'due' | 'fulfilled' | 'overdue';
  tally: Tally;
  deadline?: Deadline;
  /** the ref of the report that made it due (NO_REF: none did) */
  dueRef: number;
}
interface PresenceState {
  rule: PresenceRule;
  index: number;
  slot: number;
}
interface NoticeState {
  rule: NoticeRule;
  index: number;
  slot: number;
}
interface AckState {
  rule: NoticeRule;
  index: number;
  missing: Set<string>;
  open: boolean;
  n: NotificationReport;
  /** the refs of the notification and of the acks received for it (see Monitor.push) */
  refs: number[];
  /** how many rungs of the rule's escalation ladder have come due */
  step: number;
}

/** A challenge inspection request not yet done with: which of its findings are open. */
interface ChallengeState {
  c: ChallengeRequest;
  rule: InspectionRule;
  index: number;
  /** the request itself, open until inspected or refused */
  open: boolean;
  /** the observer missed the deadline and has not inspected since */
  late: boolean;
  /** the party whose refusal of access is open */
  refused?: string;
  /** the ref of the request (NO_REF: none given) */
  ref: number;
}

export class Monitor {
  /** the arrangement in force (it grows when a negotiated text is announced: see extend) */
  arrangement: Arrangement;
  private readonly units = new Map<string, Unit>();
  private readonly seen: ReportIds;
  private readonly deadlines = new Heap<Deadline>();
  private seq = 0;
  private started = false;
  private clock = -Infinity;
  private readonly out: Transition[] = [];
  private readonly openFindings = new Map<string, Finding>();
  /** by subject, the open findings the evidence rules judge (empty without an `evidence` section) */
  private readonly judged = new Map<string, Judged>();
  /** the report being applied (undefined outside push): what the evidence rules weigh */
  private curReport: Report | undefined;

  // Rules indexed by what triggers them.
  private readonly presenceByZone: PresenceState[][];
  private presenceRules = 0;
  private noticeRules = 0;
  private readonly talliesByZone: { tally: Tally; owner: TallyOwner }[][];
  private readonly changed: TallyOwner[] = [];
  private tallies = 0;
  private readonly scratch: Uint8Array;
  // Per unit, at its slot: the zones it is in (1 or 0), its contribution to each
  // tally, 1 per presence rule with a violation open about it, and per notice
  // rule the finding open about it (an index in NOTICE_KINDS).
  private unitCount = 0;
  private insideOf = new Uint8Array(0);
  private contribOf = new Float64Array(0);
  private presenceOf = new Uint8Array(0);
  private noticeOf = new Uint8Array(0);
  /** the ref of the report that set the unit's posture (NO_REF: none given) */
  private refOf = new Float64Array(0);
  /** whether any report came with a ref: only then do findings carry a basis */
  private refs = false;
  /** the ref of the report being applied (NO_REF outside push) */
  private cur = NO_REF;
  /**
   * the ref of the report that brought the clock where it is: what is judged at the
   * clock (deadlines, separation) rests on it too, as a report older than the clock
   * does not move it
   */
  private clockRef = NO_REF;
  private static readonly NONE: Finding[] = [];
  private static readonly NO_REFS: number[] = [];
  private readonly noticeByZone: NoticeState[][];
  private readonly ackRules: { rule: NoticeRule; index: number }[] = [];
  private readonly acks = new Map<string, AckState[]>();
  private readonly commitments: CommitmentState[] = [];
  private readonly inspections: { rule: InspectionRule; index: number; zones: InspectionZone[] }[] = [];
  /** each watch with the time it was last given (its pairs are judged as of then) */
  private readonly separations: { watch: SeparationWatch; index: number; at: number }[] = [];
  private readonly limits: LimitState[] = [];
  /** every tally, at its slot */
  private readonly tallyList: Tally[] = [];

  constructor(arrangement: Arrangement, options: MonitorOptions = {}) {
    this.arrangement = arrangement;
    this.seen = options.ids ?? new IdSet();
    const zs = arrangement.zoneSet;
    const nz = zs.size;
    this.scratch = new Uint8Array(nz);
    this.presenceByZone = Array.from({ length: nz }, () => []);
    this.talliesByZone = Array.from({ length: nz }, () => []);
    this.noticeByZone = Array.from({ length: nz }, () => []);
    arrangement.rules.forEach((rule, index) => this.register(rule, index));
  }

  private register(rule: Rule, index: number): void {
    const zi = (id: string) => this.arrangement.zoneSet.byId.get(id)!;
    switch (rule.kind) {
      case 'presence':
        this.presenceByZone[zi(rule.zone)].push({ rule, index, slot: this.presenceRules++ });
        break;
      case 'limit': {
        const tally = new Tally(this.tallies++, zi(rule.zone), rule.actor, rule.asset, rule.where ?? null);
        const limit = { rule, index, tally, open: false };
        this.talliesByZone[tally.zone].push({ tally, owner: { limit } });
        this.limits.push(limit);
        this.tallyList.push(tally);
        break;
      }
      case 'notice':
        this.noticeByZone[zi(rule.zone)].push({ rule, index, slot: this.noticeRules++ });
        if (rule.ackMs !== undefined) this.ackRules.push({ rule, index });
        break;
      case 'separation':
        this.separations.push({ watch: new SeparationWatch(rule), index, at: -Infinity });
        break;
      case 'commitment': {
        const c = rule.present ?? rule.absent!;
        const tally = new Tally(this.tallies++, zi(c.zone), rule.actor, c.asset ?? null, null);
        const commitment: CommitmentState = { rule, index, state: 'pending', tally, dueRef: NO_REF };
        this.talliesByZone[tally.zone].push({ tally, owner: { commitment } });
        this.commitments.push(commitment);
        this.tallyList.push(tally);
        break;
      }
      case 'inspection':
        this.inspections.push({ rule, index, zones: rule.zones.map((zone) => ({ zone, last: 0, open: false, lastRef: NO_REF })) });
        break;
    }
  }

  /**
   * Applies one report and returns the finding transitions it causes, deadlines
   * that passed before it first. Throws ReportError (changing nothing) for a
   * report id seen before.
   *
   * `ref` is the caller's name for the report (a server gives its record address):
   * once any report comes with one, every transition carries `basis`, the refs of
   * the reports it rests on (docs/spec/reports.md), so that it can be checked by
   * re-running the engine over those reports alone (recheck.ts).
   */
  push(r: Report, ref?: number): Finding[] {
    if (!this.seen.add(r.id)) throw new ReportError(`duplicate report id "${r.id}"`, 'id');
    if (ref !== undefined) this.refs = true;
    this.cur = ref ?? NO_REF;
    this.curReport = r;
    const now = Math.max(this.clock, r.time);
    if (r.time >= this.clock) this.clockRef = this.cur;
    this.passDeadlines(now, false, r.id);
    this.clock = now;
    const first = !this.started;
    this.started = true;
    switch (r.type) {
      case 'observation':
      case 'track':
        this.unitReport(r);
        break;
      case 'notification':
        this.notification(r);
        break;
      case 'ack':
        this.ack(r);
        break;
      case 'inspection':
        this.inspection(r);
        break;
    }
    // Clocks start with the first report, once it is applied: a commitment is judged on the posture it brings.
    if (first) this.start(r);
    this.passDeadlines(now, true, r.id);
    const sep = this.sepChanges;
    for (const s of this.separations) {
      s.watch.advance(now, sep);
      s.at = now;
      if (sep.length) this.separationOut(s.index, sep, r.time, r.id);
    }
    const out = this.flush();
    this.cur = NO_REF;
    this.curReport = undefined;
    return out;
  }

  /**
   * A report the caller cannot read passed here, at `time`: the clock moves as it
   * moved for whoever read it (deadlines pass, clocks start, separation is judged as
   * of then), and nothing else. A party's replica gives the times of the reports it
   * may not open, so its deadlines pass where the server's did.
   */
  tick(time: number, ref?: number): Finding[] {
    return this.atTime(time, ref, undefined);
  }

  /**
   * Time moves to `time` as for tick, and `act` is applied at the clock between the
   * deadlines before it and those at it (as a report is).
   */
  private atTime(time: number, ref: number | undefined, act: (() => void) | undefined): Finding[] {
    if (ref !== undefined) this.refs = true;
    this.cur = ref ?? NO_REF;
    const now = Math.max(this.clock, time);
    if (time >= this.clock) this.clockRef = this.cur;
    this.passDeadlines(now, false, undefined);
    this.clock = now;
    if (!this.started) {
      this.started = true;
      this.startClocks(time, undefined, this.commitments, this.inspections);
    }
    act?.();
    this.passDeadlines(now, true, undefined);
    const sep = this.sepChanges;
    for (const s of this.separations) {
      s.watch.advance(now, sep);
      s.at = now;
      if (sep.length) this.separationOut(s.index, sep, time, undefined);
    }
    this.cur = NO_REF;
    return this.flush();
  }

  /** Passes every deadline up to `until` (epoch ms) at the end of the stream; those findings name no report. */
  finish(until: number): Finding[] {
    // A deadline may lie behind the clock (a fixed due date already past when an
    // announced rule came into force): it passes now, or it would stay next for ever.
    if (this.started) {
      const t = Math.max(until, this.clock);
      this.passDeadlines(t, true, undefined);
      this.clock = t;
    }
    return this.flush();
  }

  /** Whether a report with this id was accepted already (push would refuse another). */
  knows(id: string): boolean {
    return this.seen.has(id);
  }

  /** The findings open now (and commitments overdue or due), one per subject. */
  openNow(): Finding[] {
    return [...this.openFindings.values()];
  }

  get now(): number {
    return this.clock;
  }

  /** The posture: each present unit's latest report. */
  *posture(): IterableIterator<UnitReport> {
    for (const u of this.units.values()) if (u.r !== null) yield u.r;
  }

  /** The latest report on this actor's unit, or undefined if it is not (or no longer) present. */
  unitOf(actor: string, id: string): UnitReport | undefined {
    return this.units.get(unitKey(actor, id))?.r ?? undefined;
  }

  /**
   * @deprecated a unit is named by its actor and id: use unitOf. This answers for
   * the first present unit with this id, whatever its actor.
   */
  unit(id: string): UnitReport | undefined {
    for (const [k, u] of this.units) if (u.r !== null && unitIdOf(k) === id) return u.r;
    return undefined;
  }

  /** When the earliest pending deadline falls (epoch ms), if any: a live server passes time up to it. */
  nextDeadline(): number | undefined {
    if (!this.started) return undefined;
    // Deadlines that can no longer change anything (a commitment already met, a duty
    // acknowledged, a period restarted) are dropped, so that nobody waits for them.
    let d = this.deadlines.peek();
    while (d !== undefined && !this.alive(d)) {
      this.deadlines.pop();
      d = this.deadlines.peek();
    }
    return d?.at;
  }

  /** Whether firing this deadline could emit anything. */
  private alive(d: Deadline): boolean {
    const ref = d.ref;
    if (ref.k === 'ack') return ref.st.missing.size > 0 && !ref.st.open;
    if (ref.k === 'escalate') return ref.st.open && ref.st.missing.size > 0 && ref.st.step === ref.step;
    if (ref.k === 'challenge') return ref.st.open && !ref.st.late && this.challenges.get(ref.st.c.id) === ref.st;
    if (ref.k === 'commitment') return ref.c.state === 'due';
    const z = this.inspections[ref.i].zones[ref.z];
    return z.deadline === d && !z.open;
  }

  /**
   * The engine's state as plain JSON (see snapshot.ts): Monitor.restore on the same
   * arrangement continues from it exactly as this engine would. Its size follows the
   * posture, the open findings and pending deadlines, plus the ids when kept here.
   */
  snapshot(): MonitorSnapshot {
    const nz = this.scratch.length;
    const units: MonitorSnapshot['units'] = [];
    for (const u of this.units.values()) units[u.slot] = [u.actorId, u.id, u.time, u.moving, u.r];
    const sparse = (a: Uint8Array | Float64Array, per: number, withValue: boolean): number[] => {
      const out: number[] = [];
      for (let i = 0, n = this.unitCount * per; i < n; i++) {
        if (a[i] === 0) continue;
        out.push(Math.floor(i / per), i % per);
        if (withValue) out.push(a[i]);
      }
      return out;
    };
    const acks: MonitorSnapshot['acks'] = [];
    const ackAt = new Map<AckState, number>();
    for (const list of this.acks.values()) {
      for (const st of list) {
        ackAt.set(st, acks.length);
        acks.push({ n: st.n, rule: st.index, missing: [...st.missing], open: st.open, ...(st.step ? { step: st.step } : {}) });
      }
    }
    const challenges = [...this.challenges.values()];
    const deadlines: SnapshotDeadline[] = [];
    for (const d of this.deadlines.items()) {
      const ref = d.ref;
      // Only deadlines that can still fire: the others would change nothing.
      if (!this.alive(d)) continue;
      if (ref.k === 'ack') deadlines.push({ at: d.at, seq: d.seq, k: 'ack', a: ackAt.get(ref.st)! });
      else if (ref.k === 'escalate') deadlines.push({ at: d.at, seq: d.seq, k: 'escalate', a: ackAt.get(ref.st)!, s: ref.step });
      else if (ref.k === 'challenge') deadlines.push({ at: d.at, seq: d.seq, k: 'challenge', c: challenges.indexOf(ref.st) });
      else if (ref.k === 'commitment') deadlines.push({ at: d.at, seq: d.seq, k: 'commitment', c: this.commitments.indexOf(ref.c) });
      else deadlines.push({ at: d.at, seq: d.seq, k: 'inspection', i: ref.i, z: ref.z });
    }
    deadlines.sort((x, y) => x.at - y.at || x.seq - y.seq);
    const snap: MonitorSnapshot = {
      v: 1,
      rules: this.arrangement.rules.map((r) => r.id),
      zones: this.arrangement.zones.map((z) => z.id),
      started: this.started,
      clock: this.clock === -Infinity ? null : this.clock,
      seq: this.seq,
      units,
      inside: sparse(this.insideOf, nz, false),
      contrib: sparse(this.contribOf, this.tallies, true),
      presence: sparse(this.presenceOf, this.presenceRules, false),
      notice: sparse(this.noticeOf, this.noticeRules, true),
      sums: this.tallyList.map((t) => t.sum),
      limits: this.limits.map((l) => l.open),
      commitments: this.commitments.map((c) => c.state),
      inspections: this.inspections.map((i) => i.zones.map((z): [number, boolean] => [z.last, z.open])),
      notifications: [...this.notifications.values()].flat(),
      acks,
      deadlines,
      open: [...this.openFindings.values()],
      separations: this.separations.map((x) => (x.at === -Infinity ? null : x.at)),
    };
    if (challenges.length)
      snap.challenges = challenges.map((st) => ({
        c: st.c,
        rule: st.index,
        open: st.open,
        late: st.late,
        ...(st.refused !== undefined ? { refused: st.refused } : {}),
        ...(st.ref !== NO_REF ? { ref: st.ref } : {}),
      }));
    if (this.seen instanceof IdSet) snap.ids = this.seen.toJSON();
    if (this.judged.size) snap.evidence = [...this.judged].map(([subject, j]) => [subject, j.rule, j.confidence, structuredClone(j.supports)]);
    if (this.refs) {
      snap.basis = {
        clock: this.clockRef,
        units: Array.from(this.refOf.subarray(0, this.unitCount)),
        acks: acks.map(() => [] as number[]),
        commitments: this.commitments.map((c) => c.dueRef),
        inspections: this.inspections.map((i) => i.zones.map((z) => z.lastRef)),
        notifications: [...this.notifications].flatMap(([key, l]) => {
          const refs = this.noteRefs.get(key) ?? [];
          return l.map((_, k) => refs[k] ?? NO_REF);
        }),
      };
      for (const [st, k] of ackAt) snap.basis.acks[k] = st.refs.slice();
    }
    return snap;
  }

  /**
   * An engine that continues from a snapshot, on the arrangement in force when it was
   * taken (extensions included): throws if the rules or zones are not the same.
   * `options.ids` replaces the snapshot's ids (or stands for them, when it has none).
   */
  static restore(arrangement: Arrangement, snap: MonitorSnapshot, options: MonitorOptions = {}): Monitor {
    if (snap.v !== 1) throw new Error(`restore: unknown snapshot version ${String(snap.v)}`);
    const rules = arrangement.rules.map((r) => r.id);
    const zones = arrangement.zones.map((z) => z.id);
    if (rules.join('\0') !== snap.rules.join('\0'))
      throw new Error(`restore: the snapshot was taken under the rules [${snap.rules.join(', ')}], not [${rules.join(', ')}]`);
    if (zones.join('\0') !== snap.zones.join('\0'))
      throw new Error(`restore: the snapshot was taken under the zones [${snap.zones.join(', ')}], not [${zones.join(', ')}]`);
    const ids = options.ids ?? (snap.ids ? IdSet.fromJSON(snap.ids) : new IdSet());
    const m = new Monitor(arrangement, { ids });
    m.started = snap.started;
    m.clock = snap.clock ?? -Infinity;
    for (const [actor, id, time, moving, r] of snap.units) {
      m.units.set(unitKey(actor, id), { slot: m.newSlot(), actorId: actor, id, r, time, moving });
    }
    const nz = m.scratch.length;
    for (let k = 0; k < snap.inside.length; k += 2) m.insideOf[snap.inside[k] * nz + snap.inside[k + 1]] = 1;
    for (let k = 0; k < snap.contrib.length; k += 3) {
      const [slot, t, c] = [snap.contrib[k], snap.contrib[k + 1], snap.contrib[k + 2]];
      m.contribOf[slot * m.tallies + t] = c;
      m.tallyList[t].move(snap.units[slot][1], 0, c);
    }
    snap.sums.forEach((sum, t) => {
      m.tallyList[t].sum = sum;
    });
    for (let k = 0; k < snap.presence.length; k += 2) m.presenceOf[snap.presence[k] * m.presenceRules + snap.presence[k + 1]] = 1;
    for (let k = 0; k < snap.notice.length; k += 3) m.noticeOf[snap.notice[k] * m.noticeRules + snap.notice[k + 1]] = snap.notice[k + 2];
    snap.limits.forEach((open, i) => {
      m.limits[i].open = open;
    });
    snap.commitments.forEach((state, i) => {
      m.commitments[i].state = state;
    });
    snap.inspections.forEach((zs, i) => {
      zs.forEach(([last, open], z) => {
        m.inspections[i].zones[z].last = last;
        m.inspections[i].zones[z].open = open;
      });
    });
    for (const n of snap.notifications) {
      const key = n.actor + '\0' + n.zone;
      let l = m.notifications.get(key);
      if (!l) m.notifications.set(key, (l = []));
      l.push(n);
    }
    const acks = snap.acks.map(
      (a, k): AckState => ({
        rule: arrangement.rules[a.rule] as NoticeRule,
        index: a.rule,
        missing: new Set(a.missing),
        open: a.open,
        n: a.n,
        refs: snap.basis?.acks[k]?.slice() ?? [],
        step: a.step ?? 0,
      }),
    );
    for (const st of acks) {
      let l = m.acks.get(st.n.id);
      if (!l) m.acks.set(st.n.id, (l = []));
      l.push(st);
    }
    const challenges = (snap.challenges ?? []).map(
      (x): ChallengeState => ({
        c: x.c,
        rule: arrangement.rules[x.rule] as InspectionRule,
        index: x.rule,
        open: x.open,
        late: x.late,
        ...(x.refused !== undefined ? { refused: x.refused } : {}),
        ref: x.ref ?? NO_REF,
      }),
    );
    for (const st of challenges) m.challenges.set(st.c.id, st);
    for (const d of snap.deadlines) {
      if (d.k === 'ack') m.scheduleAck(acks[d.a], d.at, d.seq);
      else if (d.k === 'challenge') m.scheduleChallenge(challenges[d.c], d.seq);
      else if (d.k === 'escalate') m.scheduleStep(acks[d.a], d.s, d.seq);
      else if (d.k === 'commitment') m.commitments[d.c].deadline = m.scheduleCommitment(m.commitments[d.c], d.at, d.seq);
      else {
        const i = m.inspections[d.i];
        m.scheduleInspection(i.rule, i.index, i.zones[d.z], d.seq);
      }
    }
    m.seq = snap.seq;
    const b = snap.basis;
    if (b) {
      m.refs = true;
      m.clockRef = b.clock;
      m.refOf.set(b.units);
      b.commitments.forEach((ref, i) => {
        m.commitments[i].dueRef = ref;
      });
      b.inspections.forEach((zs, i) => {
        zs.forEach((ref, z) => {
          m.inspections[i].zones[z].lastRef = ref;
        });
      });
      snap.notifications.forEach((n, k) => {
        const key = n.actor + '\0' + n.zone;
        let l = m.noteRefs.get(key);
        if (!l) m.noteRefs.set(key, (l = []));
        l.push(b.notifications[k]);
      });
    }
    for (const f of snap.open) m.openFindings.set(subjectKey(f), f);
    for (const [subject, rule, confidence, supports] of snap.evidence ?? []) m.judged.set(subject, { rule, confidence, supports: structuredClone(supports) });
    // A watch's pairs are fixed by the moving units' postures and the time they were
    // judged at: given those again, it finds the same pairs in the same states (what
    // it says while doing so is already in the open findings).
    const sep = m.sepChanges;
    snap.separations.forEach((at, k) => {
      const s = m.separations[k];
      if (at === null) return;
      for (const [key, u] of m.units) if (u.r !== null && u.moving) s.watch.update(key, u.r, at, sep);
      s.watch.advance(at, sep);
      s.at = at;
      sep.length = 0;
    });
    return m;
  }

  private start(r: Report): void {
    this.startClocks(r.time, r.id, this.commitments, this.inspections);
  }

  /** Starts commitments that wait on nothing (or on one already fulfilled) and inspection periods. */
  private startClocks(t: number, report: string | undefined, commitments: readonly CommitmentState[], inspections: Monitor['inspections']): void {
    for (const c of commitments) {
      if (c.state !== 'pending') continue;
      const after = c.rule.after === undefined ? undefined : this.commitments.find((d) => d.rule.id === c.rule.after);
      if (after === undefined || after.state === 'fulfilled') this.startCommitment(c, t, report);
    }
    for (const i of inspections) {
      for (const z of i.zones) {
        z.last = t;
        z.lastRef = this.cur;
        this.scheduleInspection(i.rule, i.index, z);
      }
    }
  }

  /**
   * Brings more rules into force at `at` (epoch ms): `amended` is the arrangement in
   * force with rules added after the present ones and the same zones (an announced
   * text). The added rules judge the posture as it stands at `at`, and their clocks
   * (commitments, inspections) start then; a unit already inside a zone does not
   * "enter" it, so notice rules look only at later entries. Evaluation that had not
   * started yet starts at `at`, for every rule.
   */
  extend(amended: Arrangement, at: number): Finding[] {
    const old = this.arrangement;
    const n = old.rules.length;
    if (amended.zones.length !== old.zones.length || amended.zones.some((z, i) => z.id !== old.zones[i].id)) {
      throw new Error('extend: an amended arrangement must keep the zones, in order');
    }
    if (amended.rules.length < n || old.rules.some((r, i) => amended.rules[i].id !== r.id)) {
      throw new Error('extend: an amended arrangement must keep the present rules first');
    }
    if (this.started && at > this.clock) this.passDeadlines(at, false, undefined);
    this.clock = Math.max(this.clock, at);
    this.arrangement = amended;
    const was = {
      tallies: this.tallies,
      presence: this.presenceRules,
      notice: this.noticeRules,
      separations: this.separations.length,
      commitments: this.commitments.length,
      inspections: this.inspections.length,
    };
    for (let i = n; i < amended.rules.length; i++) this.register(amended.rules[i], i);
    // Per-unit arrays hold one value per rule slot; give each unit room for the new slots.
    this.contribOf = restride(this.contribOf, this.unitCount, was.tallies, this.tallies, (k) => new Float64Array(k));
    this.presenceOf = restride(this.presenceOf, this.unitCount, was.presence, this.presenceRules, (k) => new Uint8Array(k));
    this.noticeOf = restride(this.noticeOf, this.unitCount, was.notice, this.noticeRules, (k) => new Uint8Array(k));

    const nz = this.scratch.length;
    const changed = this.changed;
    for (const u of this.units.values()) {
      const r = u.r;
      if (r === null) continue;
      const unit = r.unit;
      const inside = this.insideOf.subarray(u.slot * nz, (u.slot + 1) * nz);
      for (let z = 0; z < nz; z++) {
        if (!inside[z]) continue;
        for (const p of this.presenceByZone[z]) {
          if (p.slot < was.presence || !forbidden(p.rule, r)) continue;
          this.presenceOf[u.slot * this.presenceRules + p.slot] = 1;
          const f = this.base(p.rule, 'violation', 'open', at, undefined);
          f.actor = r.actor;
          f.zone = p.rule.zone;
          f.units = [unit];
          f.category = r.category;
          this.basis(f, [this.refOf[u.slot]]);
          this.emit(at, p.index, f);
        }
        for (const x of this.talliesByZone[z]) {
          if (x.tally.slot < was.tallies) continue;
          const c = x.tally.contribution(r, inside);
          if (x.tally.move(unit, 0, c)) {
            this.contribOf[u.slot * this.tallies + x.tally.slot] = c;
            if (!changed.includes(x.owner)) changed.push(x.owner);
          }
        }
      }
    }
    for (const o of changed) if ('limit' in o) this.checkLimit(o.limit, at, undefined);
    changed.length = 0;
    const sep = this.sepChanges;
    for (const s of this.separations.slice(was.separations)) {
      for (const [key, u] of this.units) if (u.r !== null && u.moving) s.watch.update(key, u.r, this.clock, sep);
      s.watch.advance(this.clock, sep);
      s.at = this.clock;
      if (sep.length) this.separationOut(s.index, sep, at, undefined);
    }
    if (this.started) this.startClocks(at, undefined, this.commitments.slice(was.commitments), this.inspections.slice(was.inspections));
    else {
      this.started = true;
      this.startClocks(at, undefined, this.commitments, this.inspections);
    }
    // As after a report: deadlines falling at the clock pass now, naming no report,
    // rather than at the next report (which may be older and would be named).
    this.passDeadlines(this.clock, true, undefined);
    return this.flush();
  }

  private emit(at: number, rule: number, f: Finding): void {
    this.out.push({ at, rule, subject: subjectKey(f), f });
  }

  /**
   * Sets the finding's basis: these refs and the trigger's (the report being applied),
   * ascending and distinct. Nothing when no report came with a ref.
   */
  private basis(f: Finding, refs: readonly number[], atClock = false): void {
    if (!this.refs) return;
    const out: number[] = [];
    if (this.cur !== NO_REF) out.push(this.cur);
    // Judged at the clock while a report is applied: the report that set the clock counts.
    if (atClock && this.cur !== NO_REF && this.clockRef !== NO_REF) out.push(this.clockRef);
    for (const x of refs) if (x !== NO_REF) out.push(x);
    out.sort((a, b) => a - b);
    let k = 0;
    for (let i = 0; i < out.length; i++) if (i === 0 || out[i] !== out[k - 1]) out[k++] = out[i];
    out.length = k;
    f.basis = out;
  }

  /** The refs behind the postures of this actor's units (by id), for a tally's members. */
  private unitRefs(actor: string, ids: readonly string[]): number[] {
    return ids.map((id) => {
      const u = this.units.get(unitKey(actor, id));
      return u === undefined ? NO_REF : this.refOf[u.slot];
    });
  }

  private flush(): Finding[] {
    if (this.arrangement.evidence !== undefined) this.weigh();
    // Deadlines first by their time; then by rule order in the arrangement; within
    // a rule by subject. The sort is stable, so one subject's transitions keep their order.
    const t = this.out;
    if (t.length === 0) return Monitor.NONE;
    t.sort((a, b) => a.at - b.at || a.rule - b.rule || (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
    const res = t.map((x) => x.f);
    for (const { subject, f } of t) {
      if (f.state === 'open' || f.state === 'due' || f.state === 'overdue') this.openFindings.set(subject, f);
      else this.openFindings.delete(subject);
    }
    t.length = 0;
    return res;
  }

  // ---- evidence ----------------------------------------------------------------

  /** What a finding of rule `index` needs (undefined: confirmed as reported). */
  private needOf(index: number): EvidenceNeed | undefined {
    return evidenceNeed(this.arrangement.evidence, this.arrangement.rules[index]);
  }

  /**
   * Gives each pending transition its confidence, and raises the confidence of open
   * findings the report being applied corroborates: a report on a unit an open finding
   * names, after which that finding is still open, is one more report behind it. A
   * raise is a transition of its own, its state unchanged, naming the report.
   */
  private weigh(): void {
    const r = this.curReport;
    const touched = new Set<string>();
    for (const x of this.out) {
      const f = x.f;
      touched.add(x.subject);
      const need = this.needOf(x.rule);
      if (need === undefined || !judgedByEvidence(f)) {
        setConfidence(f, 'confirmed');
        continue;
      }
      if (f.state !== 'open') {
        setConfidence(f, this.judged.get(x.subject)?.confidence ?? 'confirmed');
        this.judged.delete(x.subject);
        continue;
      }
      const supports: Support[] = [];
      if (r !== undefined && f.report === r.id && r.type !== 'notification' && r.type !== 'ack' && r.type !== 'inspection') {
        supports.push(supportOf(r, this.arrangement, this.cur));
      } else {
        // Opened by no report of its own (an announced text judging the posture): the reports behind its units' postures.
        for (const id of f.units ?? []) {
          const u = f.actor !== undefined ? this.units.get(unitKey(f.actor, id)) : [...this.units.values()].find((v) => v.id === id && v.r !== null);
          if (u?.r) addSupport(supports, supportOf(u.r, this.arrangement, this.refOf[u.slot]));
        }
      }
      const confidence = confidenceOf(need, supports);
      setConfidence(f, confidence);
      this.judged.set(x.subject, { rule: x.rule, confidence, supports });
    }
    if (r === undefined || (r.type !== 'observation' && r.type !== 'track') || r.withdrawn || this.judged.size === 0) return;
    let support: Support | undefined;
    for (const [subject, j] of this.judged) {
      if (touched.has(subject)) continue;
      const f = this.openFindings.get(subject);
      if (f === undefined || !f.units?.includes(r.unit) || (f.actor !== undefined && f.kind !== 'separation' && f.actor !== r.actor)) continue;
      support ??= supportOf(r, this.arrangement, this.cur);
      if (!addSupport(j.supports, support)) continue;
      const confidence = confidenceOf(this.needOf(j.rule)!, j.supports);
      if (confidence === j.confidence) continue;
      const g: Finding = { ...f, time: formatTime(r.time), report: r.id };
      delete g.basis;
      g.confidence = confidence;
      g.confidence_was = j.confidence;
      if (this.refs)
        this.basis(
          g,
          j.supports.map((s) => s.ref),
        );
      j.confidence = confidence;
      this.out.push({ at: r.time, rule: j.rule, subject, f: g });
    }
  }

  private schedule(at: number, ref: DeadlineRef, fire: (report: string | undefined) => void, seq = this.seq++): Deadline {
    const d = { at, seq, ref, fire };
    this.deadlines.push(d);
    return d;
  }

  /** Fires deadlines before `t` (or at `t` too, when inclusive), each naming `report`. */
  private passDeadlines(t: number, inclusive: boolean, report: string | undefined): void {
    for (let d = this.deadlines.peek(); d && (d.at < t || (inclusive && d.at === t)); d = this.deadlines.peek()) {
      this.deadlines.pop();
      d.fire(report);
    }
  }

  private base(rule: Rule, finding: Finding['finding'], state: Finding['state'], at: number, report: string | undefined): Finding {
    const f: Finding = { finding, state, rule: rule.id, kind: rule.kind, time: formatTime(at) };
    if (report !== undefined) f.report = report;
    return f;
  }

  // ---- units ---------------------------------------------------------------

  /** A slot in the per-unit arrays, growing them as needed. */
  private newSlot(): number {
    const slot = this.unitCount++;
    const grow = <T extends Uint8Array | Float64Array>(a: T, per: number, make: (n: number) => T): T => {
      if ((slot + 1) * per <= a.length) return a;
      const b = make(Math.max(64, slot * 2) * per);
      b.set(a);
      return b;
    };
    this.insideOf = grow(this.insideOf, this.scratch.length, (n) => new Uint8Array(n));
    this.contribOf = grow(this.contribOf, this.tallies, (n) => new Float64Array(n));
    this.presenceOf = grow(this.presenceOf, this.presenceRules, (n) => new Uint8Array(n));
    this.noticeOf = grow(this.noticeOf, this.noticeRules, (n) => new Uint8Array(n));
    if (slot >= this.refOf.length) {
      const b = new Float64Array(Math.max(64, slot * 2)).fill(NO_REF);
      b.set(this.refOf);
      this.refOf = b;
    }
    return slot;
  }

  private unitReport(r: UnitReport): void {
    const key = unitKey(r.actor, r.unit);
    let u = this.units.get(key);
    // The posture is the latest report by time; an older one changes nothing,
    // and that holds for a withdrawal too.
    if (u !== undefined && r.time < u.time) return;
    if (u === undefined) {
      u = { slot: this.newSlot(), actorId: r.actor, id: r.unit, r: null, time: r.time, moving: false };
      this.units.set(key, u);
    }
    const prev = u.r;
    this.refOf[u.slot] = this.cur;
    const inside = this.scratch;
    const nz = inside.length;
    const gone = r.withdrawn;
    if (gone) inside.fill(0);
    else this.arrangement.zoneSet.locate(r.lon, r.lat, r.alt, inside);
    const t = r.time;
    const changed = this.changed;
    const insideOf = this.insideOf;
    const io = u.slot * nz;
    // Contributions are written in place; a withdrawn unit's are all back to zero.
    const contrib = this.contribOf;
    const co = u.slot * this.tallies;
    const presenceOf = this.presenceOf;
    const po = u.slot * this.presenceRules;

    for (let z = 0; z < nz; z++) {
      const isIn = inside[z] === 1;
      const wasIn = insideOf[io + z] === 1;
      if (!isIn && !wasIn) continue;
      const presence = this.presenceByZone[z];
      for (let k = 0; k < presence.length; k++) {
        const p = presence[k];
        const was = presenceOf[po + p.slot] === 1;
        const is = !gone && isIn && forbidden(p.rule, r);
        if (was === is) continue;
        const f = this.base(p.rule, 'violation', is ? 'open' : 'closed', t, r.id);
        f.actor = r.actor;
        f.zone = p.rule.zone;
        f.units = [r.unit];
        if (is) f.category = r.category;
        this.basis(f, Monitor.NO_REFS);
        presenceOf[po + p.slot] = is ? 1 : 0;
        this.emit(t, p.index, f);
      }
      const tallies = this.talliesByZone[z];
      for (let k = 0; k < tallies.length; k++) {
        const x = tallies[k];
        const s = co + x.tally.slot;
        const c = gone ? 0 : x.tally.contribution(r, inside);
        if (x.tally.move(r.unit, contrib[s], c)) {
          contrib[s] = c;
          changed.push(x.owner);
        }
      }
      const notices = this.noticeByZone[z];
      for (let k = 0; k < notices.length; k++) this.noticeEntry(notices[k], r, u.slot, prev, isIn, wasIn);
    }
    for (let k = 0; k < changed.length; k++) {
      const o = changed[k];
      if ('limit' in o) this.checkLimit(o.limit, t, r.id);
    }
    u.r = gone ? null : r;
    u.time = t;
    for (let z = 0; z < nz; z++) insideOf[io + z] = inside[z];
    for (let k = 0; k < changed.length; k++) {
      const o = changed[k];
      if ('commitment' in o && o.commitment.state === 'due') this.checkCommitment(o.commitment, t, r.id);
    }
    changed.length = 0;
    // A unit that neither moves nor moved is in no separation watch: nothing to tell them.
    const moving = !gone && r.velocity !== null;
    if (this.separations.length && (moving || u.moving)) {
      const sep = this.sepChanges;
      for (const s of this.separations) {
        // Pairs are judged at the clock; an out-of-order report still carries its own time.
        s.watch.update(key, gone ? null : r, this.clock, sep);
        s.at = this.clock;
        if (sep.length) this.separationOut(s.index, sep, t, r.id);
      }
    }
    u.moving = moving;
  }

  private readonly sepChanges: SeparationChange[] = [];

  private checkLimit(l: LimitState, t: number, report: string | undefined): void {
    const over = l.tally.sum > l.rule.max;
    if (over === l.open) return;
    l.open = over;
    const f = this.base(l.rule, 'violation', over ? 'open' : 'closed', t, report);
    f.actor = l.rule.actor;
    f.zone = l.rule.zone;
    if (over) {
      f.asset = l.rule.asset;
      f.observed = l.tally.sum;
      f.max = l.rule.max;
      f.units = l.tally.units();
    }
    // Open or closed, it rests on the units counted now (none, once all have left).
    if (this.refs) this.basis(f, this.unitRefs(l.rule.actor, f.units ?? l.tally.units()));
    this.emit(t, l.index, f);
  }

  private separationOut(index: number, changes: SeparationChange[], t: number, report: string | undefined): void {
    const rule = this.arrangement.rules[index];
    for (const c of changes) {
      const f = this.base(rule, c.finding, c.state, t, report);
      // The watch holds units by unitKey; a finding names them by id, in the rule's actor order.
      f.units = [unitIdOf(c.units[0]), unitIdOf(c.units[1])];
      if (c.state === 'open') {
        f.cpa_s = c.cpa_s;
        f.cpa_km = c.cpa_km;
        f.cpa_m = c.cpa_m;
      }
      if (this.refs) this.basis(f, [this.refOf[this.units.get(c.units[0])!.slot], this.refOf[this.units.get(c.units[1])!.slot]], true);
      this.emit(t, index, f);
    }
    changes.length = 0;
  }

  // ---- notice ----------------------------------------------------------------

  private readonly notifications = new Map<string, NotificationReport[]>();
  /** the refs of those notifications, in the same order (kept only once refs are given) */
  private readonly noteRefs = new Map<string, number[]>();

  private noticeEntry(n: NoticeState, r: UnitReport, slot: number, prev: UnitReport | null, isIn: boolean, wasIn: boolean): void {
    const rule = n.rule;
    const mine = !r.withdrawn && r.actor === rule.actor && isIn;
    const at = slot * this.noticeRules + n.slot;
    const open = NOTICE_KINDS[this.noticeOf[at]];
    if (open && !mine) {
      this.noticeOf[at] = 0;
      const f = this.base(rule, open, 'closed', r.time, r.id);
      f.actor = rule.actor;
      f.zone = rule.zone;
      f.units = [r.unit];
      this.basis(f, Monitor.NO_REFS);
      this.emit(r.time, n.index, f);
      return;
    }
    if (!mine || (prev !== null && wasIn)) return;
    // An entry: is there a notification that covers it, sent in time?
    let late: NotificationReport | undefined;
    let lateRef = NO_REF;
    const key = rule.actor + '\0' + rule.zone;
    const notes = this.notifications.get(key) ?? [];
    for (let k = 0; k < notes.length; k++) {
      const note = notes[k];
      if (r.time < note.from || r.time > note.to) continue;
      if (note.units && !note.units.includes(r.unit)) continue;
      if (note.time <= note.from - rule.leadMs) return;
      if (!late || note.from - note.time > late.from - late.time) {
        late = note;
        lateRef = this.noteRefs.get(key)?.[k] ?? NO_REF;
      }
    }
    const kind = late ? 'late-notice' : 'unnotified';
    this.noticeOf[at] = late ? 2 : 1;
    const f = this.base(rule, kind, 'open', r.time, r.id);
    f.actor = rule.actor;
    f.zone = rule.zone;
    f.units = [r.unit];
    if (late) {
      f.notification = late.id;
      f.lead_s = Math.round((late.from - late.time) / 100) / 10;
    }
    this.basis(f, [lateRef]);
    this.emit(r.time, n.index, f);
  }

  private notification(r: NotificationReport): void {
    const key = r.actor + '\0' + r.zone;
    let l = this.notifications.get(key);
    if (!l) this.notifications.set(key, (l = []));
    l.push(r);
    if (this.refs) {
      let refs = this.noteRefs.get(key);
      if (!refs) this.noteRefs.set(key, (refs = []));
      // A list begun before refs were given is padded, so that positions match.
      while (refs.length < l.length - 1) refs.push(NO_REF);
      refs.push(this.cur);
    }
    // Each notice rule with an acknowledgement duty for this actor and zone starts its clock.
    for (const a of this.ackRules) {
      if (a.rule.actor !== r.actor || a.rule.zone !== r.zone) continue;
      const required = new Set(this.arrangement.actors.filter((x) => x.id !== r.actor && (x.role === 'party' || x.role === 'mediator')).map((x) => x.id));
      const st: AckState = { rule: a.rule, index: a.index, missing: required, open: false, n: r, refs: [this.cur], step: 0 };
      let l2 = this.acks.get(r.id);
      if (!l2) this.acks.set(r.id, (l2 = []));
      l2.push(st);
      this.scheduleAck(st, r.time + a.rule.ackMs!);
    }
  }

  private scheduleAck(st: AckState, deadline: number, seq?: number): void {
    const r = st.n;
    this.schedule(
      deadline,
      { k: 'ack', st },
      (report) => {
        if (st.missing.size === 0) return;
        st.open = true;
        const f = this.base(st.rule, 'unacknowledged', 'open', deadline, report);
        f.actor = r.actor;
        f.zone = r.zone;
        f.notification = r.id;
        f.missing = [...st.missing].sort();
        this.basis(f, st.refs, true);
        this.emit(deadline, st.index, f);
        if (st.rule.escalation?.length) this.scheduleStep(st, 0);
      },
      seq,
    );
  }

  /**
   * The ladder's rung `k` comes due `after` the ack deadline: while the notice is still
   * unacknowledged it is a transition of the open finding (its state unchanged) naming
   * whom it reaches, and the next rung waits. An acknowledgement that closes the finding
   * leaves the rest of the ladder dead (alive() drops it).
   */
  private scheduleStep(st: AckState, k: number, seq?: number): void {
    const steps = st.rule.escalation!;
    const at = st.n.time + st.rule.ackMs! + steps[k].afterMs;
    this.schedule(
      at,
      { k: 'escalate', st, step: k },
      (report) => {
        if (!st.open || st.missing.size === 0 || st.step !== k) return;
        st.step = k + 1;
        const missing = [...st.missing].sort();
        const f = this.base(st.rule, 'unacknowledged', 'open', at, report);
        f.actor = st.n.actor;
        f.zone = st.n.zone;
        f.notification = st.n.id;
        f.missing = missing;
        f.escalation = { step: k + 1, to: steps[k].to, actors: stepActors(steps[k].to, this.arrangement.actors, missing) };
        this.basis(f, st.refs, true);
        this.emit(at, st.index, f);
        if (k + 1 < steps.length) this.scheduleStep(st, k + 1);
      },
      seq,
    );
  }

  private ack(r: AckReport): void {
    const list = this.acks.get(r.notification);
    if (list === undefined) return;
    for (const st of list) {
      if (!st.missing.delete(r.actor)) continue;
      st.refs.push(this.cur);
      if (st.open && st.missing.size === 0) {
        st.open = false;
        const f = this.base(st.rule, 'unacknowledged', 'closed', r.time, r.id);
        f.actor = st.n.actor;
        f.zone = st.n.zone;
        f.notification = st.n.id;
        this.basis(f, st.refs);
        this.emit(r.time, st.index, f);
      }
    }
    // A duty every actor has met is done with: later acks change nothing, and its
    // deadline (if still to come) finds nobody missing. Forgetting it keeps memory to
    // the duties still open, not every notification ever sent.
    const left = list.filter((st) => st.missing.size > 0);
    if (left.length === 0) this.acks.delete(r.notification);
    else if (left.length < list.length) this.acks.set(r.notification, left);
  }

  // ---- commitments -------------------------------------------------------------

  private startCommitment(c: CommitmentState, t: number, report: string | undefined): void {
    c.state = 'due';
    c.dueRef = this.cur;
    const deadline = c.rule.due ?? t + c.rule.withinMs!;
    const f = this.base(c.rule, 'commitment', 'due', t, report);
    f.actor = c.rule.actor;
    f.deadline = formatTime(deadline);
    this.basis(f, Monitor.NO_REFS);
    this.emit(t, c.index, f);
    c.deadline = this.scheduleCommitment(c, deadline);
    this.checkCommitment(c, t, report);
    // A fixed date already past when the clock starts: overdue now, unless this report fulfilled it.
    if (deadline < t) this.overdue(c, t, report);
  }

  private scheduleCommitment(c: CommitmentState, deadline: number, seq?: number): Deadline {
    return this.schedule(deadline, { k: 'commitment', c }, (rep) => this.overdue(c, deadline, rep), seq);
  }

  private overdue(c: CommitmentState, at: number, report: string | undefined): void {
    if (c.state !== 'due') return;
    c.state = 'overdue';
    const o = this.base(c.rule, 'commitment', 'overdue', at, report);
    o.actor = c.rule.actor;
    this.basis(o, [c.dueRef], true);
    this.emit(at, c.index, o);
  }

  private checkCommitment(c: CommitmentState, t: number, report: string | undefined): void {
    const r = c.rule;
    const holds = r.present ? c.tally.sum >= r.present.min : c.tally.sum === 0;
    if (!holds) return;
    c.state = 'fulfilled';
    const f = this.base(r, 'commitment', 'fulfilled', t, report);
    f.actor = r.actor;
    // It rests on the units counted (none for an absence: an absence has no report).
    if (this.refs) this.basis(f, r.present ? this.unitRefs(r.actor, c.tally.units()) : Monitor.NO_REFS);
    this.emit(t, c.index, f);
    for (const d of this.commitments) if (d.state === 'pending' && d.rule.after === r.id) this.startCommitment(d, t, report);
  }

  // ---- inspections -----------------------------------------------------------

  private scheduleInspection(rule: InspectionRule, index: number, z: InspectionZone, seq?: number): void {
    const at = z.last + rule.everyMs;
    const ii = this.inspections.findIndex((x) => x.index === index);
    const d = this.schedule(
      at,
      { k: 'inspection', i: ii, z: this.inspections[ii].zones.indexOf(z) },
      (report) => {
        if (z.deadline !== d || z.open) return;
        z.open = true;
        const f = this.base(rule, 'inspection-overdue', 'open', at, report);
        f.actor = rule.actor;
        f.zone = z.zone;
        this.basis(f, [z.lastRef], true);
        this.emit(at, index, f);
      },
      seq,
    );
    z.deadline = d;
  }

  private inspection(r: InspectionReport): void {
    for (const i of this.inspections) {
      if (i.rule.actor !== r.source) continue;
      for (const z of i.zones) {
        if (!r.zones.includes(z.zone) || r.time < z.last) continue;
        if (z.open) {
          z.open = false;
          const f = this.base(i.rule, 'inspection-overdue', 'closed', r.time, r.id);
          f.actor = i.rule.actor;
          f.zone = z.zone;
          this.basis(f, Monitor.NO_REFS);
          this.emit(r.time, i.index, f);
        }
        z.last = r.time;
        z.lastRef = this.cur;
        this.scheduleInspection(i.rule, i.index, z);
      }
    }
    if (this.challenges.size === 0) return;
    for (const st of [...this.challenges.values()]) {
      if (st.rule.actor !== r.source || !r.zones.includes(st.c.zone) || r.time < st.c.time) continue;
      // The inspection asked for is made: whatever is still open of the request closes.
      if (st.open) this.challengeOut(st, 'challenge', 'closed', r.time, r.id);
      if (st.late) this.challengeOut(st, 'late-inspection', 'closed', r.time, r.id);
      if (st.refused !== undefined) this.challengeOut(st, 'access-refused', 'closed', r.time, r.id);
      this.challenges.delete(st.c.id);
    }
  }

  // ---- challenge inspections ---------------------------------------------------

  private readonly challenges = new Map<string, ChallengeState>();

  /**
   * A party requests an inspection of a zone (challenge.ts): the request is a finding,
   * open until the observer inspects the zone (or records a refusal of access); the
   * first inspection rule with a challenge duty over the zone sets the deadline, past
   * which the inspection is late. Throws ReportError, changing nothing, when no rule
   * gives such a duty or the id is taken by a request still open.
   */
  challenge(c: ChallengeRequest, ref?: number): Finding[] {
    const i = this.inspections.find((x) => x.rule.challengeWithinMs !== undefined && x.rule.zones.includes(c.zone));
    if (i === undefined) throw new ReportError(`no inspection rule takes challenge requests for zone "${c.zone}"`, 'zone');
    if (this.challenges.has(c.id)) throw new ReportError(`duplicate challenge id "${c.id}"`, 'id');
    return this.atTime(c.time, ref, () => {
      const st: ChallengeState = { c, rule: i.rule, index: i.index, open: true, late: false, ref: this.cur };
      this.challenges.set(c.id, st);
      this.challengeOut(st, 'challenge', 'open', this.clock, undefined);
      this.scheduleChallenge(st);
    });
  }

  /**
   * The observer records that a party refused it access on a request: a finding against
   * that party, open until the zone is inspected; the request closes (the observer cannot
   * be late for an inspection it was refused). Throws ReportError for a request that is
   * not open, an observer not the rule's, or a refusal already open.
   */
  refusal(x: AccessRefusal, ref?: number): Finding[] {
    const st = this.challenges.get(x.challenge);
    if (st === undefined) throw new ReportError(`no open challenge "${x.challenge}"`, 'challenge');
    if (st.rule.actor !== x.source) throw new ReportError(`challenge "${x.challenge}" is ${st.rule.actor}'s to inspect, not ${x.source}'s`, 'source');
    if (st.refused !== undefined) throw new ReportError(`a refusal of access on "${x.challenge}" is already open (${st.refused})`, 'challenge');
    return this.atTime(x.time, ref, () => {
      st.refused = x.by;
      this.challengeOut(st, 'access-refused', 'open', this.clock, x.id);
      if (st.open) {
        st.open = false;
        this.challengeOut(st, 'challenge', 'closed', this.clock, x.id);
      }
    });
  }

  /** A request not done with: whose to inspect, which zone, who asked, and the refusal open on it. */
  challengeOf(id: string): { observer: string; zone: string; by: string; refused?: string } | undefined {
    const st = this.challenges.get(id);
    return st && { observer: st.rule.actor, zone: st.c.zone, by: st.c.by, ...(st.refused !== undefined ? { refused: st.refused } : {}) };
  }

  /** Whether an inspection rule in force takes challenge requests for this zone. */
  takesChallenges(zone: string): boolean {
    return this.inspections.some((x) => x.rule.challengeWithinMs !== undefined && x.rule.zones.includes(zone));
  }

  private scheduleChallenge(st: ChallengeState, seq?: number): void {
    const at = st.c.time + st.rule.challengeWithinMs!;
    this.schedule(
      at,
      { k: 'challenge', st },
      (report) => {
        if (!st.open || st.late || this.challenges.get(st.c.id) !== st) return;
        st.late = true;
        this.challengeOut(st, 'late-inspection', 'open', at, report, true);
      },
      seq,
    );
  }

  private challengeOut(
    st: ChallengeState,
    kind: 'challenge' | 'late-inspection' | 'access-refused',
    state: 'open' | 'closed',
    at: number,
    report: string | undefined,
    atClock = false,
  ): void {
    const f = this.base(st.rule, kind, state, at, report);
    // A refusal is about the party that refused; the request and its deadline, the observer's duty.
    f.actor = kind === 'access-refused' ? st.refused! : st.rule.actor;
    f.zone = st.c.zone;
    f.challenge = st.c.id;
    f.requested_by = st.c.by;
    if (state === 'open' && kind !== 'access-refused') f.deadline = formatTime(st.c.time + st.rule.challengeWithinMs!);
    this.basis(f, [st.ref], atClock);
    this.emit(at, st.index, f);
  }
}

/** Sets a finding's confidence before its basis, which stays last (docs/spec/reports.md). */
function setConfidence(f: Finding, c: Confidence): void {
  const basis = f.basis;
  if (basis !== undefined) delete f.basis;
  f.confidence = c;
  if (basis !== undefined) f.basis = basis;
}

function forbidden(rule: PresenceRule, r: UnitReport): boolean {
  if (rule.actors && !rule.actors.includes(r.actor)) return false;
  if (rule.only && !rule.only.includes(r.actor)) return true;
  if (rule.forbid?.includes(r.actor)) return true;
  if (rule.categories && !rule.categories.includes(r.category)) return true;
  return false;
}

/** Copies per-unit rows of `from` values into rows of `to` values (to ≥ from), zero-filled. */
function restride<T extends Float64Array | Uint8Array>(a: T, units: number, from: number, to: number, make: (n: number) => T): T {
  if (from === to) return a;
  const b = make(Math.max(64, units) * to);
  for (let u = 0; u < units; u++) b.set(a.subarray(u * from, (u + 1) * from), u * to);
  return b;
}
