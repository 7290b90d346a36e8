// Who may do what, and who may see what of the talks and the record. Every route, view
// and stream asks here; monitoring content (reports, notifications, acknowledgements,
// units in the posture, findings) is decided by the disclosure policy beside this one
// (disclosure.ts), per arrangement, and nowhere else. Both answers here come from the
// two tables below, so this policy can be read (and tested) as data: role × action,
// role × item.
//
// This module imports nothing from the project: the talks, the monitor and the
// server all depend on it, and it must not depend on any of them.

export const ROLES = ['party', 'mediator', 'guarantor', 'observer', 'third-party'] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  id: string;
  role: Role;
  name?: string;
}

/** The actions that are talks commands: the talks' command kinds are these. */
export const TALKS_ACTIONS = [
  'submit',
  'relay',
  'open-issue',
  'close-issue',
  'draft',
  'stance',
  'approve',
  'announce',
  'withdraw',
  'consent-direct',
  'open-joint-channel',
  'joint-message',
  'close-joint-channel',
  'open-round',
  'propose-extension',
  'approve-extension',
] as const;

export const ACTIONS = [
  ...TALKS_ACTIONS,
  'report',
  'dispute',
  'resolve',
  'challenge',
  'record-refusal',
  'read-arrangement',
  'read-talks',
  'read-findings',
  'read-record',
  'read-events',
  'subscribe-webhooks',
  'read-bench',
  'write-bench',
] as const;
export type Action = (typeof ACTIONS)[number];

export type Permission = { ok: true } | { ok: false; reason: string };

interface ActionRule {
  roles: readonly Role[];
  /** completes "only … may …" in the refusal */
  who: string;
  what: string;
}

// Reports: an observer files observations, tracks and inspections; a party notifies its
// movements, acknowledges the other side's notices and may report its own units; the
// mediator acknowledges notices too (spec: "acknowledged by every other party and by the
// mediator") and may deploy forces of its own. The guarantor approves and watches
// compliance through findings; a third party has no seat. Neither files reports.
//
// Reads: the talks are for those at the table (parties, mediator, guarantor); observers and
// third parties learn the outcome from the arrangement in force. Record entries are open
// to every role (spec/api.md: "The record's entries: everyone with a role"), sealed
// content showing only its hash; the record is built to be checked by anyone.
export const ACTION_RULES: Readonly<Record<Action, ActionRule>> = {
  submit: { roles: ['party'], who: 'a party', what: 'submit to the mediator' },
  relay: { roles: ['mediator'], who: 'the mediator', what: 'relay to a party' },
  'open-issue': { roles: ['mediator'], who: 'the mediator', what: 'open an agenda issue' },
  'close-issue': { roles: ['mediator'], who: 'the mediator', what: 'close an agenda issue' },
  draft: { roles: ['mediator'], who: 'the mediator', what: 'draft the single text' },
  stance: { roles: ['party'], who: 'a party', what: 'take a stance on a clause' },
  approve: { roles: ['guarantor'], who: 'a guarantor', what: 'approve the text' },
  announce: { roles: ['mediator'], who: 'the mediator', what: 'announce the text' },
  withdraw: { roles: ['party'], who: 'a party', what: 'withdraw an acceptance' },
  // The joint channel (direct talks): the parties consent and close, the mediator opens,
  // and the three of them speak in it. The guarantor is not at that table (see VISIBILITY).
  'consent-direct': { roles: ['party'], who: 'a party', what: 'consent to direct talks' },
  'open-joint-channel': { roles: ['mediator'], who: 'the mediator', what: 'open the joint channel' },
  'joint-message': { roles: ['party', 'mediator'], who: 'a party or the mediator', what: 'speak in the joint channel' },
  'close-joint-channel': { roles: ['party'], who: 'a party', what: 'close the joint channel' },
  'open-round': { roles: ['mediator'], who: 'the mediator', what: 'open a round of talks' },
  'propose-extension': { roles: ['mediator'], who: 'the mediator', what: 'propose extending a deadline' },
  'approve-extension': { roles: ['guarantor'], who: 'a guarantor', what: "approve a deadline's extension" },
  report: { roles: ['party', 'mediator', 'observer'], who: 'a party, the mediator or an observer', what: 'file reports' },
  dispute: { roles: ['party'], who: 'a party', what: 'dispute a finding' },
  // A joint commission, where the arrangement names one, resolves too: mayResolve.
  resolve: { roles: ['mediator'], who: 'the mediator (or a member of the joint commission)', what: 'resolve a dispute' },
  challenge: { roles: ['party'], who: 'a party', what: 'request a challenge inspection' },
  'record-refusal': { roles: ['observer'], who: 'an observer', what: 'record a refusal of access' },
  'read-arrangement': { roles: ROLES, who: 'an actor of the arrangement', what: 'read the arrangement' },
  'read-talks': { roles: ['party', 'mediator', 'guarantor'], who: 'the parties, the mediator and the guarantor', what: 'read the talks' },
  'read-findings': { roles: ROLES, who: 'an actor of the arrangement', what: 'read findings' },
  'read-record': { roles: ROLES, who: 'an actor of the arrangement', what: 'read the record' },
  'read-events': { roles: ROLES, who: 'an actor of the arrangement', what: 'follow the event stream' },
  // A webhook is the event stream pushed: every actor may have one, for itself only, and
  // it carries no more than that actor's own stream would (src/server/webhooks).
  'subscribe-webhooks': { roles: ROLES, who: 'an actor of the arrangement', what: 'subscribe webhooks' },
  // The mediator's bench holds each party's reservation value, which no party may ever
  // learn: it is the mediator's working paper, never in the record. A guarantor the
  // arrangement names (its `bench` key) may read it too: mayReadBench.
  'read-bench': { roles: ['mediator'], who: 'the mediator (or a guarantor the arrangement names for the bench)', what: "read the mediator's bench" },
  'write-bench': { roles: ['mediator'], who: 'the mediator', what: "change the mediator's bench" },
};

function isRole(r: unknown): r is Role {
  return typeof r === 'string' && (ROLES as readonly string[]).includes(r);
}

/** May this actor take this action at all? (Whether the state allows it is the decider's business.) */
export function mayAct(actor: Actor, action: Action): Permission {
  const rule: ActionRule | undefined = Object.hasOwn(ACTION_RULES, action) ? ACTION_RULES[action] : undefined;
  if (!rule) return { ok: false, reason: `unknown action "${String(action)}"` };
  if (!isRole(actor.role)) return { ok: false, reason: `${actor.id} has no known role` };
  if (rule.roles.includes(actor.role)) return { ok: true };
  return { ok: false, reason: `only ${rule.who} may ${rule.what} (${actor.id} is ${article(actor.role)} ${actor.role})` };
}

function article(role: Role): string {
  return role === 'observer' ? 'an' : 'a';
}

export type Item =
  /** a party's submission to the mediator, confidential or not */
  | { kind: 'submission'; author: string }
  /** the mediator's relay to one party */
  | { kind: 'relay'; to: string }
  | { kind: 'issue' }
  | { kind: 'draft' }
  | { kind: 'stance' }
  | { kind: 'approval' }
  | { kind: 'announcement' }
  | { kind: 'withdrawal' }
  /** a deadline passing, an extension proposed or approved: for the mediator and the guarantor */
  | { kind: 'deadline' }
  /** a party's numeric position on an agenda issue */
  | { kind: 'position'; author: string }
  /** the distances between the parties' positions */
  | { kind: 'gap' }
  /** a record entry, sealed content showing only its hash */
  | { kind: 'entry' }
  /** the sealed content of a record entry; `to` is a relay's recipient */
  | { kind: 'sealed'; author: string; to?: string }
  /**
   * a party's dispute of a finding and its resolution: for its author, the mediator, the
   * guarantor, and those `about` it (the accused: the actors the finding is about; the
   * joint commission, which resolves it)
   */
  | { kind: 'dispute'; author: string; about?: readonly string[] }
  /** the joint channel: consents, its opening and closing, and its messages (sealed or not) */
  | { kind: 'joint' };

export type ItemKind = Item['kind'];

export const ITEM_KINDS: readonly ItemKind[] = [
  'submission',
  'relay',
  'issue',
  'draft',
  'stance',
  'approval',
  'announcement',
  'withdrawal',
  'deadline',
  'position',
  'gap',
  'entry',
  'sealed',
  'dispute',
  'joint',
];

/**
 * How a role sees an item kind:
 *  all       – every item of the kind
 *  none      – none
 *  author    – those it wrote
 *  recipient – those addressed to it (`to`)
 *  party-to  – those it wrote or that are addressed to it
 *  involved  – those it wrote or that name it among those they are `about`
 */
export type Visibility = 'all' | 'none' | 'author' | 'recipient' | 'party-to' | 'involved';

const EVERYONE: Readonly<Record<Role, Visibility>> = { party: 'all', mediator: 'all', guarantor: 'all', observer: 'all', 'third-party': 'all' };
const AT_THE_TABLE: Readonly<Record<Role, Visibility>> = { party: 'all', mediator: 'all', guarantor: 'all', observer: 'none', 'third-party': 'none' };

// The mediator sees everything. Beyond the issue's list, decided here:
//  - approvals and withdrawals go with the text and the stances (a party's withdrawal
//    voids an approval, so it must see what it voids);
//  - an announcement is public by nature: every role learns of it;
//  - the agenda is for those who submit on it (the parties) and the mediator;
//  - record entries are open to every role: restricted content is only a commitment in
//    them; sealed talks content goes to its author and, for a relay, its recipient.
// Reports, notifications, acknowledgements, the posture and findings are not here: the
// arrangement's disclosure policy decides them (disclosure.ts `disclosureOf`).
export const VISIBILITY: Readonly<Record<ItemKind, Readonly<Record<Role, Visibility>>>> = {
  submission: { party: 'author', mediator: 'all', guarantor: 'none', observer: 'none', 'third-party': 'none' },
  relay: { party: 'recipient', mediator: 'all', guarantor: 'none', observer: 'none', 'third-party': 'none' },
  issue: { party: 'all', mediator: 'all', guarantor: 'none', observer: 'none', 'third-party': 'none' },
  draft: AT_THE_TABLE,
  stance: AT_THE_TABLE,
  approval: AT_THE_TABLE,
  announcement: EVERYONE,
  withdrawal: AT_THE_TABLE,
  deadline: { party: 'none', mediator: 'all', guarantor: 'all', observer: 'none', 'third-party': 'none' },
  position: { party: 'author', mediator: 'all', guarantor: 'none', observer: 'none', 'third-party': 'none' },
  gap: { party: 'none', mediator: 'all', guarantor: 'none', observer: 'none', 'third-party': 'none' },
  entry: EVERYONE,
  sealed: { party: 'party-to', mediator: 'all', guarantor: 'party-to', observer: 'party-to', 'third-party': 'party-to' },
  dispute: { party: 'involved', mediator: 'all', guarantor: 'all', observer: 'involved', 'third-party': 'involved' },
  // Direct talks are the parties' and the mediator's: the guarantor approves the text
  // that comes out of them (drafts, stances) but does not sit in the room, as the
  // mediator's shuttle is not its either; observers and third parties never.
  joint: { party: 'all', mediator: 'all', guarantor: 'none', observer: 'none', 'third-party': 'none' },
};

/** May this actor see this item? Unknown roles or kinds see nothing. */
export function canSee(actor: Actor, item: Item): boolean {
  if (!isRole(actor.role)) return false;
  const row = Object.hasOwn(VISIBILITY, item.kind) ? VISIBILITY[item.kind] : undefined;
  if (!row) return false;
  const me = actor.id;
  switch (row[actor.role]) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'author':
      return 'author' in item && item.author === me;
    case 'recipient':
      return 'to' in item && item.to === me;
    case 'party-to':
      return ('author' in item && item.author === me) || ('to' in item && item.to === me);
    case 'involved':
      return ('author' in item && item.author === me) || ('about' in item && item.about?.includes(me) === true);
  }
}

/** May this actor resolve disputes: the mediator, or a member of the joint commission the arrangement names? */
export function mayResolve(actor: Actor, commission: readonly string[] = []): Permission {
  if (isRole(actor.role) && commission.includes(actor.id)) return { ok: true };
  return mayAct(actor, 'resolve');
}

/**
 * May this actor read the mediator's bench: the mediator, or a guarantor the arrangement
 * names for it (`bench: [us]`)? A party never, even if named: the bench holds the other
 * side's reservation value.
 */
export function mayReadBench(actor: Actor, readers: readonly string[] = []): Permission {
  if (actor.role === 'guarantor' && readers.includes(actor.id)) return { ok: true };
  return mayAct(actor, 'read-bench');
}

/** What the policy needs to know of a report to say whether an actor may file it. */
export interface FiledReport {
  type: string;
  /** the acting or reported actor (observation, track, notification, ack) */
  actor?: string;
  /** an inspection's observer; an observation's or track's source (an actor, or a sensor's name) */
  source?: string;
  /** whether `source` names an actor of the arrangement (the evidence rules then weigh the report as that actor's) */
  sourceIsActor?: boolean;
  unit?: string;
}

/**
 * May this actor file this report? Beyond the role (mayAct 'report'): notifications and
 * acknowledgements are made only in one's own name; inspections only by the observer
 * who made them; observers and the mediator's sensors report any force, a party only
 * its own (another's forces it reports to the mediator in a submission).
 */
export function mayFile(actor: Actor, r: FiledReport): Permission {
  const role = mayAct(actor, 'report');
  if (!role.ok) return role;
  const me = actor.id;
  switch (r.type) {
    case 'notification':
    case 'ack':
      return r.actor === me ? { ok: true } : { ok: false, reason: `${me} may file a ${r.type} only in its own name, not ${r.actor}'s` };
    case 'inspection':
      if (actor.role !== 'observer') return { ok: false, reason: `only an observer files inspections (${me} is ${article(actor.role)} ${actor.role})` };
      return r.source === me ? { ok: true } : { ok: false, reason: `an inspection filed by ${me} must name ${me} as its source, not ${r.source}` };
    default:
      if (actor.role === 'party' && r.actor !== me) return { ok: false, reason: `a party reports only its own units (${r.unit} is ${r.actor}'s)` };
      // A report is weighed as its source's: naming another actor would borrow its standing
      // (a mediator's track passed off as the observers' confirms a violation). A relayed
      // account goes in `claim`, its outlet named there.
      if (r.sourceIsActor && r.source !== me)
        return { ok: false, reason: `${me} may name only itself as a report's source, not ${r.source} (relay another's account as a claim)` };
      return { ok: true };
  }
}
