// Findings as a table for people: one line per transition, fixed columns, the
// rule's citation at the end so a reader sees what was breached and where it is written.
import type { Arrangement } from '../arrangement/compile.ts';
import { subjectText, type Finding } from '../monitor/findings.ts';

const W = [20, 18, 9, 22, 28];

function pad(s: string, w: number): string {
  return s.length >= w ? s.slice(0, w - 1) + '… ' : s + ' '.repeat(w - s.length + 1);
}

export function tableHeader(): string {
  const h = ['TIME', 'FINDING', 'STATE', 'RULE', 'SUBJECT'].map((x, i) => pad(x, W[i])).join('') + 'DETAIL';
  return h + '\n';
}

function detail(f: Finding): string {
  const d: string[] = [];
  if (f.observed !== undefined) d.push(`${f.asset} ${f.observed} > max ${f.max}`);
  if (f.category !== undefined) d.push(`category ${f.category}`);
  if (f.lead_s !== undefined) d.push(`notice ${f.notification} only ${f.lead_s}s ahead`);
  if (f.missing) d.push(`no ack from ${f.missing.join(', ')} for ${f.notification}`);
  if (f.cpa_km !== undefined) d.push(`closest ${f.cpa_km} km${f.cpa_m != null ? ` / ${f.cpa_m} m` : ''} in ${f.cpa_s}s`);
  if (f.deadline) d.push(`by ${f.deadline}`);
  if (f.confidence_was) d.push(`${f.confidence_was} → ${f.confidence}`);
  else if (f.confidence && f.confidence !== 'confirmed') d.push(f.confidence);
  if (f.report) d.push(`report ${f.report}`);
  return d.join('; ');
}

export function tableRow(f: Finding, arr: Arrangement): string {
  const cite = arr.ruleById.get(f.rule)?.cite;
  const cols = [f.time.replace('T', ' ').replace('Z', ''), f.finding, f.state, f.rule, subjectText(f)];
  return cols.map((x, i) => pad(x, W[i])).join('') + detail(f) + (cite ? ` [${cite}]` : '') + '\n';
}
