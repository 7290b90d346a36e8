// The rule fields that are lists of small rows: a limit's `where` (attribute, comparison,
// value) and a notice's `escalation` ladder (to whom, how long after the ack deadline).
// Each row is added and removed with a button; a row half filled is written as it is, so
// the check names what it lacks (a rung without `to`, a condition without a value).
import { ESCALATION_WORDS } from '../../../src/arrangement/escalation.ts';
import { h } from '../dom.ts';
import { t } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { durationControl, type Field, type Option, optionsOf } from './rule-form-fields.ts';

type Written = Record<string, unknown>;
const OPS = ['gt', 'gte', 'lt', 'lte', 'eq'] as const;

interface Row {
  el: HTMLElement;
  read(): unknown;
}

/** A labelled group of rows (a div, not a label: a click on its text must not press its first button). */
function rowsField(path: string, label: string, addLabel: string, initial: unknown[], make: (x: unknown) => Row): Field & { rows(): unknown[] } {
  const rows: Row[] = [];
  const list = h('div', { class: 'rule-rows' });
  const error = h('small', { class: 'rule-field-error', 'data-test': 'rule-field-error', role: 'alert', hidden: true });
  const add = (x: unknown) => {
    const row = make(x);
    const remove = h('button', { type: 'button', class: 'link', 'data-test': `${path}-remove` }, t('tf.remove'));
    remove.addEventListener('click', () => {
      rows.splice(rows.indexOf(row), 1);
      row.el.remove();
      list.dispatchEvent(new Event('change', { bubbles: true }));
    });
    row.el.append(remove);
    rows.push(row);
    list.append(row.el);
  };
  for (const x of initial) add(x);
  const more = h('button', { type: 'button', class: 'link', 'data-test': `${path}-add` }, addLabel);
  more.addEventListener('click', () => {
    add(undefined);
    list.dispatchEvent(new Event('change', { bubbles: true }));
  });
  const el = h(
    'div',
    { class: 'rule-field rule-rows-field', role: 'group', 'data-path': path, 'data-test': `rule-${path}` },
    h('span', {}, label),
    list,
    more,
    error,
  );
  return { path, el, error, read: () => rows.map((r) => r.read()), rows: () => rows.map((r) => r.read()) };
}

let lists = 0;

/** A limit's `where`: holdings counted only when the unit's attribute compares so with a value. */
export function whereField(label: string, attrs: () => string[], initial: unknown): Field {
  const start: [string, string, unknown][] = [];
  if (initial && typeof initial === 'object')
    for (const [attr, cmp] of Object.entries(initial as Record<string, unknown>))
      for (const [op, value] of Object.entries((cmp ?? {}) as Written)) start.push([attr, op, value]);
  const listId = `where-attrs-${++lists}`;
  const known = h('datalist', { id: listId });
  const f = rowsField('where', label, t('draft2.addCondition'), start, (x) => {
    const [a, o, v] = (x as [string, string, unknown] | undefined) ?? ['', 'gt', undefined];
    const attr = h('input', { type: 'text', list: listId, value: a, 'aria-label': t('draft2.where.attr'), 'data-test': 'where-attr' });
    const op = h(
      'select',
      { 'aria-label': t('draft2.where.op'), 'data-test': 'where-op' },
      OPS.map((k) => h('option', { value: k }, t(`draft2.op.${k}` as MessageKey))),
    );
    op.value = (OPS as readonly string[]).includes(o) ? o : 'gt';
    const value = h('input', { type: 'number', step: 'any', 'aria-label': t('draft2.where.value'), 'data-test': 'where-value' });
    if (typeof v === 'number') value.value = String(v);
    attr.addEventListener('focus', () => known.replaceChildren(...attrs().map((x) => h('option', { value: x }))));
    return {
      el: h('div', { class: 'rule-row', 'data-test': 'where-row' }, attr, op, value),
      read: () => [attr.value.trim(), op.value, value.value === '' ? undefined : Number(value.value)],
    };
  });
  f.el.append(known);
  return {
    ...f,
    read: () => {
      const rows = f.rows() as [string, string, number | undefined][];
      if (rows.length === 0) return undefined;
      const out: Record<string, Written> = {};
      // Rows of one attribute join into one comparison object ({ gt: 10, lte: 40 }).
      for (const [attr, op, value] of rows) out[attr] = { ...(out[attr] ?? {}), [op]: value };
      return out;
    },
  };
}

/** A notice's ladder: each rung to whom, and how long after the ack deadline. */
export function escalationField(label: string, actors: () => Option[], initial: unknown): Field {
  const targets = (): Option[] => [...ESCALATION_WORDS.map((w) => ({ id: w, name: t(`draft2.to.${w}` as MessageKey) })), ...actors()];
  const f = rowsField('escalation', label, t('draft2.addRung'), Array.isArray(initial) ? initial : [], (x) => {
    const rung = (x ?? {}) as Written;
    const to = h('select', { 'aria-label': t('draft2.escalation.to'), 'data-test': 'escalation-to' });
    to.dataset.want = typeof rung.to === 'string' ? rung.to : '';
    optionsOf(to, targets(), t('draft.choose'));
    const after = durationControl('escalation-after', rung.after);
    return {
      el: h(
        'div',
        { class: 'rule-row', 'data-test': 'escalation-row' },
        h('span', { class: 'muted small' }, t('draft2.escalation.to')),
        to,
        h('span', { class: 'muted small' }, t('draft2.escalation.after')),
        after.el,
      ),
      read: () => ({ to: to.value || undefined, after: after.read() }),
    };
  });
  return { ...f, read: () => (f.rows().length ? f.rows() : undefined) };
}
