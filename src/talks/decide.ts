// decide(state, command, ctx) → events: the rules of the process. The command was
// parsed at the edge (commands.ts: its kind and shape, 400s). decide checks, in this
// order: that the actor belongs to the arrangement and its role may take the action
// (403), that the talks are not closed (409), the command's references (404), and the
// order of things (409). It returns the events to append; ids and versions are taken
// from the state, so that evolve needs no clock and no randomness.

import { mayAct } from '../policy/policy.ts';
import { closeJointChannel, consentDirect, jointMessage, openJointChannel } from './channel.ts';
import type {
  AnnounceCommand,
  ApproveCommand,
  CloseIssueCommand,
  DraftCommand,
  OpenIssueCommand,
  RelayCommand,
  StanceCommand,
  SubmitCommand,
  TalksCommand,
  WithdrawCommand,
} from './commands.ts';
import { approveExtension, checkRoundOrder, currentRound, openRound, proposeExtension } from './rounds.ts';
import { conflict, forbidden, notFound, Problems, TalksError } from './errors.ts';
import { jsonBytes, sameJson } from './json.ts';
import { agreementIds, hasAgreementId, SECTIONS_CLAUSE, sectionsHash } from './sections-stance.ts';
import { sameTexts, textFields } from './texts.ts';
import { textsHash } from './texts-hash.ts';
import { currentDraft, findActor, findIssue, guarantors, iso, notAccepted, parties, stanceOf } from './state.ts';
import type {
  AnnounceBody,
  ApproveBody,
  ClauseBody,
  DecideContext,
  Draft,
  DraftBody,
  IssueCloseBody,
  IssueOpenBody,
  EventBodies,
  Json,
  RelayBody,
  StanceBody,
  SubmitBody,
  TalksEvent,
  TalksEventOf,
  TalksEventType,
  TalksState,
  WithdrawBody,
} from './types.ts';

export function decide(state: TalksState, cmd: TalksCommand, ctx: DecideContext): TalksEvent[] {
  if (!Number.isSafeInteger(ctx.now)) throw new TypeError(`decide: ctx.now must be ms since the epoch, not ${ctx.now}`);
  const { actor } = ctx;
  const known = findActor(state, actor.id);
  if (!known || known.role !== actor.role) {
    forbidden(`${actor.id} is not ${actor.role === undefined ? 'an actor' : `a ${actor.role}`} of ${state.config.arrangement}`, 'unknown-actor');
  }
  const may = mayAct(actor, cmd.kind);
  if (!may.ok) forbidden(may.reason);
  checkRoundOrder(state, cmd, ctx.now);

  switch (cmd.kind) {
    case 'submit':
      return [submit(state, cmd, ctx)];
    case 'relay':
      return [relay(state, cmd, ctx)];
    case 'open-issue':
      return [openIssue(state, cmd, ctx)];
    case 'close-issue':
      return [closeIssue(state, cmd, ctx)];
    case 'draft':
      return [draft(state, cmd, ctx)];
    case 'stance':
      return [stance(state, cmd, ctx)];
    case 'approve':
      return [approve(state, cmd, ctx)];
    case 'announce':
      return [announce(state, cmd, ctx)];
    case 'withdraw':
      return [withdraw(state, cmd, ctx)];
    case 'consent-direct':
      return [consentDirect(state, cmd, ctx, maker(ctx))];
    case 'open-joint-channel':
      return [openJointChannel(state, cmd, ctx, maker(ctx))];
    case 'joint-message':
      return [jointMessage(state, cmd, ctx, maker(ctx))];
    case 'close-joint-channel':
      return [closeJointChannel(state, cmd, ctx, maker(ctx))];
    case 'open-round':
      return [event('talks.round.open', ctx, openRound(state, cmd, ctx.now))];
    case 'propose-extension':
      return [event('talks.extension.propose', ctx, proposeExtension(state, cmd))];
    case 'approve-extension':
      return [event('talks.extension.approve', ctx, approveExtension(state, cmd))];
  }
}

const maker =
  (ctx: DecideContext) =>
  <T extends TalksEventType>(type: T, body: EventBodies[T], sealed = false, quiet = false): TalksEventOf<T> =>
    event(type, ctx, body, sealed, quiet);

function event<T extends TalksEventType>(type: T, ctx: DecideContext, body: EventBodies[T], sealed = false, quiet = false): TalksEventOf<T> {
  const bytes = jsonBytes(body);
  // A quiet statement travels whole inside the sealed content, signed: leave room for its envelope.
  const max = quiet ? ctx.maxBodyBytes - QUIET_ENVELOPE_BYTES : ctx.maxBodyBytes;
  if (bytes > max) throw new TalksError(413, 'too-large', `the ${type} statement would be ${bytes} bytes; the record takes at most ${max}`);
  return { type, author: ctx.actor.id, time: ctx.now, body, sealed, ...(quiet && { quiet: true }) };
}

/** What a quiet statement's envelope (the statement's other fields, its signature and key) may weigh beside its body. */
export const QUIET_ENVELOPE_BYTES = 1024;

function invalid(path: string, message: string): never {
  throw new TalksError(400, 'invalid', `${path}: ${message}`, path);
}

function submit(state: TalksState, cmd: SubmitCommand, ctx: DecideContext): TalksEvent {
  if (cmd.issue === undefined) {
    if (cmd.position !== undefined) invalid('position', 'a position belongs to a numeric issue: give "issue" too');
  } else {
    const issue = findIssue(state, cmd.issue) ?? notFound('unknown-issue', `issue "${cmd.issue}" is not on the agenda`, 'issue');
    if (!issue.open) conflict('issue-closed', `issue "${issue.id}" is closed`, 'issue');
    if (cmd.position !== undefined && issue.unit === null) invalid('position', `issue "${issue.id}" is not numeric: it takes no position`);
  }
  const confidential = cmd.confidential ?? false;
  const body: SubmitBody = {
    id: `s-${state.submissions.length + 1}`,
    text: cmd.text,
    ...(cmd.issue !== undefined && { issue: cmd.issue }),
    ...(cmd.position !== undefined && { position: cmd.position }),
    confidential,
  };
  // Positions are the mediator's alone (the author's too), whatever the flag says: a
  // position in plain text on the public log would reach the other side.
  return event('talks.submit', ctx, body, confidential || cmd.position !== undefined, cmd.quiet === true);
}

function relay(state: TalksState, cmd: RelayCommand, ctx: DecideContext): TalksEvent {
  const to = findActor(state, cmd.to) ?? notFound('unknown-actor', `"${cmd.to}" is not an actor of ${state.config.arrangement}`, 'to');
  if (to.role !== 'party') invalid('to', `${to.id} is ${to.role === 'observer' ? 'an' : 'a'} ${to.role}: relays go to a party`);
  const cites = cmd.cites ?? [];
  cites.forEach((id, i) => {
    if (!state.submissions.some((s) => s.id === id)) notFound('unknown-submission', `submission "${id}" does not exist`, `cites[${i}]`);
  });
  const body: RelayBody = { id: `r-${state.relays.length + 1}`, to: to.id, text: cmd.text, cites: [...cites] };
  // Every relay is sealed: one addressed to one party must not be readable by the other from the record.
  return event('talks.relay', ctx, body, true);
}

function openIssue(state: TalksState, cmd: OpenIssueCommand, ctx: DecideContext): TalksEvent {
  const existing = findIssue(state, cmd.id);
  if (existing) conflict('issue-exists', `issue "${cmd.id}" is already on the agenda${existing.open ? '' : ' (closed)'}`, 'id');
  const body: IssueOpenBody = { id: cmd.id, title: cmd.title, ...(cmd.numeric && { numeric: { unit: cmd.numeric.unit } }) };
  return event('talks.issue.open', ctx, body);
}

function closeIssue(state: TalksState, cmd: CloseIssueCommand, ctx: DecideContext): TalksEvent {
  const issue = findIssue(state, cmd.id) ?? notFound('unknown-issue', `issue "${cmd.id}" is not on the agenda`, 'id');
  if (!issue.open) conflict('issue-closed', `issue "${issue.id}" is already closed`, 'id');
  const body: IssueCloseBody = { id: issue.id };
  return event('talks.issue.close', ctx, body);
}

function draft(state: TalksState, cmd: DraftCommand, ctx: DecideContext): TalksEvent {
  const clauses: ClauseBody[] = cmd.clauses.map((c) => ({ id: c.id, ...textFields(c), ...(c.rules !== undefined && { rules: c.rules }) }));
  checkRules(clauses, ctx, cmd.sections);
  const prev = currentDraft(state);
  const unchanged = prev ? clauses.filter((c) => isUnchanged(c, prev)).map((c) => c.id) : [];
  // Stances on the sections hold only for the very sections they were taken on.
  if (prev?.sections && cmd.sections !== undefined && sectionsHash(prev.sections) === sectionsHash(cmd.sections)) unchanged.push(SECTIONS_CLAUSE);
  const round = currentRound(state).number;
  const body: DraftBody = {
    version: state.drafts.length + 1,
    clauses,
    unchanged,
    ...(cmd.note !== undefined && { note: cmd.note }),
    // Round 1's drafts are written as they always were; later rounds say which round.
    ...(round > 1 && { round }),
    ...(cmd.sections !== undefined && { sections: cmd.sections }),
  };
  return event('talks.draft', ctx, body);
}

function isUnchanged(c: ClauseBody, prev: Draft): boolean {
  const before = prev.clauses.find((p) => p.id === c.id);
  // Any language's text changed is a change of the clause: its stances start again.
  return before !== undefined && sameTexts(before, c) && sameJson(before.rules, c.rules ?? []);
}

// Rule ids must be unique across the whole text (the clauses' rules become one
// arrangement); the rest of rule validation is the arrangement loader's, injected.
function checkRules(clauses: ClauseBody[], ctx: DecideContext, sections?: DraftBody['sections']): void {
  const p = new Problems();
  const all: Json[] = [];
  const where: string[] = [];
  const ids = new Map<string, string>();
  clauses.forEach((c, i) =>
    (c.rules ?? []).forEach((r, j) => {
      const path = `clauses[${i}].rules[${j}]`;
      all.push(r);
      where.push(path);
      const id = r !== null && typeof r === 'object' && !Array.isArray(r) ? r.id : undefined;
      if (typeof id !== 'string') return;
      const first = ids.get(id);
      if (first !== undefined) p.add(`${path}.id`, `duplicate rule id "${id}" (also ${first})`);
      else ids.set(id, path);
    }),
  );
  const validate = ctx.validateRules;
  if (sections !== undefined && ctx.validateAmendment) {
    for (const issue of ctx.validateAmendment(sections, all)) p.add(mapRulePath(issue.path, where), issue.message);
  } else if (validate && all.length > 0) {
    for (const issue of validate(all, 'rules')) p.add(mapRulePath(issue.path, where), issue.message);
  }
  p.throwIfAny();
}

function mapRulePath(path: string, where: string[]): string {
  const m = /^rules\[(\d+)\](.*)$/.exec(path);
  if (m) {
    const at = where[Number(m[1])];
    if (at !== undefined) return `${at}${m[2]}`;
  }
  return path === 'rules' || path === '' ? 'clauses' : path;
}

/** The current draft, if `version` is it: 404 for a draft that never was, 409 for an older one. */
function requireCurrent(state: TalksState, version: number, path: string): Draft {
  const cur = currentDraft(state);
  if (!cur) return notFound('unknown-draft', `draft ${version} does not exist: there is no draft yet`, path);
  if (version > cur.version) notFound('unknown-draft', `draft ${version} does not exist (current: ${cur.version})`, path);
  if (version < cur.version) conflict('stale-draft', `draft ${version} is not the current draft (current: ${cur.version})`, path);
  return cur;
}

function stance(state: TalksState, cmd: StanceCommand, ctx: DecideContext): TalksEvent {
  const d = requireCurrent(state, cmd.draft, 'draft');
  if (cmd.clause === SECTIONS_CLAUSE) return sectionsStance(d, cmd, ctx);
  if (cmd.sections_hash !== undefined)
    invalid('sections_hash', `binds a stance on the draft's sections (clause "${SECTIONS_CLAUSE}"), not on clause "${cmd.clause}"`);
  const clause = d.clauses.find((c) => c.id === cmd.clause) ?? notFound('unknown-clause', `draft ${d.version} has no clause "${cmd.clause}"`, 'clause');
  // A stance on a clause in several languages is on its texts as they stood: it binds their hash.
  const hash = textsHash(clause);
  if (cmd.texts_hash !== undefined && cmd.texts_hash !== hash)
    conflict(
      'texts-changed',
      `the texts of clause "${clause.id}" in draft ${d.version} are not those hashed ${cmd.texts_hash} (now: ${hash ?? 'one language, no hash'})`,
      'texts_hash',
    );
  const body: StanceBody = {
    draft: d.version,
    clause: cmd.clause,
    stance: cmd.stance,
    ...(cmd.note !== undefined && { note: cmd.note }),
    ...(hash !== undefined && { texts_hash: hash }),
  };
  return event('talks.stance', ctx, body);
}

// The sections are accepted as a clause whose content is the sections themselves: the
// stance binds their hash, so what a party accepted is exactly what the engine will run on.
function sectionsStance(d: Draft, cmd: StanceCommand, ctx: DecideContext): TalksEvent {
  if (d.sections === null) notFound('unknown-clause', `draft ${d.version} sets no sections: there is no "${SECTIONS_CLAUSE}" to take a stance on`, 'clause');
  if (cmd.texts_hash !== undefined) invalid('texts_hash', `binds a clause's texts; a stance on the sections binds sections_hash`);
  const hash = sectionsHash(d.sections);
  if (cmd.sections_hash !== undefined && cmd.sections_hash !== hash)
    conflict('sections-changed', `the sections of draft ${d.version} are not those hashed ${cmd.sections_hash} (now: ${hash})`, 'sections_hash');
  const body: StanceBody = {
    draft: d.version,
    clause: SECTIONS_CLAUSE,
    stance: cmd.stance,
    ...(cmd.note !== undefined && { note: cmd.note }),
    sections_hash: hash,
  };
  return event('talks.stance', ctx, body);
}

/** "il has not accepted c2 (reserve), c4 (no stance); sy has not accepted c1 (reject)" */
function whoHasNotAccepted(state: TalksState): string {
  return notAccepted(state)
    .map((m) => `${m.party} has not accepted ${m.clauses.map((c) => `${c.id} (${c.stance})`).join(', ')}`)
    .join('; ');
}

function requireAgreement(state: TalksState, d: Draft): void {
  if (parties(state).length === 0) conflict('not-agreed', `${state.config.arrangement} names no party to accept draft ${d.version}`);
  const missing = whoHasNotAccepted(state);
  if (missing !== '') conflict('not-agreed', `not every party accepts every clause of draft ${d.version}: ${missing}`);
}

function approve(state: TalksState, cmd: ApproveCommand, ctx: DecideContext): TalksEvent {
  const d = requireCurrent(state, cmd.draft, 'draft');
  if (state.approvals.some((a) => a.by === ctx.actor.id && a.draft === d.version)) {
    conflict('already-approved', `${ctx.actor.id} has already approved draft ${d.version}`, 'draft');
  }
  requireAgreement(state, d);
  const body: ApproveBody = { draft: d.version };
  return event('talks.approve', ctx, body);
}

function announce(state: TalksState, cmd: AnnounceCommand, ctx: DecideContext): TalksEvent {
  const d = requireCurrent(state, cmd.draft, 'draft');
  const gs = guarantors(state);
  if (gs.length > 0) {
    const missing = gs.filter((g) => !state.approvals.some((a) => a.by === g && a.draft === d.version));
    if (missing.length > 0)
      conflict('not-approved', `draft ${d.version} is not approved: ${missing.join(', ')} ${missing.length === 1 ? 'has' : 'have'} not approved it`, 'draft');
  }
  // Approvals are voided by any step back from agreement, so with a guarantor this holds
  // already; without one (an arrangement may name none) agreement is what is required.
  requireAgreement(state, d);
  const round = currentRound(state);
  const by = round.deadline ?? undefined;
  const body: AnnounceBody = {
    draft: d.version,
    late: by !== undefined && ctx.now > by,
    ...(by !== undefined && { announce_by: iso(by) }),
    ...(round.number > 1 && { round: round.number }),
  };
  return event('talks.announce', ctx, body);
}

function withdraw(state: TalksState, cmd: WithdrawCommand, ctx: DecideContext): TalksEvent {
  const d = currentDraft(state) ?? conflict('no-draft', 'there is no draft yet: nothing to withdraw');
  const me = ctx.actor.id;
  let clauses: string[];
  if (cmd.clauses !== undefined) {
    cmd.clauses.forEach((id, i) => {
      if (!hasAgreementId(d, id)) notFound('unknown-clause', `draft ${d.version} has no clause "${id}"`, `clauses[${i}]`);
    });
    cmd.clauses.forEach((id, i) => {
      const s = stanceOf(state, id, me)?.stance ?? 'no stance';
      if (s !== 'accept') conflict('not-accepted', `${me} does not accept clause "${id}" of draft ${d.version} (${s}): nothing to withdraw`, `clauses[${i}]`);
    });
    clauses = [...cmd.clauses];
  } else {
    clauses = agreementIds(d).filter((id) => stanceOf(state, id, me)?.stance === 'accept');
    if (clauses.length === 0) conflict('not-accepted', `${me} accepts no clause of draft ${d.version}: nothing to withdraw`);
  }
  const body: WithdrawBody = { draft: d.version, clauses, ...(cmd.note !== undefined && { note: cmd.note }) };
  return event('talks.withdraw', ctx, body);
}
