// Need-to-know for monitoring content: who reads a report, a notification, an
// acknowledgement or a finding in full, who reads it coarsened, and who learns only
// that it exists (its salted commitment in the public record). An arrangement states
// its own policy (the `disclosure` section); what it leaves out is the protective
// default below. Every route, view, event stream and export asks `disclosureOf`.
//
// Like policy.ts this imports nothing from the project: the arrangement loader, the
// monitor, the server and a party's replica all read the same decision.

import { type Actor, ROLES, type Role } from './policy.ts';

export const CONTENT_KINDS = ['party-reports', 'mediator-reports', 'observer-reports', 'notifications', 'acks', 'findings'] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];

/** Audience words besides roles and actor ids; what each means depends on the content (see `Content`). */
export const AUDIENCE_WORDS = ['author', 'subject', 'notifier', 'concerned'] as const;
export type AudienceWord = (typeof AUDIENCE_WORDS)[number];

export interface Coarsening {
  /** positions rounded to a grid of this many metres */
  position_m: number;
  /** times floored to this many seconds */
  time_s: number;
}

export interface AudienceRule {
  /** roles, actor ids and audience words that read the content as it is */
  full: string[];
  /** those that read it coarsened (positions and times rounded), if any */
  coarse?: Coarsening & { to: string[] };
}

export type DisclosurePolicy = Readonly<Record<ContentKind, Readonly<AudienceRule>>>;

export type Level = 'full' | 'coarse' | 'exists';

export interface Disclosure {
  level: Level;
  /** how to coarsen, when level is 'coarse' */
  coarsening?: Coarsening;
}

/** What the policy needs to know of one piece of content. */
export interface Content {
  kind: ContentKind;
  /** who filed it (a finding: the log that recorded the engine's output) */
  author: string;
  /** the actor whose unit a report is about; a notification's or acknowledgement's actor */
  subject?: string;
  /** an acknowledgement's: the actor whose notification it acknowledges */
  notifier?: string;
  /** a finding's: the actors whose units or duties it is about */
  concerned?: readonly string[];
}

// Defaults protect. A party's raw tracks reach its author and the mediator; the other
// party and third parties learn what matters through findings. The actor a report is
// about always reads it (nothing in it is news to that actor), so every party holds
// every report about its own forces and can re-derive the findings about them. An
// observer team's exact positions stay with the mission and the mediator; the parties
// see them coarsened. A notification reaches every party (each must acknowledge it).
export const DEFAULT_DISCLOSURE: DisclosurePolicy = {
  'party-reports': { full: ['author', 'subject', 'mediator'] },
  'mediator-reports': { full: ['author', 'subject'] },
  'observer-reports': { full: ['author', 'subject', 'mediator'], coarse: { to: ['party'], position_m: 5000, time_s: 3600 } },
  notifications: { full: ['author', 'subject', 'party', 'mediator'] },
  acks: { full: ['author', 'subject', 'notifier', 'mediator'] },
  findings: { full: ['party', 'mediator', 'guarantor', 'observer', 'concerned'] },
};

/** The arrangement's policy, its gaps filled from the default, kind by kind. */
export function resolveDisclosure(doc?: Partial<Record<ContentKind, AudienceRule>>): DisclosurePolicy {
  const out = { ...DEFAULT_DISCLOSURE };
  if (doc) for (const k of CONTENT_KINDS) if (doc[k]) out[k] = doc[k];
  return out;
}

function isRole(s: string): s is Role {
  return (ROLES as readonly string[]).includes(s);
}

/** Does this audience name the actor, for this content? */
function names(audience: readonly string[], actor: Actor, c: Content): boolean {
  for (const a of audience) {
    if (a === actor.id) return true;
    if (isRole(a)) {
      if (a === actor.role) return true;
      continue;
    }
    switch (a as AudienceWord) {
      case 'author':
        if (c.author === actor.id) return true;
        break;
      case 'subject':
        if (c.subject === actor.id) return true;
        break;
      case 'notifier':
        if (c.notifier === actor.id) return true;
        break;
      case 'concerned':
        if (c.concerned?.includes(actor.id)) return true;
        break;
    }
  }
  return false;
}

/** How much of this content this actor reads. Unknown roles or kinds read nothing. */
export function disclosureOf(policy: DisclosurePolicy, actor: Actor, c: Content): Disclosure {
  if (!isRole(actor.role)) return { level: 'exists' };
  const rule = Object.hasOwn(policy, c.kind) ? policy[c.kind] : undefined;
  if (!rule) return { level: 'exists' };
  if (names(rule.full, actor, c)) return { level: 'full' };
  if (rule.coarse && names(rule.coarse.to, actor, c))
    return { level: 'coarse', coarsening: { position_m: rule.coarse.position_m, time_s: rule.coarse.time_s } };
  return { level: 'exists' };
}

/** Reads in full? The common question of routes that show content whole or not at all. */
export function readsInFull(policy: DisclosurePolicy, actor: Actor, c: Content): boolean {
  return disclosureOf(policy, actor, c).level === 'full';
}

/**
 * May this reader have an attachment (a photo, imagery a report names by hash)? Only if it
 * reads in full a report that names it: a coarse reader of the report gets no photo of it,
 * and an attachment no report names is nobody's.
 */
export function readsAttachment(policy: DisclosurePolicy, actor: Actor, namedBy: readonly Content[]): boolean {
  return namedBy.some((c) => readsInFull(policy, actor, c));
}

/** What a report is, for the policy: the kind follows the role of whoever filed it. */
export function contentOfReport(author: Actor, report: { type: string; actor?: string }, notifier?: string): Content {
  const subject = report.actor;
  const base = { author: author.id, ...(subject !== undefined ? { subject } : {}) };
  if (report.type === 'notification') return { kind: 'notifications', ...base };
  if (report.type === 'ack') return { kind: 'acks', ...base, ...(notifier !== undefined ? { notifier } : {}) };
  if (author.role === 'observer') return { kind: 'observer-reports', ...base };
  if (author.role === 'mediator') return { kind: 'mediator-reports', ...base };
  return { kind: 'party-reports', ...base };
}

/** Does every actor of the arrangement read this in full? Then it need not be sealed. */
export function isPublic(policy: DisclosurePolicy, actors: readonly Actor[], c: Content): boolean {
  return actors.every((a) => readsInFull(policy, a, c));
}

/**
 * Does `reader` read in full everything that can bear on the findings about `subject`:
 * every report about its units whoever files it, its notifications, and the
 * acknowledgements of them? Then the reader can re-derive those findings itself.
 * Checked against every actor who could be an author, so an arrangement that names
 * actors one by one is judged as written.
 */
export function seesAllAbout(policy: DisclosurePolicy, actors: readonly Actor[], reader: Actor, subject: string): boolean {
  for (const author of actors) {
    const base = { author: author.id, subject };
    const kinds: ContentKind[] = author.role === 'observer' ? ['observer-reports'] : author.role === 'mediator' ? ['mediator-reports'] : ['party-reports'];
    // A party files reports only of its own units; others' reports about a party come from the mediator and observers.
    if (author.role === 'party' && author.id !== subject) kinds.length = 0;
    if (author.id === subject) kinds.push('notifications');
    for (const kind of kinds) if (!readsInFull(policy, reader, { kind, ...base })) return false;
    if (author.role === 'party' || author.role === 'mediator' || author.role === 'observer') {
      if (!readsInFull(policy, reader, { kind: 'acks', author: author.id, subject: author.id, notifier: subject })) return false;
    }
  }
  return true;
}
