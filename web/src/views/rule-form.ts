// One rule of a clause as a form: a kind, then that kind's fields (selects filled from the
// arrangement's actors, assets and zones, durations as a number and a unit), the rare
// ones too (where, escalation, after, within, challenge, categories, the actors a presence
// rule binds, cite), written back as the arrangement file writes rules. Keys the form does
// not know are kept from the rule it was opened with. Problems found by the check are shown
// once each, beside the field their path names, else under the rule.
import type { ArrangementView } from '../api/types.ts';
import { clear, h } from '../dom.ts';
import { t } from '../i18n/i18n.ts';
import { localized } from '../i18n/localized.ts';
import { box, checksField, durationField, type Field, type Option, selectField, numberField, textField, timeField, wordsField } from './rule-form-fields.ts';
import { escalationField, whereField } from './rule-form-rows.ts';
import './rule-form.css';

export const RULE_KINDS = ['limit', 'presence', 'notice', 'separation', 'commitment', 'inspection'] as const;
type Kind = (typeof RULE_KINDS)[number];
type Written = Record<string, unknown>;

/** Where the options of the selects come from; zones may grow while drafting (a zone drawn on the map). */
export interface RuleChoices {
  actors(): Option[];
  assets(): Option[];
  zones(): Option[];
  /** the attributes assets declare (for `where`) */
  attrs(): string[];
  /** the commitments a commitment may wait on (`after`): those in force, and the draft's */
  commitments(): Option[];
}

export function choicesOf(a: ArrangementView, extraZones: () => Option[], extraCommitments: () => Option[] = () => []): RuleChoices {
  return {
    actors: () => a.actors.map((x) => ({ id: x.id, name: localized(x.name) || x.id })),
    assets: () => a.assets.map((x) => ({ id: x.id, name: localized(x.name) || x.id })),
    zones: () => [...a.zones.features.map((f) => ({ id: f.properties.id, name: localized(f.properties.name) || f.properties.id })), ...extraZones()],
    attrs: () => [...new Set(a.assets.flatMap((x) => x.attrs ?? []))],
    commitments: () => {
      const all = [...a.rules.filter((r) => r.kind === 'commitment').map((r) => ({ id: r.id, name: r.id })), ...extraCommitments()];
      return all.filter((o, i) => all.findIndex((x) => x.id === o.id) === i);
    },
  };
}

/** The fields of a kind, from the rule it starts with. */
function fieldsOf(kind: Kind, r: Written, c: RuleChoices): Field[] {
  const actor = (path = 'actor', label = t('draft.field.actor'), v = r.actor) => selectField(path, label, c.actors, v);
  const zone = (path = 'zone', v = r.zone) => selectField(path, t('draft.field.zone'), c.zones, v);
  switch (kind) {
    case 'limit':
      return [
        actor(),
        selectField('asset', t('draft.field.asset'), c.assets, r.asset),
        zone(),
        numberField('max', t('draft.field.max'), r.max),
        whereField(t('draft2.field.where'), c.attrs, r.where),
      ];
    case 'presence':
      return [
        zone(),
        checksField('only', t('draft.field.only'), c.actors, r.only),
        checksField('forbid', t('draft.field.forbid'), c.actors, r.forbid),
        wordsField('categories', t('draft2.field.categories'), r.categories),
        checksField('actors', t('draft2.field.binds'), c.actors, r.actors),
      ];
    case 'notice':
      return [
        actor(),
        zone(),
        durationField('lead', t('draft.field.lead'), r.lead),
        durationField('ack', t('draft.field.ack'), r.ack),
        escalationField(t('draft2.field.escalation'), c.actors, r.escalation),
      ];
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
        durationField('within', t('draft2.field.within'), r.within),
        selectField('after', t('draft2.field.after'), c.commitments, r.after, t('draft2.none')),
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
      return [
        actor(),
        checksField('zones', t('draft.field.zones'), c.zones, r.zones),
        durationField('every', t('draft.field.every'), r.every),
        durationField('challenge.within', t('draft2.field.challenge'), (r.challenge as Written | undefined)?.within),
      ];
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
  'where',
  'categories',
  'actors',
  'escalation',
  'after',
  'within',
  'challenge',
  'cite',
]);

export interface RuleEditor {
  el: HTMLElement;
  /** the rule as the file writes it */
  value(): Written;
  /** shows these problems (paths inside the rule, "" for the rule as a whole), each once */
  show(issues: { path: string; message: string }[]): void;
  /** the zones offered changed (one was drawn): refill the selects */
  refresh(): void;
  /** the draft's commitments changed: refill the `after` select */
  refreshCommitments(): void;
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
  const cite = textField('cite', t('draft2.field.cite'), start.cite);
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
    cite.el,
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
      out.within = get('within');
      out.after = get('after');
      const cond: Written = { zone: get('cond.zone'), asset: get('cond.asset') };
      if (get('condition') === 'absent') out.absent = cond;
      else out.present = { ...cond, min: get('cond.min') };
    } else
      for (const f of fields) {
        // A nested path ("challenge.within") is written as an object only when it has a value.
        const [key, sub] = f.path.split('.');
        const v = f.read();
        if (sub === undefined) out[key] = v;
        else if (v !== undefined) out[key] = { ...((out[key] as Written | undefined) ?? {}), [sub]: v };
      }
    const t0 = text.read();
    if (t0 !== undefined) out.text = t0;
    const c0 = cite.read();
    if (c0 !== undefined) out.cite = c0;
    return prune(out) as Written;
  };

  const show = (issues: { path: string; message: string }[]) => {
    const all = [id, text, cite, { ...kindBox, path: 'kind', read: () => undefined } as Field, ...fields];
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

  return {
    el,
    value,
    show,
    refresh: () => fields.forEach((f) => f.refresh?.()),
    refreshCommitments: () => fields.find((f) => f.path === 'after')?.refresh?.(),
  };
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
