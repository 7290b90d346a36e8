// The engine's move to an amended arrangement (a round's announced text), without a
// restart. Rules the amendment leaves as they were keep their state (open findings,
// commitments' progress, inspection periods, acknowledgement duties); findings open
// under a rule it retires or changes close, saying why; the new and changed rules judge
// the posture as it stands at the moment of the switch (Monitor.extend), and their clocks
// start then.
//
// It works on the engine's snapshot: the kept rules' part of it is restored on an
// arrangement of those rules alone, which is then extended by the others. When the zones
// or lines change, insideness must be judged again, so the engine is rebuilt from the
// posture (each unit's latest report) and every rule starts afresh at the switch.

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
  const kept = zonesSame ? keptRules(before.rules, next.rules) : new Set<string>();
  const keptList = before.rules.filter((r) => kept.has(r.id));
  const ordered = compileArrangement({ ...next, rules: [...keptList, ...next.rules.filter((r) => !kept.has(r.id))] });
  if (kept.size === before.rules.length && zonesSame) {
    // Nothing retired or changed: the rules are only added to.
    return { monitor: old, findings: old.extend(ordered, at), arrangement: ordered };
  }
  const snap = old.snapshot();
  const closes: Finding[] = snap.open
    .filter((f) => !kept.has(f.rule))
    .map((f): SupersededFinding => ({ ...f, state: 'closed', time: formatTime(Math.max(at, snap.clock ?? at)), reason }));
  const base = compileArrangement({ ...next, rules: keptList });
  const monitor = zonesSame ? Monitor.restore(base, keptPart(snap, before.rules, kept)) : reseeded(snap, base);
  return { monitor, findings: [...closes, ...monitor.extend(ordered, at)], arrangement: ordered };
}

/** Rules of `next` that are those of `before` unchanged, and wait on no rule that is not kept. */
function keptRules(before: readonly Rule[], next: readonly Rule[]): Set<string> {
  const nextById = new Map(next.map((r) => [r.id, sortedJson(r)]));
  const kept = new Set(before.filter((r) => nextById.get(r.id) === sortedJson(r)).map((r) => r.id));
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of before) {
      const after = r.kind === 'commitment' ? r.after : undefined;
      if (kept.has(r.id) && after !== undefined && !kept.has(after)) {
        kept.delete(r.id);
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
  const deadlines: SnapshotDeadline[] = [];
  for (const d of s.deadlines) {
    if (d.k === 'ack' && ack.has(d.a)) deadlines.push({ ...d, a: ack.get(d.a)! });
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
 * An engine of no rules on the new zones that holds the old one's posture, ids, clock
 * and notifications: each unit's latest report applied again, in time order, so that
 * the zones it is in are judged on the new geometry.
 */
function reseeded(s: MonitorSnapshot, base: Arrangement): Monitor {
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
  return Monitor.restore(compileArrangement({ ...base, rules: [] }), snap);
}
