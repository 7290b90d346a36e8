// One rule of a clause as a form: a kind, then that kind's fields (selects filled from the
// arrangement's actors, assets and zones, durations as a number and a unit), written back
// as the arrangement file writes rules. Fields it does not show (where, escalation, cite,
// …) are kept from the rule it was opened with. Problems found by the check are shown
// once each, beside the field their path names, else under the rule.
import { parseDuration } from '../../../src/arrangement/time.ts';
import type { ArrangementView } from '../api/types.ts';
import { clear, h } from '../dom.ts';
import { t } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { localized } from '../i18n/localized.ts';
import './rule-form.css';

export const RULE_KINDS = ['limit', 'presence', 'notice', 'separation', 'commitment', 'inspection'] as const;
type Kind = (typeof RULE_KINDS)[number];
type Written = Record<string, unknown>;
type Option = { id: string; name: string };

/** Where the options of the selects come from; zones may grow while drafting (a zone drawn on the map). */
export interface RuleChoices {
  actors(): Option[];
  assets(): Option[];
  zones(): Option[];
}

export function choicesOf(a: ArrangementView, extraZones: () => Option[]): RuleChoices {
  return {
    actors: () => a.actors.map((x) => ({ id: x.id, name: localized(x.name) || x.id })),
    assets: () => a.assets.map((x) => ({ id: x.id, name: localized(x.name) || x.id })),
    zones: () => [...a.zones.features.map((f) => ({ id: f.properties.id, name: localized(f.properties.name) || f.properties.id })), ...extraZones()],
  };
}

interface Field {
  /** the path in the rule, as issues name it ("zone", "between[0]", "present.min") */
  path: string;
  el: HTMLElement;
  error: HTMLElement;
  read(): unknown;
  refresh?(): void;
}

const UNITS: [string, number, MessageKey][] = [
  ['M', 60_000, 'draft.unit.minutes'],
  ['H', 3_600_000, 'draft.unit.hours'],
  ['D', 86_400_000, 'draft.unit.days'],
];

function box(label: string, control: HTMLElement, path: string): { el: HTMLElement; error: HTMLElement } {
  const error = h('small', { class: 'rule-field-error', 'data-test': 'rule-field-error', role: 'alert', hidden: true });
  return { el: h('label', { class: 'rule-field', 'data-path': path }, h('span', {}, label), control, error), error };
}

function optionsOf(select: HTMLSelectElement, list: Option[], blank: string): void {
  const was = select.value || select.dataset.want || '';
  clear(select, h('option', { value: '' }, blank), ...list.map((o) => h('option', { value: o.id }, o.name === o.id ? o.id : `${o.name} (${o.id})`)));
  // A value not (yet) among the options, such as a zone still being drawn, is kept until it is.
  select.value = list.some((o) => o.id === was) ? was : '';
  select.dataset.want = was;
}

function selectField(path: string, label: string, list: () => Option[], initial: unknown, blank = t('draft.choose')): Field {
  const s = h('select', { 'data-test': `rule-${path}` });
  s.dataset.want = typeof initial === 'string' ? initial : '';
  const refresh = () => optionsOf(s, list(), blank);
  refresh();
  s.addEventListener('change', () => (s.dataset.want = s.value));
  return { path, ...box(label, s, path), read: () => s.value || undefined, refresh };
}

function numberField(path: string, label: string, initial: unknown): Field {
  const i = h('input', { type: 'number', step: 'any', 'data-test': `rule-${path}` });
  if (typeof initial === 'number') i.value = String(initial);
  return { path, ...box(label, i, path), read: () => (i.value === '' ? undefined : Number(i.value)) };
}

function textField(path: string, label: string, initial: unknown): Field {
  const i = h('input', { type: 'text', 'data-test': `rule-${path}` });
  if (typeof initial === 'string') i.value = initial;
  return { path, ...box(label, i, path), read: () => (i.value.trim() === '' ? undefined : i.value.trim()) };
}

function durationField(path: string, label: string, initial: unknown): Field {
  const n = h('input', { type: 'number', min: '0', step: 'any', class: 'duration-n', 'data-test': `rule-${path}` });
  const u = h(
    'select',
    { class: 'duration-unit', 'data-test': `rule-${path}-unit` },
    UNITS.map(([code, , key]) => h('option', { value: code }, t(key))),
  );
  u.value = 'H';
  const ms = typeof initial === 'string' ? parseDuration(initial) : undefined;
  if (typeof ms === 'number') {
    const [code, size] = [...UNITS].reverse().find(([, size]) => ms % size === 0) ?? UNITS[0];
    u.value = code;
    n.value = String(ms / size);
  } else if (typeof initial === 'string') n.value = '';
  const read = () => {
    if (n.value === '') return undefined;
    return u.value === 'D' ? `P${n.value}D` : `PT${n.value}${u.value}`;
  };
  return { path, ...box(label, h('span', { class: 'duration' }, n, u), path), read };
}

function checksField(path: string, label: string, list: () => Option[], initial: unknown): Field {
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

function timeField(path: string, label: string, initial: unknown): Field {
  const i = h('input', { type: 'datetime-local', 'data-test': `rule-${path}` });
  if (typeof initial === 'string') i.value = initial.replace(/:\d\d(\.\d+)?Z$/, '').replace(/Z$/, '');
  // Read as UTC: the arrangement's times are UTC, and the field says so by its unit.
  return { path, ...box(`${label} (UTC)`, i, path), read: () => (i.value ? `${i.value.length === 16 ? `${i.value}:00` : i.value}Z` : undefined) };
}

/** The fields of a kind, from the rule it starts with. */
function fieldsOf(kind: Kind, r: Written, c: RuleChoices): Field[] {
  const actor = (path = 'actor', label = t('draft.field.actor'), v = r.actor) => selectField(path, label, c.actors, v);
  const zone = (path = 'zone', v = r.zone) => selectField(path, t('draft.field.zone'), c.zones, v);
  switch (kind) {
    case 'limit':
      return [actor(), selectField('asset', t('draft.field.asset'), c.assets, r.asset), zone(), numberField('max', t('draft.field.max'), r.max)];
    case 'presence':
      return [zone(), checksField('only', t('draft.field.only'), c.actors, r.only), checksField('forbid', t('draft.field.forbid'), c.actors, r.forbid)];
    case 'notice':
      return [actor(), zone(), durationField('lead', t('draft.field.lead'), r.lead), durationField('ack', t('draft.field.ack'), r.ack)];
    case 'separation': {
      const [a, b] = Array.isArray(r.between) ? r.between : [];
      return [
        actor('between[0]', t('draft.field.first'), a),
        actor('between[1]', t('draft.field.second'), b),
        numberField('km', t('draft.field.km'), r.km),
        numberField('m', t('draft.field.m'), r.m),
        durationField('lookahead', t('draft.field.lookahead'), r.lookahead),
      ];
    }
    case 'commitment': {
      const cond = (r.absent ?? r.present ?? {}) as Written;
      return [
        actor(),
        timeField('due', t('draft.field.due'), r.due),
        selectField(
          'condition',
          t('draft.field.condition'),
          () => [
            { id: 'present', name: t('draft.condition.present') },
            { id: 'absent', name: t('draft.condition.absent') },
          ],
          r.absent ? 'absent' : 'present',
          t('draft.choose'),
        ),
        zone('cond.zone', cond.zone),
        selectField('cond.asset', t('draft.field.asset'), c.assets, cond.asset, t('draft.anyAsset')),
        numberField('cond.min', t('draft.field.min'), cond.min),
      ];
    }
    case 'inspection':
      return [actor(), checksField('zones', t('draft.field.zones'), c.zones, r.zones), durationField('every', t('draft.field.every'), r.every)];
  }
}

const MANAGED = new Set([
  'id',
  'kind',
  'text',
  'zone',
  'actor',
  'asset',
  'max',
  'only',
  'forbid',
  'lead',
  'ack',
  'between',
  'km',
  'm',
  'lookahead',
  'due',
  'present',
  'absent',
  'zones',
  'every',
]);

export interface RuleEditor {
  el: HTMLElement;
  /** the rule as the file writes it */
  value(): Written;
  /** shows these problems (paths inside the rule, "" for the rule as a whole), each once */
  show(issues: { path: string; message: string }[]): void;
  /** the zones offered changed (one was drawn): refill the selects */
  refresh(): void;
}

export function ruleEditor(c: RuleChoices, initial: Written | undefined, changed: () => void, remove: () => void): RuleEditor {
  const start: Written = initial ?? { kind: 'limit' };
  const kind = h(
    'select',
    { 'data-test': 'rule-kind' },
    RULE_KINDS.map((k) => h('option', { value: k }, t(`draft.kind.${k}`))),
  );
  kind.value = (RULE_KINDS as readonly unknown[]).includes(start.kind) ? String(start.kind) : 'limit';
  const id = textField('id', t('draft.field.id'), start.id);
  const text = textField('text', t('draft.field.text'), start.text);
  const kindBox = box(t('draft.kind'), kind, 'kind');
  const general = h('div', { class: 'rule-error', 'data-test': 'rule-error', role: 'alert', hidden: true });
  const holder = h('div', { class: 'rule-fields' });
  let fields: Field[] = [];
  const build = (from: Written) => {
    fields = fieldsOf(kind.value as Kind, from, c);
    clear(
      holder,
      fields.map((f) => f.el),
    );
  };
  build(start);
  kind.addEventListener('change', () => {
    build({ id: id.read() });
    changed();
  });
  const el = h(
    'div',
    { class: 'rule-editor', 'data-test': 'rule-editor' },
    h(
      'div',
      { class: 'rule-head' },
      kindBox.el,
      id.el,
      h('button', { type: 'button', class: 'link', 'data-test': 'rule-remove', onclick: remove }, t('draft.removeRule')),
    ),
    holder,
    text.el,
    general,
  );
  el.addEventListener('input', changed);
  el.addEventListener('change', changed);

  const value = (): Written => {
    const k = kind.value as Kind;
    const out: Written = {};
    // Keys this form does not show, kept as written (a kind changed drops them: they were that kind's).
    if (k === start.kind) for (const [key, v] of Object.entries(start)) if (!MANAGED.has(key)) out[key] = v;
    out.id = id.read();
    out.kind = k;
    const get = (p: string) => fields.find((f) => f.path === p)?.read();
    if (k === 'separation') {
      out.between = [get('between[0]'), get('between[1]')];
      for (const p of ['km', 'm', 'lookahead']) out[p] = get(p);
    } else if (k === 'commitment') {
      out.actor = get('actor');
      out.due = get('due');
      const cond: Written = { zone: get('cond.zone'), asset: get('cond.asset') };
      if (get('condition') === 'absent') out.absent = cond;
      else out.present = { ...cond, min: get('cond.min') };
    } else for (const f of fields) out[f.path] = f.read();
    const t0 = text.read();
    if (t0 !== undefined) out.text = t0;
    return prune(out) as Written;
  };

  const show = (issues: { path: string; message: string }[]) => {
    const all = [id, text, { ...kindBox, path: 'kind', read: () => undefined } as Field, ...fields];
    const byField = new Map<Field, string[]>();
    const rest: string[] = [];
    const seen = new Set<string>();
    for (const i of issues) {
      const key = `${i.path}\u0000${i.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const p = kind.value === 'commitment' ? i.path.replace(/^(present|absent)\./, 'cond.') : i.path;
      const f = all.find((x) => p === x.path || p.startsWith(`${x.path}.`) || p.startsWith(`${x.path}[`));
      if (f) byField.set(f, [...(byField.get(f) ?? []), i.message]);
      else rest.push(i.path ? `${i.path}: ${i.message}` : i.message);
    }
    for (const f of all) {
      const msgs = byField.get(f);
      f.error.hidden = !msgs;
      f.error.textContent = msgs ? msgs.join(' ') : '';
      f.el.classList.toggle('invalid', Boolean(msgs));
    }
    general.hidden = rest.length === 0;
    clear(
      general,
      rest.map((m) => h('p', {}, m)),
    );
  };

  return { el, value, show, refresh: () => fields.forEach((f) => f.refresh?.()) };
}

/** Drops absent values, so a field left empty is a missing key the check names. */
function prune(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : prune(x)));
  if (v && typeof v === 'object') {
    const out: Written = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = prune(x);
    return out;
  }
  return v;
}
