// The talks commands as forms, each shown only to the role that may send it (the
// server decides in the end; a refusal is shown next to the form).
import type { JsonObject } from '../../../src/record/canonical.ts';
import type { App } from '../app.ts';
import type { DraftView, GapReport, TalksView } from '../api/types.ts';
import { h } from '../dom.ts';
import { STANCES } from '../../../src/talks/limits.ts';
import { actionForm, field, FormProblem } from './forms.ts';

interface Created {
  id?: string;
  version?: number;
  type?: string;
  index?: number;
}

export const done = (r: unknown) => {
  const c = r as Created;
  return `Recorded${c.type ? ` (${c.type})` : ''}${c.id ? `: ${c.id}` : ''}${c.version ? `: draft ${c.version}` : ''}${c.index !== undefined ? `, entry ${c.index}` : ''}.`;
};

export interface TalksContext {
  app: App;
  view: TalksView;
  gap: GapReport;
  current: DraftView | undefined;
  refresh: () => void;
}

// Signed in the page when this device holds an enrolled key; else the server signs.
export function post(c: TalksContext, path: string, body: unknown): Promise<unknown> {
  return c.app.signing.talks(path, body as JsonObject);
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
    h('option', { value: '' }, '(no issue)'),
    c.view.agenda.filter((i) => i.open).map((i) => h('option', { value: i.id }, `${i.id}: ${i.title}${i.unit ? ` (${i.unit})` : ''}`)),
  );
  const position = h('input', { type: 'number', step: 'any', 'data-test': 'submit-position' });
  const confidential = h('input', { type: 'checkbox', 'data-test': 'submit-confidential' });
  const quiet = h('input', { type: 'checkbox', 'data-test': 'submit-quiet' });
  return actionForm({
    title: 'Submit to the mediator',
    test: 'submit-form',
    fields: [
      field('Text', text),
      field('Issue', issue),
      field('Position', position, 'a number, on a numeric issue'),
      field('Confidential: only the mediator reads it', confidential),
      field('Quietly: the record shows only that an entry exists, not who sent it', quiet),
    ],
    submit: 'Submit',
    resetOnDone: true,
    run: () => {
      const body: Record<string, unknown> = { text: text.value };
      if (issue.value) body.issue = issue.value;
      if (position.value !== '') body.position = Number(position.value);
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
    STANCES.map((s) => h('option', { value: s }, s)),
  );
  // Start from the party's present stance, so that answering again is a deliberate change.
  const present = c.gap.clauses.find((cl) => cl.id === clause)?.stances.find((s) => s.party === c.app.me.id)?.stance;
  if (present !== undefined && present !== null && (STANCES as readonly string[]).includes(present)) stance.value = present;
  const note = h('input', { type: 'text', placeholder: 'note (optional)', 'data-test': 'stance-note' });
  const form = actionForm({
    title: `Your stance on ${clause}`,
    test: 'stance-form',
    fields: [stance, note],
    submit: 'Answer',
    disabledBecause: c.view.announcement ? 'The text has been announced.' : null,
    run: () => post(c, 'stances', { draft: c.current!.version, clause, stance: stance.value, ...(note.value ? { note: note.value } : {}) }),
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
    title: 'Withdraw an acceptance',
    test: 'withdraw-form',
    fields: [
      boxes.length
        ? h(
            'div',
            { class: 'checks' },
            boxes.map((b) => field(b.id, b.box)),
          )
        : null,
      h('small', { class: 'muted' }, 'Leave every box empty to withdraw every clause you accepted.'),
      field('Note', note),
    ],
    submit: 'Withdraw',
    disabledBecause: c.view.announcement ? 'The text has been announced.' : accepted.length === 0 ? 'You have accepted no clause of the current draft.' : null,
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
  const unit = h('input', { type: 'text', placeholder: 'e.g. km', 'data-test': 'issue-unit' });
  return actionForm({
    title: 'Open an agenda issue',
    test: 'issue-form',
    fields: [field('Id', id), field('Title', title), field('Unit', unit, 'for a numeric issue; empty for prose')],
    submit: 'Open issue',
    resetOnDone: true,
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
    submit: 'Close',
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
    parties(c).map((p) => h('option', { value: p.id }, p.name)),
  );
  const text = h('textarea', { rows: 3, required: true, 'data-test': 'relay-text' });
  const cites = h(
    'select',
    { multiple: true, size: Math.min(5, Math.max(2, c.view.submissions.length)), 'data-test': 'relay-cites' },
    c.view.submissions.map((s) => h('option', { value: s.id }, `${s.id} (${s.author})`)),
  );
  return actionForm({
    title: 'Relay to a party',
    test: 'relay-form',
    fields: [field('To', to), field('Text, in the mediator’s own words', text), field('Cites', cites, 'submissions it draws on (optional)')],
    submit: 'Relay',
    resetOnDone: true,
    run: () => {
      const picked = [...cites.selectedOptions].map((o) => o.value);
      return post(c, 'relays', { to: to.value, text: text.value, ...(picked.length ? { cites: picked } : {}) });
    },
    done,
    after: c.refresh,
  });
}

export function draftForm(c: TalksContext): HTMLFormElement {
  const rows = h('div', { class: 'clauses-editor', 'data-test': 'draft-clauses' });
  const addRow = (clause?: { id: string; text: string; rules: unknown[] }) => {
    const id = h('input', { type: 'text', value: clause?.id ?? '', placeholder: 'clause id', 'data-test': 'clause-id' });
    const text = h('textarea', { rows: 2, placeholder: 'clause text', 'data-test': 'clause-text' });
    text.value = clause?.text ?? '';
    const rules = h('textarea', { rows: 2, placeholder: 'rules as JSON (optional): [{"id": …, "kind": …}]', class: 'mono', 'data-test': 'clause-rules' });
    rules.value = clause?.rules.length ? JSON.stringify(clause.rules, null, 1) : '';
    const row: HTMLElement = h(
      'div',
      { class: 'clause-row' },
      id,
      text,
      rules,
      h('button', { type: 'button', class: 'link', onclick: () => row.remove() }, 'remove'),
    );
    rows.append(row);
  };
  for (const cl of c.current?.clauses ?? []) addRow(cl);
  if (!c.current) addRow();
  const note = h('input', { type: 'text', 'data-test': 'draft-note' });
  return actionForm({
    title: c.current ? `New draft (after draft ${c.current.version})` : 'First draft',
    test: 'draft-form',
    fields: [rows, h('button', { type: 'button', class: 'link', onclick: () => addRow() }, '+ clause'), field('Note', note)],
    submit: 'Issue draft',
    disabledBecause: c.view.announcement ? 'The text has been announced.' : null,
    run: async () => {
      const clauses = [...rows.querySelectorAll<HTMLElement>('.clause-row')].map((row, i) => {
        const [id, text, rules] = row.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea');
        const clause: Record<string, unknown> = { id: id.value.trim(), text: text.value };
        if (rules.value.trim() !== '') {
          try {
            clause.rules = JSON.parse(rules.value);
          } catch (e) {
            throw new FormProblem(`clauses[${i}].rules is not JSON: ${(e as Error).message}`);
          }
        }
        return clause;
      });
      return post(c, 'drafts', { clauses, ...(note.value ? { note: note.value } : {}) });
    },
    done,
    after: c.refresh,
  });
}

export function announceForm(c: TalksContext): HTMLFormElement {
  const why = c.view.announcement
    ? `Draft ${c.view.announcement.draft} has been announced.`
    : !c.current
      ? 'There is no draft yet.'
      : c.view.approved !== true
        ? `Draft ${c.current.version} is not approved by every guarantor yet.`
        : null;
  return actionForm({
    title: 'Announce the approved text',
    test: 'announce-form',
    fields: [h('p', { class: 'muted small' }, 'Its clauses’ rules come into force in the monitoring at once.')],
    submit: c.current ? `Announce draft ${c.current.version}` : 'Announce',
    disabledBecause: why,
    run: () => post(c, 'announcement', { draft: c.current!.version }),
    done,
    after: c.refresh,
  });
}

// ---- guarantor ---------------------------------------------------------------------

/** Why the guarantor cannot approve now, or null when it can. */
export function approveBlocker(c: TalksContext): string | null {
  if (c.view.announcement) return `Draft ${c.view.announcement.draft} has been announced.`;
  if (!c.current) return 'There is no draft to approve yet.';
  if (c.view.approvals.some((a) => a.by === c.app.me.id && a.draft === c.current!.version)) return `You approved draft ${c.current.version}.`;
  if (c.gap.agreed !== true) {
    const open = c.gap.clauses.filter((cl) => !cl.accepted);
    const detail = open
      .map(
        (cl) =>
          `${cl.id} (${cl.stances
            .filter((s) => s.stance !== 'accept')
            .map((s) => `${c.app.actorName(s.party)}: ${s.stance === 'none' ? 'no answer' : s.stance}`)
            .join(', ')})`,
      )
      .join('; ');
    return `Not every party accepts every clause of draft ${c.current.version} yet${detail ? `: ${detail}` : ''}.`;
  }
  return null;
}

export function approveForm(c: TalksContext): HTMLFormElement {
  return actionForm({
    title: 'Approve the text',
    test: 'approve-form',
    fields: [h('p', { class: 'muted small' }, 'Approval is possible once every party accepts every clause of the current draft.')],
    submit: c.current ? `Approve draft ${c.current.version}` : 'Approve',
    disabledBecause: approveBlocker(c),
    run: () => post(c, 'approval', { draft: c.current!.version }),
    done,
    after: c.refresh,
  });
}
