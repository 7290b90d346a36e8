// Which text of the arrangement is in force: the file, amended by every announced text
// in turn (rounds.ts in the talks). Each announced text adds its clauses' rules to the
// file's and sets the sections it (or an earlier text) gave. The history lists every
// text with the record position from which it was in force and the hash of its whole
// document, so that `detente check --history` can judge each report under the text in
// force at its time and check that it rebuilt the very text the server ran.
import { amendedSource, checkAmendment, type Amendment } from '../../arrangement/amend.ts';
import { type History, type HistoryText, textHash } from '../../arrangement/history.ts';
import type { ArrangementSource } from '../../arrangement/load.ts';
import { formatTime } from '../../arrangement/time.ts';
import type { JsonObject } from '../../record/canonical.ts';
import { type TalksState, textsInForce } from '../../talks/index.ts';

export interface InForce {
  source: ArrangementSource;
  /** the announced clauses' rules, for the arrangement view */
  announcedRules: { clause: string; draft: number; rule: unknown }[];
  /** the newest announced text's round and draft (round 0: the file alone) */
  round: number;
  draft: number | null;
}

/** The file with the newest announced text in force. */
export function inForce(file: ArrangementSource, talks: TalksState): InForce {
  const t = textsInForce(talks).at(-1);
  if (!t) return { source: file, announcedRules: [], round: 0, draft: null };
  const announcedRules = t.clauses.flatMap((c) => c.rules.map((rule) => ({ clause: c.id, draft: t.draft, rule })));
  const source = amendedSource(file, { sections: t.sections, rules: announcedRules.map((a) => a.rule) });
  return { source, announcedRules, round: t.round, draft: t.draft };
}

/** The sections the newest announced text set (a draft's own sections go over them). */
export function sectionsInForce(talks: TalksState): JsonObject {
  return (textsInForce(talks).at(-1)?.sections ?? {}) as JsonObject;
}

/** Problems with a draft's sections and rules over the text in force, paths as the draft holds them. */
export function checkDraft(file: ArrangementSource, talks: TalksState, a: Amendment): { path: string; message: string }[] {
  return checkAmendment(file, { sections: { ...sectionsInForce(talks), ...a.sections }, rules: a.rules });
}

/**
 * The history: the file from the genesis on, then each announced text from the entry
 * that announced it. `entryOf` gives the record index of each announcement (by round);
 * `genesisTime` the time of the first entry.
 */
export function historyOf(file: ArrangementSource, talks: TalksState, genesisTime: string): History {
  const texts: HistoryText[] = [{ from: { index: 0, time: genesisTime }, round: 0, draft: null, sha256: textHash(file), sections: {}, rules: [] }];
  for (const t of textsInForce(talks)) {
    const rules = t.clauses.flatMap((c) => c.rules);
    const source = amendedSource(file, { sections: t.sections, rules });
    const a = talks.announcements.find((x) => x.round === t.round);
    texts.push({
      from: { index: a?.entry ?? -1, time: formatTime(t.time) },
      round: t.round,
      draft: t.draft,
      sha256: textHash(source),
      sections: t.sections,
      rules: rules as unknown[],
    });
  }
  return { arrangement: file.arrangement.id, texts };
}

export type { History, HistoryText };
