// Reports as they go into the record (design §2, spec/record.md "Sealed reports"): each
// report the disclosure policy does not open to every actor is replaced in the signed
// body by its own salted commitment `{ sealed }`, so one report of a batch can later be
// released without the others. The content committed to is the report's RFC 8785 text.
import { contentOfReport, type Content, type DisclosurePolicy, isPublic } from '../../policy/disclosure.ts';
import type { Actor } from '../../policy/policy.ts';
import { canonicalJson, type JsonObject } from '../../record/canonical.ts';
import { type SealedContent, sealAll, sealedOf } from '../../record/sealed.ts';

export interface SealingContext {
  policy: DisclosurePolicy;
  actors: readonly Actor[];
  /** the actor whose notification `id` is (earlier ones, or one in the same batch) */
  notifierOf: (id: string) => string | undefined;
}

/** What the policy needs of one report, the notifier of an ack looked up. */
export function contentOf(ctx: SealingContext, author: Actor, report: { type: string; actor?: string; notification?: string }): Content {
  const notifier = report.type === 'ack' && typeof report.notification === 'string' ? ctx.notifierOf(report.notification) : undefined;
  return contentOfReport(author, report, notifier);
}

export interface SealedReports {
  /** each report, or its commitment, as the statement body lists it */
  items: JsonObject[];
  /** the canonical text of each item */
  itemTexts: string[];
  /** the opening of each sealed item (undefined for a public one) */
  openings: (SealedContent | undefined)[];
}

/**
 * Seals the reports the policy restricts. `texts` are the reports' canonical texts, the
 * contents committed to. The salts come from one random draw for the whole batch.
 */
export function sealReports(ctx: SealingContext, author: Actor, raw: readonly JsonObject[], texts: readonly string[]): SealedReports {
  const restricted = restrictedReports(ctx, author, raw);
  const seals = sealAll(texts.filter((_, i) => restricted[i]));
  let k = 0;
  const out: SealedReports = { items: [], itemTexts: [], openings: [] };
  raw.forEach((r, i) => {
    if (!restricted[i]) {
      out.items.push(r);
      out.itemTexts.push(texts[i]);
      out.openings.push(undefined);
      return;
    }
    const s = seals[k++];
    const item = sealedReportItem(s.sealed, r.time);
    out.items.push(item);
    out.itemTexts.push(canonicalJson(item));
    out.openings.push(s);
  });
  return out;
}

/**
 * Which of these reports (of one statement, in order) the policy does not open to every
 * actor: those must be sealed. A notification earlier in the batch names an ack's notifier.
 */
export function restrictedReports(ctx: SealingContext, author: Actor, raw: readonly unknown[]): boolean[] {
  const notes = new Map<string, string>();
  const local: SealingContext = { ...ctx, notifierOf: (id) => notes.get(id) ?? ctx.notifierOf(id) };
  // A batch holds many reports of the same kind about the same actor: each distinct one is judged once.
  const judged = new Map<string, boolean>();
  return raw.map((r) => {
    const report = r as { type: string; id?: string; actor?: string; notification?: string };
    if (report.type === 'notification' && typeof report.id === 'string' && typeof report.actor === 'string') notes.set(report.id, report.actor);
    const c = contentOf(local, author, report);
    const key = `${c.kind}\0${c.subject ?? ''}\0${c.notifier ?? ''}`;
    let restricted = judged.get(key);
    if (restricted === undefined) judged.set(key, (restricted = !isPublic(ctx.policy, ctx.actors, c)));
    return restricted;
  });
}

/**
 * A sealed report as the body lists it: its commitment, and its time in the clear. The
 * time is public (the entry's own times say as much) so that a reader who may not open
 * the report still passes the engine's deadlines where the server did (Monitor.tick).
 */
export function sealedReportItem(sealed: string, time: unknown): JsonObject {
  return typeof time === 'string' ? { sealed, time } : { sealed };
}

/** The commitment of a body item that is only `{ sealed }` (with a report's `time`), else undefined. */
export function sealedItem(item: unknown): string | undefined {
  const s = sealedOf(item);
  if (s === undefined) return undefined;
  const keys = Object.keys(item as object);
  return keys.every((k) => k === 'sealed' || (k === 'time' && typeof (item as { time?: unknown }).time === 'string')) ? s : undefined;
}
