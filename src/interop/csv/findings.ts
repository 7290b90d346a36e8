// Findings as CSV rows: fixed columns, one finding transition per row (docs/csv.md).
// Lists are written so that nothing is lost: unit ids and missing acknowledgers as a
// JSON array (an id may hold any character), the basis as `entry:n` addresses
// separated by spaces (addresses are numbers).
import type { Cell } from './field.ts';

export const FINDING_COLUMNS = [
  'seq',
  'time',
  'finding',
  'state',
  'rule',
  'kind',
  'actor',
  'zone',
  'units',
  'category',
  'asset',
  'observed',
  'max',
  'notification',
  'lead_s',
  'missing',
  'cpa_s',
  'cpa_km',
  'cpa_m',
  'deadline',
  'report',
  'entry',
  'n',
  'basis',
  // Added later, at the end, so that a reader of the first columns reads on unchanged.
  'confidence',
  'confidence_was',
  'reason',
  'escalation_step',
  'escalation_to',
  'challenge',
  'requested_by',
] as const;

/** A finding as a route or the CLI shows it: the engine's fields, and, from a server, its seq, record address and basis addresses. */
export interface FindingLike {
  seq?: number;
  time: string;
  finding: string;
  state: string;
  rule: string;
  kind: string;
  actor?: string;
  zone?: string;
  units?: readonly string[];
  category?: string;
  asset?: string;
  observed?: number;
  max?: number;
  notification?: string;
  lead_s?: number;
  missing?: readonly string[];
  cpa_s?: number;
  cpa_km?: number;
  cpa_m?: number | null;
  deadline?: string;
  report?: string;
  at?: { entry: number; n?: number };
  /** record addresses (a server's view) or the engine's refs (the CLI's) */
  basis?: readonly ({ entry: number; n?: number } | number)[];
  confidence?: string;
  confidence_was?: string;
  reason?: string;
  escalation?: { step: number; to: string };
  challenge?: string;
  requested_by?: string;
}

const list = (v: readonly string[] | undefined): Cell => (v === undefined ? undefined : JSON.stringify(v));

function basisText(b: FindingLike['basis']): Cell {
  if (b === undefined) return undefined;
  return b.map((a) => (typeof a === 'number' ? String(a) : `${a.entry}:${a.n ?? 0}`)).join(' ');
}

export function findingRow(f: FindingLike): Cell[] {
  return [
    f.seq,
    f.time,
    f.finding,
    f.state,
    f.rule,
    f.kind,
    f.actor,
    f.zone,
    list(f.units),
    f.category,
    f.asset,
    f.observed,
    f.max,
    f.notification,
    f.lead_s,
    list(f.missing),
    f.cpa_s,
    f.cpa_km,
    f.cpa_m,
    f.deadline,
    f.report,
    f.at?.entry,
    f.at?.n,
    basisText(f.basis),
    f.confidence,
    f.confidence_was,
    f.reason,
    f.escalation?.step,
    f.escalation?.to,
    f.challenge,
    f.requested_by,
  ];
}
