// The fields a rule form is made of: each a labelled control with its error line, the
// path in the rule that issues name it by, and how it reads back as the file writes it
// (undefined when left empty, so the check names a missing key, not a blank one).
import { parseDuration } from '../../../src/arrangement/time.ts';
import { clear, h } from '../dom.ts';
import { t } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/messages.ts';

export type Option = { id: string; name: string };

export interface Field {
  /** the path in the rule, as issues name it ("zone", "between[0]", "present.min") */
  path: string;
  el: HTMLElement;
  error: HTMLElement;
  read(): unknown;
  refresh?(): void;
}

export const UNITS: [string, number, MessageKey][] = [
  ['M', 60_000, 'draft.unit.minutes'],
  ['H', 3_600_000, 'draft.unit.hours'],
  ['D', 86_400_000, 'draft.unit.days'],
];

export function box(label: string, control: HTMLElement, path: string): { el: HTMLElement; error: HTMLElement } {
  const error = h('small', { class: 'rule-field-error', 'data-test': 'rule-field-error', role: 'alert', hidden: true });
  return { el: h('label', { class: 'rule-field', 'data-path': path }, h('span', {}, label), control, error), error };
}

export function optionsOf(select: HTMLSelectElement, list: Option[], blank: string): void {
  const was = select.value || select.dataset.want || '';
  clear(select, h('option', { value: '' }, blank), ...list.map((o) => h('option', { value: o.id }, o.name === o.id ? o.id : `${o.name} (${o.id})`)));
  // A value not (yet) among the options, such as a zone still being drawn, is kept until it is.
  select.value = list.some((o) => o.id === was) ? was : '';
  select.dataset.want = was;
}

export function selectField(path: string, label: string, list: () => Option[], initial: unknown, blank = t('draft.choose')): Field {
  const s = h('select', { 'data-test': `rule-${path}` });
  s.dataset.want = typeof initial === 'string' ? initial : '';
  const refresh = () => optionsOf(s, list(), blank);
  refresh();
  s.addEventListener('change', () => (s.dataset.want = s.value));
  return { path, ...box(label, s, path), read: () => s.value || undefined, refresh };
}

export function numberField(path: string, label: string, initial: unknown): Field {
  const i = h('input', { type: 'number', step: 'any', 'data-test': `rule-${path}` });
  if (typeof initial === 'number') i.value = String(initial);
  return { path, ...box(label, i, path), read: () => (i.value === '' ? undefined : Number(i.value)) };
}

export function textField(path: string, label: string, initial: unknown): Field {
  const i = h('input', { type: 'text', 'data-test': `rule-${path}` });
  if (typeof initial === 'string') i.value = initial;
  return { path, ...box(label, i, path), read: () => (i.value.trim() === '' ? undefined : i.value.trim()) };
}

/** A duration as a number and a unit, read back as ISO 8601 (`PT90M`, `P15D`). */
export function durationControl(test: string, initial: unknown): { el: HTMLElement; read(): string | undefined } {
  const n = h('input', { type: 'number', min: '0', step: 'any', class: 'duration-n', 'data-test': test });
  const u = h(
    'select',
    { class: 'duration-unit', 'data-test': `${test}-unit` },
    UNITS.map(([code, , key]) => h('option', { value: code }, t(key))),
  );
  u.value = 'H';
  const ms = typeof initial === 'string' ? parseDuration(initial) : undefined;
  if (typeof ms === 'number') {
    const [code, size] = [...UNITS].reverse().find(([, size]) => ms % size === 0) ?? UNITS[0];
    u.value = code;
    n.value = String(ms / size);
  }
  const read = () => {
    if (n.value === '') return undefined;
    return u.value === 'D' ? `P${n.value}D` : `PT${n.value}${u.value}`;
  };
  return { el: h('span', { class: 'duration' }, n, u), read };
}

export function durationField(path: string, label: string, initial: unknown): Field {
  const d = durationControl(`rule-${path}`, initial);
  return { path, ...box(label, d.el, path), read: d.read };
}

/** Words as a list, written comma-separated ("police, customs"). */
export function wordsField(path: string, label: string, initial: unknown): Field {
  const i = h('input', { type: 'text', 'data-test': `rule-${path}` });
  if (Array.isArray(initial)) i.value = initial.filter((x) => typeof x === 'string').join(', ');
  const read = () => {
    const words = i.value
      .split(/[,،]/)
      .map((w) => w.trim())
      .filter(Boolean);
    return words.length ? words : undefined;
  };
  return { path, ...box(label, i, path), read };
}

export function checksField(path: string, label: string, list: () => Option[], initial: unknown): Field {
  const holder = h('span', { class: 'rule-checks', 'data-test': `rule-${path}` });
  let chosen = new Set(Array.isArray(initial) ? initial.filter((x): x is string => typeof x === 'string') : []);
  const refresh = () => {
    chosen = new Set([...holder.querySelectorAll<HTMLInputElement>('input:checked')].map((b) => b.value).concat(holder.childElementCount ? [] : [...chosen]));
    clear(
      holder,
      list().map((o) => h('label', { class: 'rule-check' }, h('input', { type: 'checkbox', value: o.id, checked: chosen.has(o.id) }), ` ${o.name}`)),
    );
  };
  refresh();
  const read = () => {
    const v = [...holder.querySelectorAll<HTMLInputElement>('input:checked')].map((b) => b.value);
    return v.length ? v : undefined;
  };
  return { path, ...box(label, holder, path), read, refresh };
}

export function timeField(path: string, label: string, initial: unknown): Field {
  const i = h('input', { type: 'datetime-local', 'data-test': `rule-${path}` });
  if (typeof initial === 'string') i.value = initial.replace(/:\d\d(\.\d+)?Z$/, '').replace(/Z$/, '');
  // Read as UTC: the arrangement's times are UTC, and the field says so by its unit.
  return { path, ...box(`${label} (UTC)`, i, path), read: () => (i.value ? `${i.value.length === 16 ? `${i.value}:00` : i.value}Z` : undefined) };
}
