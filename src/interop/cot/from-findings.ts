// Open findings as CoT for a TAK client: a breach tied to a zone (presence,
// limit, notice) as a geofence-breach alert (b-a-g), any other open finding
// (separation, commitment overdue, inspection overdue) as a spot marker
// (b-m-p-s-m). Closed and fulfilled findings are not sent: the map shows what is open.
import { type Finding, subjectKey, subjectText } from '../../monitor/findings.ts';
import type { ArrangementFeatures } from '../zone-features.ts';
import { type CotEvent, UNKNOWN } from './event.ts';
import { el } from './write.ts';

export interface FindingOptions {
  /** where to put a finding on the map ([lon, lat]): its unit's last position, or its zone; null leaves it out */
  position: (f: Finding) => [number, number] | null;
  /** the rule's text, for the marker's remarks */
  ruleText?: (rule: string) => string | undefined;
  /** how long a TAK client keeps a marker without an update (default 1 hour) */
  staleMs?: number;
}

function isOpen(f: Finding): boolean {
  return f.state === 'open' || f.state === 'overdue';
}

function details(f: Finding): string {
  const parts: string[] = [];
  if (f.asset !== undefined) parts.push(`${f.asset}: ${f.observed} observed, ${f.max} allowed`);
  if (f.cpa_km !== undefined) parts.push(`closest approach ${f.cpa_km} km in ${f.cpa_s} s`);
  if (f.lead_s !== undefined) parts.push(`notice ${f.lead_s} s ahead`);
  if (f.deadline !== undefined) parts.push(`due ${f.deadline}`);
  return parts.join('; ');
}

/** The open findings as CoT events, uid `detente.finding.RULE|SUBJECT` so a later update replaces the marker. */
export function findingsToCot(findings: Iterable<Finding>, o: FindingOptions): CotEvent[] {
  const out: CotEvent[] = [];
  for (const f of findings) {
    if (!isOpen(f)) continue;
    const at = o.position(f);
    if (at === null) continue;
    const time = Date.parse(f.time);
    const alert = f.zone !== undefined && (f.kind === 'presence' || f.kind === 'limit' || f.kind === 'notice');
    const text = o.ruleText?.(f.rule);
    const remarks = [`${f.finding} (${f.state}) of ${f.rule}: ${subjectText(f)}${f.zone ? ` in ${f.zone}` : ''}`, details(f), text].filter(Boolean).join('. ');
    out.push({
      version: '2.0',
      uid: `detente.finding.${subjectKey(f).replace(/\0/g, '/')}`,
      type: alert ? 'b-a-g' : 'b-m-p-s-m',
      how: 'h-g-i-g-o',
      time,
      start: time,
      stale: time + (o.staleMs ?? 3_600_000),
      point: { lat: at[1], lon: at[0], hae: UNKNOWN, ce: UNKNOWN, le: UNKNOWN },
      detail: [el('contact', { callsign: `${f.finding}: ${f.rule}` }), el('remarks', {}, [], remarks)],
    });
  }
  return out;
}

/**
 * Where a finding goes on the map: the last known position of its first unit that has
 * one, else the middle of its zone's first part (the box's centre), else nowhere.
 */
export function findingPosition(
  unitAt: (unit: string, actor: string | undefined) => [number, number] | undefined,
  features: ArrangementFeatures,
): (f: Finding) => [number, number] | null {
  const zoneAt = new Map<string, [number, number]>();
  for (const z of features.zones) {
    const ring = z.polygons[0]?.[0];
    if (!ring) continue;
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (const [x, y] of ring) {
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
    zoneAt.set(z.id, [(x0 + x1) / 2, (y0 + y1) / 2]);
  }
  return (f) => {
    for (const u of f.units ?? []) {
      const at = unitAt(u, f.actor);
      if (at) return at;
    }
    return (f.zone !== undefined && zoneAt.get(f.zone)) || null;
  };
}
