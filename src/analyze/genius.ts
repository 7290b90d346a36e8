// Reads two GENIUS utility spaces (the XML profiles of the GENIUS negotiation
// environment and the ANAC competitions) over one domain as a bench frontier: every
// outcome of the domain becomes a point (u_A, u_B), and each side's reservation value is
// its part of the disagreement point. GENIUS's linear additive utility: an outcome's
// utility is Σ_issues weight · evaluation(value) / max evaluation of that issue.
// Only discrete issues are read; GENIUS's discount factor (a matter of time) is ignored.
import type { Point } from './model.ts';

export class GeniusError extends Error {}

interface Issue {
  name: string;
  weight: number;
  values: Map<string, number>; // value → normalised evaluation, 0–1
}

export interface UtilitySpace {
  issues: Issue[];
  reservation: number;
}

const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];
const decodeEntities = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

export function parseUtilitySpace(xml: string, name: string): UtilitySpace {
  if (!/<utility_space\b/.test(xml)) throw new GeniusError(`${name}: not a GENIUS utility space (no <utility_space>)`);
  const weights = new Map<string, number>();
  for (const m of xml.matchAll(/<weight\b[^>]*>/g)) {
    const index = attr(m[0], 'index');
    const value = Number(attr(m[0], 'value'));
    if (index !== undefined && Number.isFinite(value)) weights.set(index, value);
  }
  const issues: Issue[] = [];
  for (const m of xml.matchAll(/<issue\b([^>]*)>([\s\S]*?)<\/issue>/g)) {
    const tag = m[1];
    const issueName = attr(tag, 'name') ?? '?';
    const type = attr(tag, 'type') ?? attr(tag, 'etype');
    if (type !== 'discrete') throw new GeniusError(`${name}: issue "${issueName}": only discrete issues are read (this one is ${type})`);
    const raw = new Map<string, number>();
    for (const item of m[2].matchAll(/<item\b[^>]*>/g)) {
      const value = attr(item[0], 'value');
      const evaluation = Number(attr(item[0], 'evaluation') ?? '0');
      if (value === undefined || !Number.isFinite(evaluation)) throw new GeniusError(`${name}: issue "${issueName}": an item without a value or evaluation`);
      raw.set(decodeEntities(value), evaluation);
    }
    const max = Math.max(...raw.values());
    if (!(max > 0)) throw new GeniusError(`${name}: issue "${issueName}": no item has a positive evaluation`);
    const index = attr(tag, 'index') ?? '';
    const weight = weights.get(index);
    if (weight === undefined) throw new GeniusError(`${name}: issue "${issueName}": no weight with index ${index}`);
    issues.push({ name: issueName, weight, values: new Map([...raw].map(([v, e]) => [v, e / max])) });
  }
  if (issues.length === 0) throw new GeniusError(`${name}: no issues`);
  const reservation = Number(attr(/<reservation\b[^>]*>/.exec(xml)?.[0] ?? '', 'value') ?? '0');
  return { issues, reservation: Number.isFinite(reservation) ? reservation : 0 };
}

/** Every outcome of the shared domain as (u_A, u_B), with the reservation values as d. */
export function geniusFrontier(a: UtilitySpace, b: UtilitySpace): { disagreement: Point; points: Point[] } {
  const names = a.issues.map((i) => i.name);
  if (names.join('\n') !== b.issues.map((i) => i.name).join('\n')) throw new GeniusError('the two profiles are not over the same issues');
  let outcomes: Point[] = [[0, 0]];
  a.issues.forEach((ia, k) => {
    const ib = b.issues[k];
    const next: Point[] = [];
    for (const [value, ea] of ia.values) {
      const eb = ib.values.get(value);
      if (eb === undefined) throw new GeniusError(`issue "${ia.name}": value "${value}" is in one profile only`);
      for (const [ua, ub] of outcomes) next.push([ua + ia.weight * ea, ub + ib.weight * eb]);
    }
    outcomes = next;
  });
  return { disagreement: [a.reservation, b.reservation], points: outcomes };
}
