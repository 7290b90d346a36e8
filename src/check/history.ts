// `detente check --history FILE`: each report judged under the text in force at its
// time. The history is the server's GET …/history document; each of its texts is
// rebuilt from the arrangement file and its sha256 checked, so a history for another
// file, or one edited, is refused (naming the text) rather than judged under.
import { readFileSync } from 'node:fs';
import type { Arrangement } from '../arrangement/compile.ts';
import { type History, textHash, textSource } from '../arrangement/history.ts';
import { ArrangementError } from '../arrangement/issues.ts';
import type { ArrangementSource } from '../arrangement/load.ts';
import { parseTime } from '../arrangement/time.ts';
import { Monitor } from '../monitor/engine.ts';
import type { Finding } from '../monitor/findings.ts';
import type { Report } from '../monitor/reports.ts';
import { switchArrangement } from '../monitor/switch.ts';

/** A bad history file: `SOURCE: PATH: reason`. */
export class HistoryError extends Error {}

interface Pending {
  at: number;
  arrangement: Arrangement;
  reason: string;
}

/** The texts of a history after the file's own, each rebuilt and checked; throws HistoryError naming the first fault. */
export function readHistory(path: string, file: ArrangementSource): { first: Arrangement; later: Pending[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new HistoryError(`${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not JSON: ${(e as Error).message}`}`);
  }
  const h = doc as Partial<History>;
  if (!h || typeof h !== 'object' || !Array.isArray(h.texts) || h.texts.length === 0)
    throw new HistoryError(`${path}: texts: must be a non-empty array (the document GET …/history serves)`);
  if (h.arrangement !== file.arrangement.id)
    throw new HistoryError(`${path}: arrangement: "${String(h.arrangement)}" is not the file's arrangement "${file.arrangement.id}"`);
  const later: Pending[] = [];
  let first: Arrangement | undefined;
  let last = -Infinity;
  h.texts.forEach((t, i) => {
    const at = `${path}: texts[${i}]`;
    if (!t || typeof t !== 'object') throw new HistoryError(`${at}: must be an object`);
    const time = typeof t.from?.time === 'string' ? parseTime(t.from.time) : Number.NaN;
    if (!Number.isFinite(time)) throw new HistoryError(`${at}.from.time: must be an RFC 3339 time`);
    // The file's own text is in force from the genesis, whose time the file fixes: only the announced texts are ordered.
    if (i > 0 && time < last) throw new HistoryError(`${at}.from.time: earlier than the text before it`);
    if (i > 0) last = time;
    const sections = t.sections && typeof t.sections === 'object' && !Array.isArray(t.sections) ? t.sections : undefined;
    if (!sections) throw new HistoryError(`${at}.sections: must be an object`);
    if (!Array.isArray(t.rules)) throw new HistoryError(`${at}.rules: must be an array`);
    let source: ArrangementSource;
    try {
      source = textSource(file, { sections, rules: t.rules });
    } catch (e) {
      if (!(e instanceof ArrangementError)) throw e;
      throw new HistoryError(`${at}: does not fit the arrangement file: ${e.issues[0]?.message ?? 'invalid'}`);
    }
    if (textHash(source) !== t.sha256)
      throw new HistoryError(
        `${at}.sha256: the text rebuilt from the arrangement file has another hash (${textHash(source)}): another file, or an edited history`,
      );
    if (i === 0) first = source.arrangement;
    else later.push({ at: time, arrangement: source.arrangement, reason: `superseded by draft ${t.draft} of round ${t.round}` });
  });
  return { first: first!, later };
}

/**
 * The engine, moved to each later text as reports reach its time: what LineFeeder
 * pushes to. Findings of a switch come before the report's.
 */
export class TextsInTime {
  monitor: Monitor;
  constructor(
    first: Arrangement,
    private readonly later: Pending[],
  ) {
    this.monitor = new Monitor(first);
  }

  push(r: Report, ref?: number): Finding[] {
    const switched = this.upTo(r.time);
    const f = this.monitor.push(r, ref);
    return switched.length ? [...switched, ...f] : f;
  }

  /** Texts in force by `t` come into force (at their own time). */
  upTo(t: number): Finding[] {
    const out: Finding[] = [];
    while (this.later.length && this.later[0].at <= t) {
      const p = this.later.shift()!;
      const s = switchArrangement(this.monitor, p.arrangement, p.at, p.reason);
      this.monitor = s.monitor;
      out.push(...s.findings);
    }
    return out;
  }
}
