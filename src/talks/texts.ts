// Clause texts in several languages. Treaties are signed in each party's language and
// name the text that prevails when they differ; a clause here may likewise be given as
// `{ en: "…", ar: "…", he: "…", prevailing: "en" }`. The body keeps the prevailing
// text in `text` as well, so that every reader of one-language clauses reads these too.
// This module stays free of Node built-ins: the web imports it (texts-hash.ts hashes).

import type { Problems } from './errors.ts';
import { isPlainObject } from './json.ts';
import { LIMITS } from './limits.ts';

/** A language tag: a primary subtag of 2–3 letters and optional subtags (BCP 47's usual forms: "en", "ar", "zh-Hant", "pt-BR"). */
export const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** Languages written right to left (their texts are shown with dir="rtl"). */
export const RTL_LANGUAGES: readonly string[] = ['ar', 'he', 'fa', 'ur', 'yi', 'ps', 'ckb', 'dv', 'sd', 'ug'];

export function isRtl(tag: string): boolean {
  return RTL_LANGUAGES.includes(tag.split('-')[0]);
}

export interface ClauseTexts {
  text: string;
  texts?: Record<string, string>;
  prevailing?: string;
}

// A lone surrogate cannot be written as I-JSON; the record would refuse the entry.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * A clause's `text` as given: a string, or an object of language tag → text with
 * `prevailing` naming one of them. Problems are added under `path` (`….text.he`).
 */
export function parseClauseText(v: unknown, path: string, p: Problems): ClauseTexts {
  if (typeof v === 'string' || v === undefined || !isPlainObject(v)) return { text: checkOne(v, path, p) };
  const texts: Record<string, string> = {};
  const prevailing = v.prevailing;
  const langs = Object.keys(v).filter((k) => k !== 'prevailing');
  if (langs.length === 0) p.add(path, 'names no language: give { <language>: text, …, prevailing: <language> }');
  if (langs.length > LIMITS.languages) p.add(path, `at most ${LIMITS.languages} languages (got ${langs.length})`);
  for (const lang of langs.sort()) {
    if (lang.length > LIMITS.language || !LANGUAGE_TAG.test(lang)) {
      p.add(`${path}.${lang}`, `"${lang.slice(0, LIMITS.language)}" is not a language tag (e.g. en, ar, he, ru, zh-Hant)`);
      continue;
    }
    Object.defineProperty(texts, lang, { value: checkOne(v[lang], `${path}.${lang}`, p), enumerable: true, writable: true, configurable: true });
  }
  if (typeof prevailing !== 'string')
    p.add(`${path}.prevailing`, prevailing === undefined ? 'is required: name the language whose text prevails' : 'must be a language tag');
  else if (!Object.hasOwn(texts, prevailing)) p.add(`${path}.prevailing`, `"${prevailing}" is not one of the clause's languages (${langs.join(', ')})`);
  const pv = typeof prevailing === 'string' ? prevailing : '';
  return { text: Object.hasOwn(texts, pv) ? texts[pv] : '', texts, prevailing: pv };
}

function checkOne(v: unknown, path: string, p: Problems): string {
  if (typeof v !== 'string') {
    p.add(path, v === undefined ? 'is required' : 'must be a string or { <language>: text, …, prevailing }');
    return '';
  }
  if (v.trim() === '') p.add(path, 'must not be empty');
  else if (v.length > LIMITS.text) p.add(path, `at most ${LIMITS.text} characters (got ${v.length})`);
  else if (LONE_SURROGATE.test(v)) p.add(path, 'holds an unpaired surrogate');
  return v;
}

/** The same texts: one language each, or the same languages with the same texts and the same prevailing one. */
export function sameTexts(a: ClauseTexts, b: ClauseTexts): boolean {
  if (a.text !== b.text || a.prevailing !== b.prevailing) return false;
  const ka = Object.keys(a.texts ?? {});
  const kb = b.texts ?? {};
  return ka.length === Object.keys(kb).length && ka.every((k) => Object.hasOwn(kb, k) && kb[k] === a.texts?.[k]);
}

/** The texts as the body holds them: `texts` and `prevailing` only when given in languages. */
export function textFields(c: ClauseTexts): ClauseTexts {
  return c.texts !== undefined && c.prevailing !== undefined ? { text: c.text, texts: { ...c.texts }, prevailing: c.prevailing } : { text: c.text };
}
