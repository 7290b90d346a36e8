// A text the arrangement may give in several languages (docs/spec/arrangement.md
// "Texts in several languages"): a string, or { en, ar, he, ru, … } by language tag.
// The engine, the CLI and the exports use one plain text (English, else the first
// language written); clients get every translation to show the reader's.
import type { IssueList, PathPart } from './issues.ts';

export type LocalizedText = string | Readonly<Record<string, string>>;

/** A BCP 47 language tag, as far as a translation table needs one (`en`, `ar`, `pt-BR`, `zh-Hant`). */
const LANG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** What a checked localized text yields: the plain text, and the translations when several were written. */
export interface ReadText {
  text: string;
  all?: Readonly<Record<string, string>>;
}

/** The plain text of a localized one: English, else the first language written. */
export function plainText(v: LocalizedText): string {
  return typeof v === 'string' ? v : (v.en ?? Object.values(v)[0] ?? '');
}

export function localizedText(v: unknown, path: PathPart[], out: IssueList): ReadText | undefined {
  if (v === undefined) {
    out.add(path, 'missing');
    return undefined;
  }
  if (typeof v === 'string') return { text: v };
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    out.add(path, 'expected a string, or an object of texts by language ({ en: …, ar: … })');
    return undefined;
  }
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length === 0) {
    out.add(path, 'gives no language: write a string, or at least one { language: text }');
    return undefined;
  }
  const before = out.issues.length;
  const all: Record<string, string> = {};
  for (const [lang, text] of entries) {
    if (!LANG.test(lang)) out.add([...path, lang], `"${lang}" is not a language tag (en, ar, he, ru, pt-BR, …)`);
    else if (typeof text !== 'string' || text === '') out.add([...path, lang], 'expected a non-empty string');
    else all[lang] = text;
  }
  if (out.issues.length !== before) return undefined;
  return { text: plainText(all), all };
}

/** The text as clients read it: the translations when there are several, else the plain string. */
export function asWritten(text: string, all: Readonly<Record<string, string>> | undefined): LocalizedText {
  return all ?? text;
}
