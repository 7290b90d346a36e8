// Challenge inspections (docs/inspections.md): a party asks that a zone be inspected, and
// the observer mission must inspect it within the time its inspection rule sets; the
// observer may record that a party refused it access. Neither is a report from the field:
// a server records them as statements of their own and gives them to the engine in record
// order (Monitor.challenge, Monitor.refusal), so replay and a replica judge them the same.
import { parseTime } from '../arrangement/time.ts';
import { ReportError } from './reports.ts';

export interface ChallengeRequest {
  /** the request's id (a server names it by its record entry: `challenge-<entry>`) */
  id: string;
  /** epoch ms */
  time: number;
  /** the requesting party */
  by: string;
  zone: string;
}

export interface AccessRefusal {
  id: string;
  time: number;
  /** the observer refused */
  source: string;
  /** the request it was refused on */
  challenge: string;
  /** the party that refused access */
  by: string;
}

type O = Record<string, unknown>;

function text(o: O, k: string): string {
  const v = o[k];
  if (typeof v !== 'string' || v === '') throw new ReportError(v === undefined ? `missing field "${k}"` : `"${k}" must be a non-empty string`, k);
  return v;
}

function when(o: O): number {
  const t = parseTime(text(o, 'time'));
  if (t !== t) throw new ReportError(`"time": "${String(o.time)}" is not an RFC 3339 date-time`, 'time');
  return t;
}

/** A request as written in an engine fixture line: `{ "type": "challenge", id, time, by, zone }`. */
export function toChallenge(o: O): ChallengeRequest {
  return { id: text(o, 'id'), time: when(o), by: text(o, 'by'), zone: text(o, 'zone') };
}

/** A refusal as written in an engine fixture line: `{ "type": "refusal", id, time, source, challenge, by }`. */
export function toRefusal(o: O): AccessRefusal {
  return { id: text(o, 'id'), time: when(o), source: text(o, 'source'), challenge: text(o, 'challenge'), by: text(o, 'by') };
}
