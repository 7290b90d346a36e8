// The mediator's draft form without JSON: each clause with its id, its text and its rules
// (one form per rule, rule-form.ts), a zone drawn on the map (rule-form-zone.ts), and a
// live check of the whole by the server's own validation over the draft base
// (rule-check.ts). Problems are shown once, beside the field they name; the server's
// answer on issue, if it still refuses, is placed the same way.
import type { Position } from 'geojson';
import { ApiError } from '../api/client.ts';
import { h } from '../dom.ts';
import { t } from '../i18n/i18n.ts';
import type { MapDraw } from '../map/draw.ts';
import { drawnZones } from '../map/draw-shape.ts';
import { actionForm, field, FormProblem } from './forms.ts';
import { checkDraftParts, type DraftBase, sectionOf } from './rule-check.ts';
import { choicesOf, type RuleEditor, ruleEditor } from './rule-form.ts';
import { type ZoneDrawer, zoneDrawer } from './rule-form-zone.ts';
import type { TalksContext } from './talks-forms.ts';

type Issue = { path: string; message: string };

const bases = new Map<string, Promise<DraftBase>>();
/** The draft base, fetched once per arrangement and page (the sections in force change only with an announcement, which rebuilds the form). */
function draftBase(c: TalksContext, again: boolean): Promise<DraftBase> {
  let p = bases.get(c.app.base);
  if (!p || again) {
    p = c.app.api.json<DraftBase>(`${c.app.base}/draft-base`);
    bases.set(c.app.base, p);
    p.catch(() => bases.delete(c.app.base));
  }
  return p;
}

interface Row {
  el: HTMLElement;
  id: HTMLInputElement;
  text: HTMLTextAreaElement;
  rules: RuleEditor[];
  errors: HTMLElement;
}

export function draftRulesForm(c: TalksContext, disabledBecause: string | null, draw: MapDraw | undefined, done: (r: unknown) => string): HTMLFormElement {
  const rows: Row[] = [];
  const list = h('div', { class: 'clauses-editor', 'data-test': 'draft-clauses' });
  const summary = h('p', { class: 'rule-check-summary', 'data-test': 'draft-check', role: 'status' });
  let base: DraftBase | undefined;
  let drawer: ZoneDrawer | undefined;
  const drawerHolder = h('div', {});
  // A commitment may wait on another the same draft adds: the `after` select offers those too.
  const draftCommitments = () =>
    rows.flatMap((r) => r.rules.map((e) => e.value())).flatMap((v) => (v.kind === 'commitment' && typeof v.id === 'string' ? [{ id: v.id, name: v.id }] : []));
  const choices = choicesOf(c.app.arrangement, () => drawer?.zones() ?? [], draftCommitments);

  let timer: ReturnType<typeof setTimeout> | undefined;
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(check, 120);
  };
  const refreshZones = () => {
    for (const r of rows) for (const e of r.rules) e.refresh();
  };

  const addRule = (row: Row, initial?: Record<string, unknown>) => {
    const editor: RuleEditor = ruleEditor(choices, initial, changed, () => {
      row.rules.splice(row.rules.indexOf(editor), 1);
      editor.el.remove();
      changed();
    });
    row.rules.push(editor);
    row.el.querySelector('.clause-rules')!.append(editor.el);
  };
  const addRow = (clause?: { id: string; text: string; rules: unknown[] }) => {
    const id = h('input', { type: 'text', value: clause?.id ?? '', placeholder: t('tf.clauseId'), 'data-test': 'clause-id' });
    const text = h('textarea', { rows: 2, placeholder: t('tf.clauseText'), 'data-test': 'clause-text' });
    text.value = clause?.text ?? '';
    const errors = h('div', { class: 'rule-error', role: 'alert', hidden: true });
    const row: Row = {
      id,
      text,
      rules: [],
      errors,
      el: h('div', { class: 'clause-row' }),
    };
    row.el.append(
      id,
      text,
      errors,
      h('div', { class: 'clause-rules', 'data-test': 'clause-rules' }),
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          'data-test': 'rule-add',
          onclick: () => {
            addRule(row);
            changed();
          },
        },
        t('draft.addRule'),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          onclick: () => {
            rows.splice(rows.indexOf(row), 1);
            row.el.remove();
            changed();
          },
        },
        t('tf.remove'),
      ),
    );
    rows.push(row);
    list.append(row.el);
    for (const r of clause?.rules ?? []) addRule(row, r as Record<string, unknown>);
  };
  for (const cl of c.current?.clauses ?? []) addRow(cl);
  if (!c.current) addRow();

  const parts = () => {
    const rules: unknown[] = [];
    const where: [number, number][] = [];
    rows.forEach((r, i) =>
      r.rules.forEach((e, j) => {
        rules.push(e.value());
        where.push([i, j]);
      }),
    );
    return { rules, where, sections: drawer?.sections() ?? {} };
  };

  /** Places issues whose paths are the draft's (`rules[k]…` or `clauses[i].rules[j]…`, `sections…`). */
  const place = (issues: Issue[], where: [number, number][]) => {
    const perRule = new Map<RuleEditor, Issue[]>();
    const perRow = new Map<Row, string[]>();
    const sections: Issue[] = [];
    const loose: string[] = [];
    for (const i of issues) {
      let m = /^rules\[(\d+)\]\.?(.*)$/.exec(i.path);
      let at: [number, number] | undefined = m ? where[Number(m[1])] : undefined;
      let rest = m?.[2] ?? '';
      if (!at) {
        m = /^clauses\[(\d+)\]\.rules\[(\d+)\]\.?(.*)$/.exec(i.path);
        if (m) {
          at = [Number(m[1]), Number(m[2])];
          rest = m[3];
        }
      }
      const editor = at ? rows[at[0]]?.rules[at[1]] : undefined;
      if (editor) {
        perRule.set(editor, [...(perRule.get(editor) ?? []), { path: rest, message: i.message }]);
        continue;
      }
      const clause = /^clauses\[(\d+)\]\.?(.*)$/.exec(i.path);
      const row = clause ? rows[Number(clause[1])] : undefined;
      if (row) perRow.set(row, [...(perRow.get(row) ?? []), clause![2] ? `${clause![2]}: ${i.message}` : i.message]);
      else if (i.path.startsWith('sections')) sections.push(i);
      else loose.push(i.path ? `${i.path}: ${i.message}` : i.message);
    }
    for (const r of rows) {
      for (const e of r.rules) e.show(perRule.get(e) ?? []);
      const msgs = [...new Set(perRow.get(r) ?? [])];
      r.errors.hidden = msgs.length === 0;
      r.errors.textContent = msgs.join(' ');
    }
    drawer?.show(sections);
    const n = issues.length;
    summary.className = `rule-check-summary ${n ? 'bad' : 'ok'}`;
    summary.textContent = n ? t('draft.problems', { n }) + (loose.length ? ` ${[...new Set(loose)].join(' ')}` : '') : t('draft.fits');
  };

  function check(): void {
    if (!base) return;
    for (const r of rows) for (const e of r.rules) e.refreshCommitments();
    const p = parts();
    try {
      place(checkDraftParts(base, p), p.where);
    } catch (e) {
      summary.className = 'rule-check-summary';
      summary.textContent = t('draft.cannotCheck', { error: (e as Error).message });
    }
  }

  draftBase(c, false)
    .then((b) => {
      base = b;
      const carried = (c.current?.sections ?? {}) as Record<string, unknown>;
      const known = new Map<string, Position[][]>(
        c.app.arrangement.lines.features.map((f) => [
          f.properties.id,
          f.geometry.type === 'LineString' ? [f.geometry.coordinates] : (f.geometry.coordinates as Position[][]),
        ]),
      );
      const written = (name: string) => (Array.isArray(carried[name]) ? (carried[name] as unknown[]) : sectionOf(b, name));
      const nameOf = (id: string) => choices.zones().find((z) => z.id === id)?.name ?? id;
      const polygons = drawnZones(written('zones'), b.geo_files);
      drawer = zoneDrawer({ carried, zones: written('zones'), lines: written('lines'), known, polygons, nameOf }, draw, () => {
        refreshZones();
        changed();
      });
      drawerHolder.replaceChildren(drawer.el);
      check();
    })
    .catch((e: unknown) => {
      summary.textContent = t('draft.cannotCheck', { error: (e as Error).message ?? String(e) });
    });

  const note = h('input', { type: 'text', 'data-test': 'draft-note' });
  return actionForm({
    title: c.current ? t('tf.newDraft', { n: String(c.current.version) }) : t('tf.firstDraft'),
    test: 'draft-form',
    fields: [
      list,
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          onclick: () => {
            addRow();
            changed();
          },
        },
        t('tf.addClause'),
      ),
      drawerHolder,
      summary,
      field(t('tf.note'), note),
    ],
    submit: t('tf.issueDraft'),
    disabledBecause,
    run: async () => {
      const p = parts();
      const clauses = rows.map((r) => {
        const rules = r.rules.map((e) => e.value());
        return { id: r.id.value.trim(), text: r.text.value, ...(rules.length ? { rules } : {}) };
      });
      const sections = p.sections;
      try {
        return await c.app.signing.talks('drafts', {
          clauses,
          ...(Object.keys(sections).length ? { sections } : {}),
          ...(note.value ? { note: note.value } : {}),
        } as never);
      } catch (e) {
        // The server's issues go beside their fields, once; the status says only how many.
        if (e instanceof ApiError && e.issues.length) {
          place(e.issues, p.where);
          throw new FormProblem(t('draft.problems', { n: e.issues.length }));
        }
        throw e;
      }
    },
    done: (r) => {
      draw?.clear();
      return done(r);
    },
    after: c.refresh,
  });
}
