// The engine's move to an amended arrangement (a round's announced text), without a
// restart. Rules the amendment leaves as they were keep their state (open findings,
// commitments' progress, inspection periods, acknowledgement duties); findings open
// under a rule it retires or changes close, saying why; the new and changed rules judge
// the posture as it stands at the moment of the switch (Monitor.extend), and their clocks
// start then.
//
// It works on the engine's snapshot: the kept rules' part of it is restored on an
// arrangement of those rules alone, which is then extended by the others. When zones or
// lines change, insideness is judged again on the new geometry: each unit's latest report
// is applied again, and the kept rules' part is carried over onto that posture. A rule
// is kept only if it and the geometry of every zone it names (a band's line or zone, the
// zones cut out of it, followed through) are unchanged; one whose zone changed starts
// afresh at the switch, its open finding (or due commitment) closing with the reason
// saying which zone changed. A withdrawal whose own zone is untouched keeps its due time.

import { sortedJson } from '../arrangement/sorted-json.ts';
import { type Arrangement, compileArrangement } from '../arrangement/compile.ts';
import type { Rule } from '../arrangement/types.ts';
import { formatTime } from '../arrangement/time.ts';
import { Monitor } from './engine.ts';
import type { Finding } from './findings.ts';
import { IdSet } from './id-set.ts';
import type { MonitorSnapshot, SnapshotDeadline } from './snapshot.ts';

export interface Switched {
  monitor: Monitor;
  /** closes of findings under retired or changed rules, then what the new rules find */
  findings: Finding[];
  /** the arrangement the engine runs: `next` with the kept rules first, in their old order */
  arrangement: Arrangement;
}

/** A finding closed by an amendment says so. */
export type SupersededFinding = Finding & { reason: string };

export function switchArrangement(old: Monitor, next: Arrangement, at: number, reason: string): Switched {
  const before = old.arrangement;
  const zonesSame = sortedJson(before.zones) === sortedJson(next.zones) && sortedJson(before.lines ?? null) === sortedJson(next.lines ?? null);
  const moved = zonesSame ? new Set<string>() : movedZones(before, next);
  const why = new Map<string, string>();
  const kept = keptRules(before.rules, next.rules, moved, why);
  const keptList = before.rules.filter((r) => kept.has(r.id));
  const ordered = compileArrangement({ ...next, rules: [...keptList, ...next.rules.filter((r) => !kept.has(r.id))] });
  if (kept.size === before.rules.length && zonesSame) {
    // Nothing retired or changed: the rules are only added to.
    return { monitor: old, findings: old.extend(ordered, at), arrangement: ordered };
  }
  const snap = old.snapshot();
  const closes: Finding[] = snap.open
    .filter((f) => !kept.has(f.rule))
    .map(
      (f): SupersededFinding => ({
        ...f,
        state: 'closed',
        time: formatTime(Math.max(at, snap.clock ?? at)),
        reason: why.has(f.rule) ? `${reason} (${why.get(f.rule)})` : reason,
      }),
    );
  const base = compileArrangement({ ...next, rules: keptList });
  const part = keptPart(snap, before.rules, kept);
  const monitor = Monitor.restore(base, zonesSame ? part : carried(part, reseeded(snap, base)));
  return { monitor, findings: [...closes, ...monitor.extend(ordered, at)], arrangement: ordered };
}

/** The zones of `before` whose geometry is not the same in `next` (or which it no longer has). */
function movedZones(before: Arrangement, next: Arrangement): Set<string> {
  const a = geometryKeys(before);
  const b = geometryKeys(next);
  return new Set([...a.keys()].filter((id) => a.get(id) !== b.get(id)));
}

/**
 * Each zone's geometry as a string that differs when any of it does: its own shape and
 * altitude, the line or zone a band is drawn from, the zones cut out of it, followed
 * through (names and notes left out: they move nothing).
 */
function geometryKeys(arr: Arrangement): Map<string, string> {
  const zones = new Map(arr.zones.map((z) => [z.id, z]));
  const lines = new Map((arr.lines ?? []).map((l) => [l.id, sortedJson(l.paths)]));
  const out = new Map<string, string>();
  const key = (id: string, seen: ReadonlySet<string>): string => {
    const done = out.get(id);
    if (done !== undefined) return done;
    const z = zones.get(id);
    if (!z || seen.has(id)) return `?${id}`;
    const inner = new Set(seen).add(id);
    const shape = z.shape;
    const of = shape.kind === 'band' ? (shape.ofKind === 'line' ? `line:${lines.get(shape.of) ?? '?'}` : `zone:${key(shape.of, inner)}`) : null;
    const k = sortedJson({ shape, of, altitude: z.altitude ?? null, minus: z.minus.map((m) => key(m, inner)) });
    out.set(id, k);
    return k;
  };
  for (const z of arr.zones) key(z.id, new Set());
  return out;
}

/** The zones a rule judges by. */
function zonesOf(r: Rule): string[] {
  switch (r.kind) {
    case 'presence':
    case 'limit':
    case 'notice':
      return [r.zone];
    case 'commitment':
      return [r.present?.zone, r.absent?.zone].filter((z): z is string => z !== undefined);
    case 'inspection':
      return r.zones;
    case 'separation':
      return [];
  }
}

/**
 * Rules of `next` that are those of `before` unchanged, judge by no zone whose geometry
 * moved, and wait on no rule that is not kept. `why` says, of a rule left as it was that
 * starts again all the same, why it does.
 */
function keptRules(before: readonly Rule[], next: readonly Rule[], moved: ReadonlySet<string>, why: Map<string, string>): Set<string> {
  const nextById = new Map(next.map((r) => [r.id, sortedJson(r)]));
  const kept = new Set<string>();
  for (const r of before) {
    if (nextById.get(r.id) !== sortedJson(r)) continue;
    const zone = zonesOf(r).find((z) => moved.has(z));
    if (zone === undefined) kept.add(r.id);
    else why.set(r.id, `zone ${zone} changed: it starts again`);
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of before) {
      const after = r.kind === 'commitment' ? r.after : undefined;
      if (kept.has(r.id) && after !== undefined && !kept.has(after)) {
        kept.delete(r.id);
        why.set(r.id, `it follows ${after}, which starts again`);
        changed = true;
      }
    }
  }
  return kept;
}

/** The snapshot's part that belongs to the kept rules, renumbered as an engine of those rules alone numbers it. */
function keptPart(s: MonitorSnapshot, rules: readonly Rule[], kept: ReadonlySet<string>): MonitorSnapshot {
  // Each per-kind list in the engine is in rule order: a rule's old place in its list, and whether it stays.
  const lists = { presence: [] as boolean[], notice: [] as boolean[], tally: [] as boolean[], limit: [] as boolean[] };
  const more = { commitment: [] as boolean[], inspection: [] as boolean[], separation: [] as boolean[] };
  const ruleIndex = new Map<number, number>();
  rules.forEach((r, i) => {
    const k = kept.has(r.id);
    if (k) ruleIndex.set(i, ruleIndex.size);
    if (r.kind === 'presence') lists.presence.push(k);
    if (r.kind === 'notice') lists.notice.push(k);
    if (r.kind === 'limit' || r.kind === 'commitment') lists.tally.push(k);
    if (r.kind === 'limit') lists.limit.push(k);
    if (r.kind === 'commitment') more.commitment.push(k);
    if (r.kind === 'inspection') more.inspection.push(k);
    if (r.kind === 'separation') more.separation.push(k);
  });
  const renumber = (keep: boolean[]) => {
    const m = new Map<number, number>();
    keep.forEach((k, i) => k && m.set(i, m.size));
    return m;
  };
  const presence = renumber(lists.presence);
  const notice = renumber(lists.notice);
  const tally = renumber(lists.tally);
  const commitment = renumber(more.commitment);
  const inspection = renumber(more.inspection);
  const pick = <T>(xs: readonly T[], keep: boolean[]) => xs.filter((_, i) => keep[i]);
  const triples = (flat: number[], per: number, map: Map<number, number>) => {
    const out: number[] = [];
    for (let k = 0; k < flat.length; k += per) {
      const to = map.get(flat[k + 1]);
      if (to !== undefined) out.push(flat[k], to, ...flat.slice(k + 2, k + per));
    }
    return out;
  };
  const ackKeep = s.acks.map((a) => ruleIndex.has(a.rule));
  const ack = renumber(ackKeep);
  const challengeKeep = (s.challenges ?? []).map((x) => ruleIndex.has(x.rule));
  const challenge = renumber(challengeKeep);
  const deadlines: SnapshotDeadline[] = [];
  for (const d of s.deadlines) {
    if (d.k === 'ack' && ack.has(d.a)) deadlines.push({ ...d, a: ack.get(d.a)! });
    else if (d.k === 'escalate' && ack.has(d.a)) deadlines.push({ ...d, a: ack.get(d.a)! });
    else if (d.k === 'challenge' && challenge.has(d.c)) deadlines.push({ ...d, c: challenge.get(d.c)! });
    else if (d.k === 'commitment' && commitment.has(d.c)) deadlines.push({ ...d, c: commitment.get(d.c)! });
    else if (d.k === 'inspection' && inspection.has(d.i)) deadlines.push({ ...d, i: inspection.get(d.i)! });
  }
  const out: MonitorSnapshot = {
    ...s,
    rules: rules.filter((r) => kept.has(r.id)).map((r) => r.id),
    contrib: triples(s.contrib, 3, tally),
    presence: triples(s.presence, 2, presence),
    notice: triples(s.notice, 3, notice),
    sums: pick(s.sums, lists.tally),
    limits: pick(s.limits, lists.limit),
    commitments: pick(s.commitments, more.commitment),
    inspections: pick(s.inspections, more.inspection),
    acks: pick(s.acks, ackKeep).map((a) => ({ ...a, rule: ruleIndex.get(a.rule)! })),
    deadlines,
    open: s.open.filter((f) => kept.has(f.rule)),
    separations: pick(s.separations, more.separation),
  };
  // Challenge requests and the evidence judged name rules by their index among all the rules.
  if (s.challenges) out.challenges = pick(s.challenges, challengeKeep).map((x) => ({ ...x, rule: ruleIndex.get(x.rule)! }));
  if (s.evidence)
    out.evidence = s.evidence
      .filter(([, rule]) => ruleIndex.has(rule))
      .map(([subject, rule, confidence, supports]) => [subject, ruleIndex.get(rule)!, confidence, supports]);
  if (s.basis) {
    out.basis = {
      ...s.basis,
      acks: pick(s.basis.acks, ackKeep),
      commitments: pick(s.basis.commitments, more.commitment),
      inspections: pick(s.basis.inspections, more.inspection),
    };
  }
  return out;
}

/**
 * A snapshot of an engine of no rules on the new zones that holds the old one's posture,
 * ids, clock and notifications: each unit's latest report applied again, in time order,
 * so that the zones it is in are judged on the new geometry.
 */
function reseeded(s: MonitorSnapshot, base: Arrangement): MonitorSnapshot {
  const seed = new Monitor(compileArrangement({ ...base, rules: [] }), { ids: new IdSet() });
  const units = s.units
    .map((u, slot) => ({ r: u[4], ref: s.basis?.units[slot] }))
    .filter((u): u is { r: NonNullable<typeof u.r>; ref: number | undefined } => u.r !== null)
    .sort((a, b) => a.r.time - b.r.time);
  for (const u of units) seed.push(u.r, u.ref === undefined || u.ref < 0 ? undefined : u.ref);
  const zones = new Set(base.zones.map((z) => z.id));
  const keptNotes = s.notifications.map((n) => zones.has(n.zone));
  const snap: MonitorSnapshot = {
    ...seed.snapshot(),
    clock: s.clock,
    seq: s.seq,
    started: s.started,
    notifications: s.notifications.filter((_, k) => keptNotes[k]),
  };
  if (s.ids) snap.ids = s.ids;
  if (s.basis && snap.basis) {
    snap.basis = { ...snap.basis, clock: s.basis.clock, notifications: s.basis.notifications.filter((_, k) => keptNotes[k]) };
  } else delete snap.basis;
  return snap;
}

/**
 * The kept rules' part carried onto the posture judged again: the units, the zones they
 * are in and the notifications are the new posture's; what each unit adds to a kept
 * rule (its zones unchanged, so the same) follows the unit to its new slot.
 */
function carried(part: MonitorSnapshot, seed: MonitorSnapshot): MonitorSnapshot {
  const slotOf = new Map(seed.units.map((u, slot) => [`${u[0]}\0${u[1]}`, slot]));
  const to = part.units.map((u) => slotOf.get(`${u[0]}\0${u[1]}`));
  const moved = (flat: number[], per: number) => {
    const out: number[] = [];
    for (let k = 0; k < flat.length; k += per) {
      const slot = to[flat[k]];
      if (slot !== undefined) out.push(slot, ...flat.slice(k + 1, k + per));
    }
    return out;
  };
  const out: MonitorSnapshot = {
    ...part,
    zones: seed.zones,
    units: seed.units,
    inside: seed.inside,
    contrib: moved(part.contrib, 3),
    presence: moved(part.presence, 2),
    notice: moved(part.notice, 3),
    notifications: seed.notifications,
  };
  if (part.basis && seed.basis) out.basis = { ...part.basis, units: seed.basis.units, notifications: seed.basis.notifications };
  else delete out.basis;
  return out;
}
