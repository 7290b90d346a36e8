// The arrangement's history as a document (GET …/history, `detente check --history`):
// which text was in force from which record position. Each text is the file with an
// announced round's sections and added rules; its sha256 is over the whole document in
// force, written as JSON with sorted keys, so that a reader rebuilding a text from the
// file can tell it has the very text the server ran.
import { sortedJson } from './sorted-json.ts';
import { createHash } from 'node:crypto';
import { type Amendment, amendedSource } from './amend.ts';
import type { ArrangementSource } from './load.ts';

export interface HistoryText {
  /** the record position from which it is in force: the entry that announced it (0: the genesis) */
  from: { index: number; time: string };
  /** 0: the file itself */
  round: number;
  draft: number | null;
  /** sha256 (hex) of the whole document in force, as JSON with sorted keys */
  sha256: string;
  /** what it sets over the file: sections (each replacing the file's; `rules` among them replaces the file's own rules) and the clauses' rules added after them */
  sections: Record<string, unknown>;
  rules: unknown[];
}

export interface History {
  arrangement: string;
  texts: HistoryText[];
}

export function textHash(source: ArrangementSource): string {
  return createHash('sha256').update(sortedJson(source.value)).digest('hex');
}

/** The file with a text's amendment in force (the file itself for round 0). */
export function textSource(file: ArrangementSource, a: Amendment): ArrangementSource {
  return Object.keys(a.sections).length === 0 && a.rules.length === 0 ? file : amendedSource(file, a);
}
