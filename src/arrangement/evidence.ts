// The arrangement's `evidence` section (docs/spec/arrangement.md, "Evidence"):
// per rule kind, and per rule where one needs its own, what a finding needs to
// be confirmed or probable. Without the section every finding is confirmed, as
// it was before the section existed.
import { type Grade, gradeCode, parseGradeCode } from './grade.ts';
import type { IssueList, PathPart } from './issues.ts';
import { list, num, obj, str } from './read.ts';
import { ROLES, type Role, type Rule, type RuleKind } from './types.ts';

export const CONFIDENCES = ['confirmed', 'probable', 'unconfirmed'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/**
 * One way to reach a confidence: `sources` independent sources (different actors,
 * or different outlets for open-source claims), each graded at least `minGrade`
 * (when given) and filed by an actor of `role` (when given).
 */
export interface EvidenceCondition {
  sources: number;
  minGrade?: Grade;
  role?: Role;
}

/** Any one condition of a list is enough; without `probable`, a finding short of confirmed is unconfirmed. */
export interface EvidenceNeed {
  confirmed: EvidenceCondition[];
  probable: EvidenceCondition[];
}

export interface EvidenceRules {
  default?: EvidenceNeed;
  kinds: Partial<Record<RuleKind, EvidenceNeed>>;
  /** by rule id: a rule's own need, before its kind's */
  rules: Record<string, EvidenceNeed>;
}

const KINDS: readonly RuleKind[] = ['presence', 'limit', 'notice', 'separation', 'commitment', 'inspection'];

/** What a finding of this rule needs: the rule's own, its kind's, the default; undefined: nothing (confirmed as reported). */
export function evidenceNeed(e: EvidenceRules | undefined, rule: Rule): EvidenceNeed | undefined {
  if (e === undefined) return undefined;
  return e.rules[rule.id] ?? e.kinds[rule.kind] ?? e.default;
}

function condition(v: unknown, p: PathPart[], out: IssueList): EvidenceCondition | undefined {
  const o = obj(v, p, out, [], ['min_grade', 'role', 'independent_sources']);
  if (!o) return undefined;
  if (o.min_grade === undefined && o.role === undefined && o.independent_sources === undefined) {
    out.add(p, 'an empty condition would hold on any report: give min_grade, role or independent_sources');
    return undefined;
  }
  const c: EvidenceCondition = { sources: 1 };
  let ok = true;
  if (o.min_grade !== undefined) {
    const s = str(o.min_grade, [...p, 'min_grade'], out);
    const g = s === undefined ? undefined : parseGradeCode(s);
    if (s !== undefined && g === undefined)
      out.add([...p, 'min_grade'], `"${s}" is not an Admiralty grade: a source reliability A–F then an information credibility 1–6, e.g. "B2"`);
    if (g === undefined) ok = false;
    else c.minGrade = g;
  }
  if (o.role !== undefined) {
    const s = str(o.role, [...p, 'role'], out);
    if (s !== undefined && !(ROLES as readonly string[]).includes(s)) out.add([...p, 'role'], `"${s}" is not a role (${ROLES.join(', ')})`);
    if (s === undefined || !(ROLES as readonly string[]).includes(s)) ok = false;
    else c.role = s as Role;
  }
  if (o.independent_sources !== undefined) {
    const n = num(o.independent_sources, [...p, 'independent_sources'], out, { integer: true, min: 1 });
    if (n === undefined) ok = false;
    else c.sources = n;
  }
  return ok ? c : undefined;
}

function conditions(v: unknown, p: PathPart[], out: IssueList): EvidenceCondition[] | undefined {
  const l = list(v, p, out, { nonEmpty: true });
  if (!l) return undefined;
  const res = l.map((x, i) => condition(x, [...p, i], out));
  return res.every((c) => c !== undefined) ? (res as EvidenceCondition[]) : undefined;
}

function need(v: unknown, p: PathPart[], out: IssueList): EvidenceNeed | undefined {
  const o = obj(v, p, out, ['confirmed'], ['probable']);
  if (!o) return undefined;
  const confirmed = conditions(o.confirmed, [...p, 'confirmed'], out);
  const probable = o.probable === undefined ? [] : conditions(o.probable, [...p, 'probable'], out);
  if (!confirmed || !probable) return undefined;
  // A probable condition that any confirmed one implies is harmless; one stricter than
  // every confirmed condition is a mistake the author should see.
  probable.forEach((pc, i) => {
    if (confirmed.some((cc) => implies(pc, cc)))
      out.add([...p, 'probable', i], `this is as strict as a confirmed condition: ${describeCondition(pc)} would already confirm`);
  });
  return { confirmed, probable };
}

/** Does every set of reports meeting `a` also meet `b`? */
function implies(a: EvidenceCondition, b: EvidenceCondition): boolean {
  if (a.sources < b.sources) return false;
  if (b.role !== undefined && a.role !== b.role) return false;
  if (b.minGrade === undefined) return true;
  return a.minGrade !== undefined && a.minGrade.reliability <= b.minGrade.reliability && a.minGrade.credibility <= b.minGrade.credibility;
}

export function describeCondition(c: EvidenceCondition): string {
  const parts = [c.sources === 1 ? 'one report' : `${c.sources} independent sources`];
  if (c.minGrade) parts.push(`graded ${gradeCode(c.minGrade)} or better`);
  if (c.role) parts.push(`filed by ${c.role === 'observer' ? 'an' : 'a'} ${c.role}`);
  return parts.join(' ');
}

/** Checks `evidence`; `ruleIds` are the arrangement's rules (a rule's own need must name one). */
export function validateEvidence(v: unknown, out: IssueList, ruleIds: ReadonlySet<string>): EvidenceRules | undefined {
  if (v === undefined) return undefined;
  const o = obj(v, ['evidence'], out, [], ['default', ...KINDS, 'rules']);
  if (!o) return undefined;
  const res: EvidenceRules = { kinds: {}, rules: {} };
  if (o.default !== undefined) res.default = need(o.default, ['evidence', 'default'], out);
  for (const k of KINDS) {
    if (o[k] === undefined) continue;
    const n = need(o[k], ['evidence', k], out);
    if (n) res.kinds[k] = n;
  }
  if (o.rules !== undefined) {
    const ro = obj(o.rules, ['evidence', 'rules'], out, [], [...ruleIds]);
    for (const [id, x] of Object.entries(ro ?? {})) {
      if (!ruleIds.has(id)) continue; // obj() named it already
      const n = need(x, ['evidence', 'rules', id], out);
      if (n) res.rules[id] = n;
    }
  }
  return res;
}
