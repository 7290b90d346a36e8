// The talks commands as forms, each shown only to the role that may send it (the
// server decides in the end; a refusal is shown next to the form).
import type { JsonObject } from '../../../src/record/canonical.ts';
import type { App } from '../app.ts';
import type { DraftView, GapReport, TalksView } from '../api/types.ts';
import { h } from '../dom.ts';
import { t } from '../i18n/i18n.ts';
import { localized } from '../i18n/localized.ts';
import { en, type MessageKey } from '../i18n/messages.ts';
import { STANCES } from '../../../src/talks/limits.ts';
import { SECTIONS_CLAUSE } from '../../../src/talks/sections-stance.ts';
import type { MapDraw } from '../map/draw.ts';
import { actionForm, field } from './forms.ts';
import { draftRulesForm } from './rule-form-draft.ts';
import { blockedBecause } from './talks-blockers.ts';

interface Created {
  id?: string;
  version?: number;
  type?: string;
  index?: number;
}

export const done = (r: unknown) => {
  const c = r as Created;
  const head = c.type ? t('form.recordedType', { type: c.type }) : t('form.recorded');
  const what = c.id ? `: ${c.id}` : c.version ? `: ${t('form.recordedDraft', { n: String(c.version) })}` : '';
  return `${head}${what}${c.index !== undefined ? `${t('list.separator')}${t('form.recordedEntry', { n: String(c.index) })}` : ''}.`;
};

export interface TalksContext {
  app: App;
  view: TalksView;
  gap: GapReport;
  current: DraftView | undefined;
  refresh: () => void;
  /** drawing on the map, where there is one (the draft form's zones) */
  draw?: MapDraw;
}

// Signed in the page when this device holds an enrolled key; else the server signs.
export function post(c: TalksContext, path: string, body: unknown): Promise<unknown> {
  return c.app.signing.talks(path, body as JsonObject);
}

/** A party's stance in words (the server's value where the table has none). */
export function stanceWord(stance: string): string {
  const key = `stance.${stance}`;
  return Object.hasOwn(en, key) ? t(key as MessageKey) : stance;
}

function parties(c: TalksContext): { id: string; name: string }[] {
  return c.app.arrangement.actors.filter((a) => a.role === 'party');
}

// ---- party -------------------------------------------------------------------------

export function submitForm(c: TalksContext): HTMLFormElement {
  const text = h('textarea', { rows: 3, required: true, 'data-test': 'submit-text' });
  const issue = h(
    'select',
    { 'data-test': 'submit-issue' },
    h('option', { value: '' }, t('tf.noIssue')),
    c.view.agenda.filter((i) => i.open).map((i) => h('option', { value: i.id }, `${i.id}: ${localized(i.title)}${i.unit ? ` (${i.unit})` : ''}`)),
  );
  const position = h('input', { type: 'number', step: 'any', 'data-test': 'submit-position' });
  // A position is a number on a numeric issue's scale: offered only once such an issue is chosen.
  const positionField = field(t('tf.position'), position, t('tf.positionHint'));
  const numeric = () => c.view.agenda.find((i) => i.id === issue.value)?.unit ?? null;
  const showPosition = () => {
    const unit = numeric();
    // .field sets display, which the hidden attribute alone does not override.
    positionField.style.display = unit === null ? 'none' : '';
    positionField.querySelector('label')!.textContent = unit === null ? t('tf.position') : t('draft.positionNumeric', { unit });
    if (unit === null) position.value = '';
  };
  issue.addEventListener('change', showPosition);
  showPosition();
  const confidential = h('input', { type: 'checkbox', 'data-test': 'submit-confidential' });
  const quiet = h('input', { type: 'checkbox', 'data-test': 'submit-quiet' });
  return actionForm({
    title: t('tf.submitTitle'),
    test: 'submit-form',
    fields: [field(t('tf.text'), text), field(t('tf.issue'), issue), positionField, field(t('tf.confidential'), confidential), field(t('tf.quiet'), quiet)],
    submit: t('tf.submit'),
    resetOnDone: true,
    disabledBecause: blockedBecause(c.view, 'submit'),
    run: () => {
      const body: Record<string, unknown> = { text: text.value };
      if (issue.value) body.issue = issue.value;
      if (position.value !== '' && numeric() !== null) body.position = Number(position.value);
      if (confidential.checked) body.confidential = true;
      if (quiet.checked) body.quiet = true;
      return post(c, 'submissions', body);
    },
    done,
    after: c.refresh,
  });
}

export function stanceForm(c: TalksContext, clause: string): HTMLFormElement {
  const stance = h(
    'select',
    { 'data-test': 'stance-value' },
    STANCES.map((s) => h('option', { value: s }, Object.hasOwn(en, `stanceValue.${s}`) ? t(`stanceValue.${s}` as MessageKey) : s)),
  );
  // Start from the party's present stance, so that answering again is a deliberate change.
  const present = c.gap.clauses.find((cl) => cl.id === clause)?.stances.find((s) => s.party === c.app.me.id)?.stance;
  if (present !== undefined && present !== null && (STANCES as readonly string[]).includes(present)) stance.value = present;
  const note = h('input', { type: 'text', placeholder: t('tf.noteOptional'), 'data-test': 'stance-note' });
  const form = actionForm({
    title: t('tf.stanceTitle', { clause }),
    test: 'stance-form',
    fields: [stance, note],
    submit: t('tf.answer'),
    disabledBecause: blockedBecause(c.view, 'stance'),
    run: () =>
      post(c, 'stances', {
        draft: c.current!.version,
        clause,
        stance: stance.value,
        ...(note.value ? { note: note.value } : {}),
        // The sections as this page read them: a server that changed them meanwhile refuses the stance.
        ...(clause === SECTIONS_CLAUSE && c.current?.sections_hash ? { sections_hash: c.current.sections_hash } : {}),
      }),
    done,
    after: c.refresh,
  });
  form.classList.add('inline');
  form.dataset.clause = clause;
  return form;
}

export function withdrawForm(c: TalksContext): HTMLFormElement {
  const me = c.app.me.id;
  const accepted = c.gap.clauses.filter((cl) => cl.stances.some((s) => s.party === me && s.stance === 'accept')).map((cl) => cl.id);
  const boxes = accepted.map((id) => ({ id, box: h('input', { type: 'checkbox', value: id }) }));
  const note = h('input', { type: 'text', 'data-test': 'withdraw-note' });
  return actionForm({
    title: t('tf.withdrawTitle'),
    test: 'withdraw-form',
    fields: [
      boxes.length
        ? h(
            'div',
            { class: 'checks' },
            boxes.map((b) => field(b.id, b.box)),
          )
        : null,
      h('small', { class: 'muted' }, t('tf.withdrawHint')),
      field(t('tf.note'), note),
    ],
    submit: t('tf.withdraw'),
    disabledBecause: blockedBecause(c.view, 'withdraw') ?? (accepted.length === 0 ? t('tf.noneAccepted') : null),
    run: () => {
      const clauses = boxes.filter((b) => b.box.checked).map((b) => b.id);
      return post(c, 'withdrawals', { ...(clauses.length ? { clauses } : {}), ...(note.value ? { note: note.value } : {}) });
    },
    done,
    after: c.refresh,
  });
}

// ---- mediator ----------------------------------------------------------------------

export function openIssueForm(c: TalksContext): HTMLFormElement {
  const id = h('input', { type: 'text', required: true, 'data-test': 'issue-id' });
  const title = h('input', { type: 'text', required: true, 'data-test': 'issue-title' });
  const unit = h('input', { type: 'text', placeholder: t('tf.unitPlaceholder'), 'data-test': 'issue-unit' });
  return actionForm({
    title: t('tf.issueTitle'),
    test: 'issue-form',
    fields: [field(t('tf.id'), id), field(t('tf.title'), title), field(t('tf.unit'), unit, t('tf.unitHint'))],
    submit: t('tf.openIssue'),
    resetOnDone: true,
    disabledBecause: blockedBecause(c.view, 'open-issue'),
    run: () => post(c, 'issues', { id: id.value, title: title.value, ...(unit.value ? { numeric: { unit: unit.value } } : {}) }),
    done,
    after: c.refresh,
  });
}

export function closeIssueButton(c: TalksContext, issue: string): HTMLFormElement {
  const form = actionForm({
    title: '',
    test: 'close-issue',
    fields: [],
    submit: t('tf.close'),
    disabledBecause: blockedBecause(c.view, 'close-issue'),
    run: () => post(c, `issues/${encodeURIComponent(issue)}/close`, {}),
    done,
    after: c.refresh,
  });
  form.classList.add('inline');
  return form;
}

export function relayForm(c: TalksContext): HTMLFormElement {
  const to = h(
    'select',
    { 'data-test': 'relay-to' },
    parties(c).map((p) => h('option', { value: p.id }, c.app.actorName(p.id))),
  );
  const text = h('textarea', { rows: 3, required: true, 'data-test': 'relay-text' });
  const cites = h(
    'select',
    { multiple: true, size: Math.min(5, Math.max(2, c.view.submissions.length)), 'data-test': 'relay-cites' },
    c.view.submissions.map((s) => h('option', { value: s.id }, `${s.id} (${c.app.actorName(s.author)})`)),
  );
  return actionForm({
    title: t('tf.relayTitle'),
    test: 'relay-form',
    fields: [field(t('tf.to'), to), field(t('tf.relayText'), text), field(t('tf.cites'), cites, t('tf.citesHint'))],
    submit: t('tf.relay'),
    resetOnDone: true,
    disabledBecause: blockedBecause(c.view, 'relay'),
    run: () => {
      const picked = [...cites.selectedOptions].map((o) => o.value);
      return post(c, 'relays', { to: to.value, text: text.value, ...(picked.length ? { cites: picked } : {}) });
    },
    done,
    after: c.refresh,
  });
}

export function draftForm(c: TalksContext): HTMLFormElement {
  return draftRulesForm(c, blockedBecause(c.view, 'draft'), c.draw, done);
}

export function announceForm(c: TalksContext): HTMLFormElement {
  const why =
    blockedBecause(c.view, 'announce') ??
    (!c.current ? t('tf.noDraftYet') : c.view.approved !== true ? t('tf.notApproved', { n: String(c.current.version) }) : null);
  return actionForm({
    title: t('tf.announceTitle'),
    test: 'announce-form',
    fields: [h('p', { class: 'muted small' }, t('tf.announceHint'))],
    submit: c.current ? t('tf.announceDraft', { n: String(c.current.version) }) : t('tf.announce'),
    disabledBecause: why,
    run: () => post(c, 'announcement', { draft: c.current!.version }),
    done,
    after: c.refresh,
  });
}

// ---- guarantor ---------------------------------------------------------------------

/** Why the guarantor cannot approve now, or null when it can. */
export function approveBlocker(c: TalksContext): string | null {
  const order = blockedBecause(c.view, 'approve');
  if (order) return order;
  if (!c.current) return t('tf.nothingToApprove');
  if (c.view.approvals.some((a) => a.by === c.app.me.id && a.draft === c.current!.version)) return t('tf.youApproved', { n: String(c.current.version) });
  if (c.gap.agreed !== true) {
    const open = c.gap.clauses.filter((cl) => !cl.accepted);
    const detail = open
      .map(
        (cl) =>
          `${cl.id} (${cl.stances
            .filter((s) => s.stance !== 'accept')
            .map((s) => `${c.app.actorName(s.party)}: ${stanceWord(s.stance)}`)
            .join(t('list.separator'))})`,
      )
      .join('; ');
    const n = String(c.current.version);
    return detail ? t('tf.notAgreedDetail', { n, detail }) : t('tf.notAgreed', { n });
  }
  return null;
}

export function approveForm(c: TalksContext): HTMLFormElement {
  return actionForm({
    title: t('tf.approveTitle'),
    test: 'approve-form',
    fields: [h('p', { class: 'muted small' }, t('tf.approveHint'))],
    submit: c.current ? t('tf.approveDraft', { n: String(c.current.version) }) : t('tf.approve'),
    disabledBecause: approveBlocker(c),
    run: () => post(c, 'approval', { draft: c.current!.version }),
    done,
    after: c.refresh,
  });
}
