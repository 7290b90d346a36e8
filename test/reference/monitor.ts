// Reference monitor: a plain, non-incremental reading of docs/spec/arrangement.md,
// docs/spec/reports.md and docs/semantics.md, used to judge the real engine in
// differential property tests. It shares no code with src/. After every report it
// recomputes what should be open and diffs that against what is open: simple rather
// than fast, which is plenty for a few hundred reports.
//
// Readings chosen where the spec and semantics.md leave room (report changes to the lead):
//
//  Clock
//  1. "now" is the latest report time processed so far: the clock never runs back. A
//     report older than that (out of order) is evaluated at the clock, not at its own
//     time (separation extrapolates to the clock; deadlines already passed stay passed);
//     the transitions it causes still carry its own `time` and `id`, as semantics.md says.
//  2. Deadlines strictly before a report's time are "deadline transitions", emitted first.
//     A deadline equal to the report's time is checked after the report is applied and,
//     if it still stands, is one of that report's own transitions (sorted with them by
//     rule order), time = the deadline. A deadline that only comes to exist at a report
//     and is already behind the clock (e.g. an old notification's ack window) is handled
//     the same way, with time = max(deadline, report time).
//  3. At the end, every deadline at or before `until` passes (inclusive), without `report`.
//     Evaluation starts at the first report in input order, whatever its type: inspection
//     periods and commitments without `after` start there.
//  Posture
//  4. A withdrawal is the unit's posture like any other report: a later-arriving report
//     older than the withdrawal changes nothing (it does not bring the unit back).
//  Output
//  5. Order: processing order; within one report, deadline transitions by (deadline time,
//     rule order, subject), then the report's own by (rule order, subject), and for one
//     rule and subject in causal order (a close before the open that replaces it, `due`
//     before `fulfilled`). Subjects: unit id; unit pair as [first, second]; notification
//     id (unacknowledged); zone id (inspection); none (limit, commitment).
//  6. A close names its subject only, like the spec's limit example (presence: actor, zone,
//     units; notice: actor, zone, units; unacknowledged: actor, zone, notification;
//     inspection-overdue: actor, zone; limit: actor, zone; separation/loss: units). A `due`
//     carries its `deadline`. While a finding is open, changes to its numbers or lists emit nothing.
//  7. Times: RFC 3339 UTC, seconds always, ".mmm" only when the milliseconds are not zero.
//  Rules
//  8. presence: forbidden = actor not in `only`, OR actor in `forbid`, OR category not in
//     `categories` (the spec's "or"). The subject stays open across changes of actor or
//     category as long as it stays forbidden.
//  9. notice: an entry is judged by position alone (previous posture outside, withdrawn or
//     none; new one inside); it is checked against the rule only if the new posture's actor
//     is the rule's actor. `units: []` lists no units, so it covers all the actor's units.
//     The best late notification is the one with the largest lead_s = (window.from − sent)
//     in seconds (negative when sent after the window opened); ties: first received.
// 10. ack: acks from actors that are not required (the notifier, observers, guarantors,
//     third parties) are ignored; an ack counts whenever it is received, so one timed
//     before the deadline but received after it closes the finding.
// 11. separation: pairs of two different units; if both sides name the same actor each
//     unordered pair is taken once (first id < second). No `lookahead` means 0 (loss only).
//     With no relative horizontal motion the closest instant is the earliest of the conflict
//     window. For a loss the window is [now, min(end of conflict, now + lookahead)].
//     cpa_m is given whenever both units report altitude, even if the rule has no `m`.
//     A missing velocity component is 0. Zone membership of a track uses its reported
//     position, never an extrapolated one.
// 12. commitment: `present.min` defaults to 1 with or without `asset`. `within` counts
//     from the time of the report that starts the clock, and the condition is first
//     checked after that report is applied (its own units count, e.g. for `absent`).
//     A fixed `due` already passed when the clock starts is checked after that report
//     (so it can still be fulfilled by it), else `overdue` at that report, after `due`.
//     Chains (`after`) resolve within one report.
// 13. inspection: the period restarts at max(current period start, inspection time).
// 14. zones: a polygon's boundary, holes' boundaries included, is inside; a multipolygon is
//     the union of its polygons; band distances and `altitude_m` are inclusive; a point
//     level with its nearest line point (or on the line) is on both sides; left/right
//     follow the line's direction as written (for a zone edge, each ring as written);
//     `minus` zones are subtracted with their own altitude ranges applied.
// 15. durations: Y and M are calendar units on the UTC date, clamped to the month's end;
//     W = 7 days; D = 24 hours.

import type { Note } from './geometry.ts';
import { separationAt } from './separation.ts';
import { addDuration, formatTime, parseTime } from './time.ts';
import type { CommitmentRule, InspectionRule, LimitRule, NoticeRule, PresenceRule, RefArrangement, RefReport, RefRule, SeparationRule } from './types.ts';
import { Zones } from './zones.ts';

export type { RefArrangement, RefReport } from './types.ts';

type Fields = Record<string, unknown>;

/** One transition waiting to be ordered: sort keys, then the object as it will be output. */
interface Staged {
  rule: number;
  subject: string;
  seq: number;
  out: Fields;
}

interface AckDuty {
  notification: RefReport;
  deadline: number;
  state: 'pending' | 'open' | 'done';
  open?: Fields; // the fields of the open finding, repeated on close
}

interface CommitmentState {
  state: 'pending' | 'due' | 'fulfilled' | 'overdue';
  deadline: number;
}

interface InspectionState {
  start: number;
  open: boolean;
}

const pairSubject = (a: string, b: string): string => `${a}\u0000${b}`; // \0 sorts first: tuple order

class Reference {
  private readonly zones: Zones;
  private readonly rules: RefRule[];
  private readonly ruleIndex = new Map<string, number>();
  private readonly roles = new Map<string, string>();
  private readonly note: Note | undefined;

  private readonly posture = new Map<string, RefReport>();
  private clock = -Infinity;
  private started = false;
  private readonly notifications: RefReport[] = [];
  private readonly acked = new Map<string, Set<string>>(); // notification id → actors that acked

  private readonly presenceOpen = new Map<number, Map<string, Fields>>();
  private readonly limitOpen = new Set<number>();
  private readonly noticeOpen = new Map<number, Map<string, { finding: string; fields: Fields }>>();
  private readonly ackDuties = new Map<number, Map<string, AckDuty>>();
  private readonly separationOpen = new Map<number, Map<string, { finding: string; units: [string, string] }>>();
  private readonly commitments = new Map<number, CommitmentState>();
  private readonly inspections = new Map<number, Map<string, InspectionState>>();

  readonly out: Fields[] = [];
  private seq = 0;

  constructor(doc: RefArrangement, note?: Note) {
    this.zones = new Zones(doc);
    this.rules = doc.rules;
    this.note = note;
    doc.rules.forEach((r, i) => this.ruleIndex.set(r.id, i));
    for (const a of doc.actors) this.roles.set(a.id, a.role);
    doc.rules.forEach((r, i) => {
      if (r.kind === 'presence') this.presenceOpen.set(i, new Map());
      if (r.kind === 'notice') {
        this.noticeOpen.set(i, new Map());
        this.ackDuties.set(i, new Map());
      }
      if (r.kind === 'separation') this.separationOpen.set(i, new Map());
      if (r.kind === 'commitment') this.commitments.set(i, { state: 'pending', deadline: Infinity });
      if (r.kind === 'inspection') this.inspections.set(i, new Map());
    });
  }

  // ------------------------------------------------------------ driving

  report(r: RefReport): void {
    const t = parseTime(r.time);
    this.passDeadlines((d) => d < t, r.id);
    const now = Math.max(this.clock, t);
    this.clock = now;
    if (!this.started) {
      // Evaluation starts at the first report: inspection periods begin here.
      this.started = true;
      for (const [i, zones] of this.inspections) {
        for (const z of (this.rules[i] as InspectionRule).zones) zones.set(z, { start: t, open: false });
      }
    }

    // Apply the report to what the monitor knows.
    let moved: { unit: string; before: RefReport | undefined; after: RefReport } | undefined;
    if (r.type === 'observation' || r.type === 'track') {
      const unit = r.unit as string;
      const before = this.posture.get(unit);
      // Latest by report time; on a tie the later input wins; an older report changes nothing.
      if (!before || parseTime(before.time) <= t) {
        this.posture.set(unit, r);
        moved = { unit, before, after: r };
      }
    } else if (r.type === 'notification') {
      this.notifications.push(r);
    } else if (r.type === 'ack') {
      const set = this.acked.get(r.notification as string) ?? new Set<string>();
      set.add(r.actor as string);
      this.acked.set(r.notification as string, set);
    }

    const staged: Staged[] = [];
    const stage = (rule: number, subject: string, out: Fields): void => {
      staged.push({ rule, subject, seq: this.seq++, out });
    };
    this.rules.forEach((rule, i) => {
      switch (rule.kind) {
        case 'presence':
          return this.presence(i, rule, r, t, stage);
        case 'limit':
          return this.limit(i, rule, r, t, stage);
        case 'notice':
          return this.notice(i, rule, r, t, now, moved, stage);
        case 'separation':
          return this.separation(i, rule, r, t, now, stage);
        case 'inspection':
          return this.inspection(i, rule, r, t, now, stage);
        case 'commitment':
          return; // below, all together: one may start another within the same report
      }
    });
    this.commitmentsAt(r, t, now, stage);
    staged.sort((a, b) => a.rule - b.rule || cmp(a.subject, b.subject) || a.seq - b.seq);
    for (const s of staged) this.out.push(s.out);
  }

  end(until: number): void {
    this.passDeadlines((d) => d <= until, undefined);
  }

  /**
   * Passes every pending deadline that `due(d)` accepts, earliest first; the ones sharing
   * a time go in rule order, then subject. None of them creates another deadline.
   */
  private passDeadlines(due: (d: number) => boolean, reportId: string | undefined): void {
    for (;;) {
      const batch: { at: number; rule: number; subject: string; fire: () => Fields | undefined }[] = [];
      for (const [i, duties] of this.ackDuties) {
        for (const [nid, duty] of duties) {
          if (duty.state === 'pending' && due(duty.deadline)) {
            batch.push({ at: duty.deadline, rule: i, subject: nid, fire: () => this.ackDeadline(i, duty, duty.deadline, reportId) });
          }
        }
      }
      for (const [i, c] of this.commitments) {
        if (c.state === 'due' && due(c.deadline)) {
          batch.push({
            at: c.deadline,
            rule: i,
            subject: '',
            fire: () => {
              // The condition was checked after the last report and the posture has not
              // changed since, so it still does not hold.
              c.state = 'overdue';
              return this.transition('commitment', 'overdue', i, c.deadline, reportId, {
                actor: (this.rules[i] as CommitmentRule).actor,
              });
            },
          });
        }
      }
      for (const [i, zones] of this.inspections) {
        const rule = this.rules[i] as InspectionRule;
        for (const [z, st] of zones) {
          const d = addDuration(st.start, rule.every);
          if (!st.open && due(d)) {
            batch.push({
              at: d,
              rule: i,
              subject: z,
              fire: () => {
                st.open = true;
                return this.transition('inspection-overdue', 'open', i, d, reportId, { actor: rule.actor, zone: z });
              },
            });
          }
        }
      }
      if (batch.length === 0) return;
      const first = Math.min(...batch.map((b) => b.at));
      const now = batch.filter((b) => b.at === first).sort((a, b) => a.rule - b.rule || cmp(a.subject, b.subject));
      for (const b of now) {
        const out = b.fire();
        if (out) this.out.push(out);
      }
    }
  }

  // ------------------------------------------------------------ helpers

  private transition(finding: string, state: string, ruleIdx: number, time: number, reportId: string | undefined, extra: Fields): Fields {
    const rule = this.rules[ruleIdx];
    const out: Fields = { finding, state, rule: rule.id, kind: rule.kind, time: formatTime(time) };
    if (reportId !== undefined) out.report = reportId;
    return Object.assign(out, extra);
  }

  /** Units that are there: a posture that is not a withdrawal. */
  private *present(): Generator<[string, RefReport]> {
    for (const [u, p] of this.posture) if (p.status !== 'withdrawn') yield [u, p];
  }

  private inZone(zone: string, p: RefReport | undefined): boolean {
    if (!p || p.status === 'withdrawn') return false;
    return this.zones.contains(zone, p.position, p.altitude_m, this.note);
  }

  // ------------------------------------------------------------ rules

  private presence(i: number, rule: PresenceRule, r: RefReport, t: number, stage: StageFn): void {
    const open = this.presenceOpen.get(i) as Map<string, Fields>;
    const should = new Map<string, Fields>();
    for (const [u, p] of this.present()) {
      if (!this.inZone(rule.zone, p)) continue;
      const actor = p.actor as string;
      const category = p.category ?? 'army';
      const forbidden =
        (rule.only !== undefined && !rule.only.includes(actor)) ||
        rule.forbid?.includes(actor) ||
        (rule.categories !== undefined && !rule.categories.includes(category));
      if (forbidden) should.set(u, { actor, zone: rule.zone, units: [u], category });
    }
    for (const [u, f] of open) {
      if (!should.has(u)) {
        stage(i, u, this.transition('violation', 'closed', i, t, r.id, closing(f)));
        open.delete(u);
      }
    }
    for (const [u, f] of should) {
      if (!open.has(u)) {
        stage(i, u, this.transition('violation', 'open', i, t, r.id, f));
        open.set(u, f);
      }
    }
  }

  private limit(i: number, rule: LimitRule, r: RefReport, t: number, stage: StageFn): void {
    let observed = 0;
    const units: string[] = [];
    for (const [u, p] of this.present()) {
      if (p.actor !== rule.actor || !this.inZone(rule.zone, p)) continue;
      const amount = matchingHolding(p, rule.asset, rule.where);
      observed += amount;
      if (amount > 0) units.push(u);
    }
    const violated = observed > rule.max;
    if (violated && !this.limitOpen.has(i)) {
      this.limitOpen.add(i);
      stage(
        i,
        '',
        this.transition('violation', 'open', i, t, r.id, {
          actor: rule.actor,
          zone: rule.zone,
          asset: rule.asset,
          observed,
          max: rule.max,
          units: units.sort(cmp),
        }),
      );
    } else if (!violated && this.limitOpen.has(i)) {
      this.limitOpen.delete(i);
      stage(i, '', this.transition('violation', 'closed', i, t, r.id, { actor: rule.actor, zone: rule.zone }));
    }
  }

  private notice(
    i: number,
    rule: NoticeRule,
    r: RefReport,
    t: number,
    now: number,
    moved: { unit: string; before: RefReport | undefined; after: RefReport } | undefined,
    stage: StageFn,
  ): void {
    const open = this.noticeOpen.get(i) as Map<string, { finding: string; fields: Fields }>;
    // An open unnotified / late-notice stays open until the unit leaves (or is withdrawn).
    for (const [u, f] of open) {
      if (!this.inZone(rule.zone, this.posture.get(u))) {
        stage(i, u, this.transition(f.finding, 'closed', i, t, r.id, closing(f.fields)));
        open.delete(u);
      }
    }
    if (moved && moved.after.actor === rule.actor && !open.has(moved.unit)) {
      const entered = !this.inZone(rule.zone, moved.before) && this.inZone(rule.zone, moved.after);
      if (entered) this.judgeEntry(i, rule, moved.unit, parseTime(moved.after.time), r, t, stage);
    }

    if (rule.ack === undefined) return;
    const duties = this.ackDuties.get(i) as Map<string, AckDuty>;
    if (r.type === 'notification' && r.actor === rule.actor && r.zone === rule.zone) {
      duties.set(r.id, { notification: r, deadline: addDuration(parseTime(r.time), rule.ack), state: 'pending' });
    }
    for (const [nid, duty] of duties) {
      if (duty.state === 'open' && this.missingAcks(duty.notification).length === 0) {
        duty.state = 'done';
        stage(i, nid, this.transition('unacknowledged', 'closed', i, t, r.id, closing(duty.open as Fields)));
      } else if (duty.state === 'pending' && duty.deadline <= now) {
        const out = this.ackDeadline(i, duty, Math.max(duty.deadline, t), r.id);
        if (out) stage(i, nid, out);
      }
    }
  }

  private judgeEntry(i: number, rule: NoticeRule, unit: string, entry: number, r: RefReport, t: number, stage: StageFn): void {
    const open = this.noticeOpen.get(i) as Map<string, { finding: string; fields: Fields }>;
    const covering = this.notifications.filter((n) => {
      if (n.actor !== rule.actor || n.zone !== rule.zone || !n.window) return false;
      if (entry < parseTime(n.window.from) || entry > parseTime(n.window.to)) return false;
      return n.units === undefined || n.units.length === 0 || n.units.includes(unit);
    });
    const inTime = covering.some((n) => parseTime(n.time) <= addDuration(parseTime(n.window!.from), rule.lead, -1));
    if (inTime) return;
    let fields: Fields;
    let finding: string;
    if (covering.length > 0) {
      let best = covering[0];
      const lead = (n: RefReport): number => (parseTime(n.window!.from) - parseTime(n.time)) / 1000;
      for (const n of covering) if (lead(n) > lead(best)) best = n;
      finding = 'late-notice';
      fields = { actor: rule.actor, zone: rule.zone, units: [unit], notification: best.id, lead_s: lead(best) };
    } else {
      finding = 'unnotified';
      fields = { actor: rule.actor, zone: rule.zone, units: [unit] };
    }
    open.set(unit, { finding, fields });
    stage(i, unit, this.transition(finding, 'open', i, t, r.id, fields));
  }

  /** Every party and mediator other than the notifier that has not acked, sorted. */
  private missingAcks(n: RefReport): string[] {
    const got = this.acked.get(n.id) ?? new Set<string>();
    const missing: string[] = [];
    for (const [actor, role] of this.roles) {
      if ((role === 'party' || role === 'mediator') && actor !== n.actor && !got.has(actor)) missing.push(actor);
    }
    return missing.sort(cmp);
  }

  private ackDeadline(i: number, duty: AckDuty, time: number, reportId: string | undefined): Fields | undefined {
    const missing = this.missingAcks(duty.notification);
    if (missing.length === 0) {
      duty.state = 'done';
      return undefined;
    }
    const rule = this.rules[i] as NoticeRule;
    duty.state = 'open';
    duty.open = { actor: rule.actor, zone: rule.zone, notification: duty.notification.id, missing };
    return this.transition('unacknowledged', 'open', i, time, reportId, duty.open);
  }

  private separation(i: number, rule: SeparationRule, r: RefReport, t: number, now: number, stage: StageFn): void {
    const open = this.separationOpen.get(i) as Map<string, { finding: string; units: [string, string] }>;
    const lookaheadS = rule.lookahead === undefined ? 0 : (addDuration(now, rule.lookahead) - now) / 1000;
    const moving = [...this.present()].filter(([, p]) => p.velocity !== undefined && p.position !== undefined);
    const firsts = moving.filter(([, p]) => p.actor === rule.between[0]);
    const seconds = moving.filter(([, p]) => p.actor === rule.between[1]);
    const should = new Map<string, { finding: string; units: [string, string]; fields: Fields }>();
    for (const [ua, pa] of firsts) {
      for (const [ub, pb] of seconds) {
        if (ua === ub) continue;
        if (rule.between[0] === rule.between[1] && !(ua < ub)) continue;
        const c = separationAt(pa, pb, now, rule.km, rule.m, lookaheadS, this.note);
        if (c.state === 'none') continue;
        should.set(pairSubject(ua, ub), {
          finding: c.state,
          units: [ua, ub],
          fields: { units: [ua, ub], cpa_s: c.cpa_s, cpa_km: c.cpa_km, cpa_m: c.cpa_m },
        });
      }
    }
    for (const [key, o] of open) {
      const s = should.get(key);
      if (!s || s.finding !== o.finding) {
        stage(i, key, this.transition(o.finding, 'closed', i, t, r.id, { units: o.units }));
        open.delete(key);
      }
    }
    for (const [key, s] of should) {
      if (!open.has(key)) {
        stage(i, key, this.transition(s.finding, 'open', i, t, r.id, s.fields));
        open.set(key, { finding: s.finding, units: s.units });
      }
    }
  }

  private inspection(i: number, rule: InspectionRule, r: RefReport, t: number, now: number, stage: StageFn): void {
    const zones = this.inspections.get(i) as Map<string, InspectionState>;
    for (const [z, st] of zones) {
      if (r.type === 'inspection' && r.source === rule.actor && (r.zones ?? []).includes(z)) {
        if (st.open) {
          st.open = false;
          stage(i, z, this.transition('inspection-overdue', 'closed', i, t, r.id, { actor: rule.actor, zone: z }));
        }
        st.start = Math.max(st.start, t);
      }
      const d = addDuration(st.start, rule.every);
      if (!st.open && d <= now) {
        st.open = true;
        stage(i, z, this.transition('inspection-overdue', 'open', i, Math.max(d, t), r.id, { actor: rule.actor, zone: z }));
      }
    }
  }

  private commitmentsAt(r: RefReport, t: number, now: number, stage: StageFn): void {
    for (let progress = true; progress; ) {
      progress = false;
      for (const [i, c] of this.commitments) {
        const rule = this.rules[i] as CommitmentRule;
        if (c.state === 'pending') {
          const after = rule.after === undefined ? undefined : this.commitments.get(this.ruleIndex.get(rule.after) as number);
          if (after === undefined || after.state === 'fulfilled') {
            c.state = 'due';
            if (rule.due !== undefined) c.deadline = parseTime(rule.due);
            else if (rule.within !== undefined) c.deadline = addDuration(t, rule.within);
            else throw new Error(`reference: commitment ${rule.id} has neither due nor within`);
            stage(i, '', this.transition('commitment', 'due', i, t, r.id, { actor: rule.actor, deadline: formatTime(c.deadline) }));
            progress = true;
          }
        }
        if (c.state === 'due') {
          if (this.commitmentHolds(rule)) {
            c.state = 'fulfilled';
            stage(i, '', this.transition('commitment', 'fulfilled', i, t, r.id, { actor: rule.actor }));
            progress = true;
          } else if (c.deadline <= now) {
            c.state = 'overdue';
            stage(i, '', this.transition('commitment', 'overdue', i, Math.max(c.deadline, t), r.id, { actor: rule.actor }));
            progress = true;
          }
        }
      }
    }
  }

  private commitmentHolds(rule: CommitmentRule): boolean {
    if (rule.present) {
      const { zone, asset, min = 1 } = rule.present;
      let total = 0;
      for (const [, p] of this.present()) {
        if (p.actor !== rule.actor || !this.inZone(zone, p)) continue;
        total += asset === undefined ? 1 : (p.holdings?.[asset] ?? 0);
      }
      return total >= min;
    }
    if (rule.absent) {
      const { zone, asset } = rule.absent;
      for (const [, p] of this.present()) {
        if (p.actor !== rule.actor || !this.inZone(zone, p)) continue;
        if (asset === undefined || (p.holdings?.[asset] ?? 0) > 0) return false;
      }
      return true;
    }
    throw new Error(`reference: commitment ${rule.id} has neither present nor absent`);
  }
}

type StageFn = (rule: number, subject: string, out: Fields) => void;

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The unit's holding of `asset`, or 0 when its attrs for that asset do not pass every `where` test. */
function matchingHolding(p: RefReport, asset: string, where: LimitRule['where']): number {
  const amount = p.holdings?.[asset] ?? 0;
  if (!where) return amount;
  const attrs = p.attrs?.[asset];
  for (const [key, test] of Object.entries(where)) {
    const v = attrs?.[key];
    if (v === undefined) return 0;
    if (test.eq !== undefined && v !== test.eq) return 0;
    if (typeof v !== 'number') {
      if (test.gt !== undefined || test.gte !== undefined || test.lt !== undefined || test.lte !== undefined) return 0;
      continue;
    }
    if (test.gt !== undefined && !(v > test.gt)) return 0;
    if (test.gte !== undefined && !(v >= test.gte)) return 0;
    if (test.lt !== undefined && !(v < test.lt)) return 0;
    if (test.lte !== undefined && !(v <= test.lte)) return 0;
  }
  return amount;
}

function run(doc: RefArrangement, reports: object[], until: number, note?: Note): Fields[] {
  const ref = new Reference(doc, note);
  for (const r of reports) ref.report(r as RefReport);
  ref.end(until);
  return ref.out;
}

/**
 * The finding transitions (reports.md's NDJSON objects, in order) that `reports`
 * (parsed, valid, in input order) produce under `doc` (valid, geometry inline), with
 * deadlines passed up to `until` (epoch ms) at the end.
 */
export function referenceCheck(doc: RefArrangement, reports: object[], until: number): object[] {
  return run(doc, reports, until);
}

/**
 * The evaluations in this case that sit too close to a threshold for two correct
 * implementations (within 0.1% of great-circle distance, with their own frames for
 * extrapolation) to be sure to agree: points within 1e-6° of polygon edges, within
 * 0.5% of band limits or nearly level with the line for a side, unit pairs near the
 * separation minima. Empty means the case is fair to judge an engine by.
 */
export function referenceAmbiguities(doc: RefArrangement, reports: object[], until: number): string[] {
  const notes = new Set<string>();
  run(doc, reports, until, (m) => notes.add(m));
  return [...notes];
}

/**
 * A close names its subject only, as the spec's limit example does: the details
 * of the open (category, the late notification and its lead, the missing acks)
 * are not repeated.
 */
function closing(f: Fields): Fields {
  const { category: _c, notification: _n, lead_s: _l, missing: _m, ...rest } = f as Record<string, unknown>;
  if ((f as Record<string, unknown>).missing !== undefined) return { ...rest, notification: _n } as Fields;
  return rest as Fields;
}
