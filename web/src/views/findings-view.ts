// The findings list: one row per occurrence (opened … ended), open before closed and
// newest activity first within each, titled in words (finding-title.ts),
// each with the rule's words and citation and the reports behind its transitions.
// Filters by kind, actor and open/closed; on the timeline, "open" means open then.
// Redraws are coalesced (a burst of events costs one redraw) and the list is capped,
// so a long-running page never holds thousands of rows.
import { FINDING_KINDS } from '../../../src/monitor/findings.ts';
import type { App } from '../app.ts';
import type { BookedFindingView } from '../api/types.ts';
import { clear, formatTime, h } from '../dom.ts';
import { formatList, t, t as tr } from '../i18n/i18n.ts';
import { localized } from '../i18n/localized.ts';
import { en, type MessageKey } from '../i18n/messages.ts';
import { concerns, isOpen, openAt, type Occurrence } from '../state/findings.ts';
import { findingTitle } from './finding-title.ts';

/** The zone a rule is about, when it names one (a commitment's is in its condition). */
function ruleZone(rule: Record<string, unknown> | undefined): string | undefined {
  const z = rule?.zone ?? (rule?.present as { zone?: unknown } | undefined)?.zone ?? (rule?.absent as { zone?: unknown } | undefined)?.zone;
  return typeof z === 'string' ? z : undefined;
}

const MAX_ROWS = 300;
const REDRAW_MS = 200;

/** A finding's kind, state or confidence in words (the server's value where the table has none). */
function word(prefix: 'kind' | 'state' | 'confidence', value: string): string {
  const key = `${prefix}.${value}`;
  return Object.hasOwn(en, key) ? t(key as MessageKey) : value;
}

export class FindingsView {
  readonly el: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly summary: HTMLElement;
  private readonly asOf: HTMLElement;
  private readonly kind: HTMLSelectElement;
  private readonly actor: HTMLSelectElement;
  private readonly state: HTMLSelectElement;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private shown = 0;
  /** whether a render has had findings to draw (the first is not delayed) */
  private drewAny = false;
  private readonly rows = new Map<Occurrence, HTMLElement>();

  constructor(private readonly app: App) {
    const option = (value: string, label: string) => h('option', { value }, label);
    this.kind = h(
      'select',
      { 'aria-label': t('findings.filterKind'), 'data-test': 'filter-kind', onchange: () => this.render() },
      option('', t('findings.everyKind')),
      ...FINDING_KINDS.map((k) => option(k, word('kind', k))),
    );
    this.actor = h(
      'select',
      { 'aria-label': t('findings.filterActor'), 'data-test': 'filter-actor', onchange: () => this.render() },
      option('', t('findings.everyActor')),
      ...app.arrangement.actors.map((a) => option(a.id, app.actorName(a.id))),
    );
    this.state = h(
      'select',
      { 'aria-label': t('findings.filterState'), 'data-test': 'filter-state', onchange: () => this.render() },
      option('', t('findings.openAndClosed')),
      option('open', t('state.open')),
      option('closed', t('state.closed')),
    );
    this.summary = h('p', { class: 'muted', 'data-test': 'findings-summary' });
    this.asOf = h('p', { class: 'as-of', hidden: true });
    this.list = h('ol', { class: 'finding-list', 'data-test': 'findings' });
    this.el = h('section', { class: 'findings-view' }, h('div', { class: 'filters' }, this.kind, this.actor, this.state), this.asOf, this.summary, this.list);
    app.on('findings', () => this.schedule());
    app.on('time', () => this.schedule());
    app.on('selection', () => this.markSelected());
    this.render();
  }

  get count(): number {
    return this.shown;
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    // The first findings are drawn at once: nobody is reading a list that is still empty.
    if (!this.drewAny && this.app.findings.occurrences.length > 0) {
      this.render();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.render();
    }, REDRAW_MS);
  }

  private matches(o: Occurrence, t: number | null): boolean {
    if (this.kind.value && o.last.finding !== this.kind.value) return false;
    if (this.actor.value && !concerns(o, this.actor.value, (u) => this.app.posture.actorOf(u))) return false;
    if (t !== null && o.opened !== null && o.opened > t) return false;
    const open = t === null ? isOpen(o) : openAt(o, t);
    if (this.state.value === 'open' && !open) return false;
    if (this.state.value === 'closed' && open) return false;
    return true;
  }

  render(): void {
    const t = this.app.viewTime;
    const all = this.app.findings.occurrences;
    if (all.length) this.drewAny = true;
    const picked: Occurrence[] = [];
    let matching = 0;
    // Open before closed (at the moment shown), newest activity first within each.
    const open = (o: Occurrence) => (t === null ? isOpen(o) : openAt(o, t));
    const ordered = [...all].sort((a, b) => Number(open(b)) - Number(open(a)) || b.last.seq - a.last.seq);
    for (const o of ordered) {
      if (!this.matches(o, t)) continue;
      matching++;
      if (picked.length < MAX_ROWS) picked.push(o);
    }
    this.rows.clear();
    clear(
      this.list,
      picked.map((o) => this.row(o, t)),
    );
    this.shown = picked.length;
    const openNow = all.filter((o) => (t === null ? isOpen(o) : openAt(o, t))).length;
    this.summary.textContent =
      all.length === 0
        ? tr('findings.none')
        : `${tr('findings.shown', { shown: matching, n: all.length })}${matching > picked.length ? ` (${tr('findings.capped', { n: picked.length })})` : ''}; ${tr(t === null ? 'findings.openNow' : 'findings.openThen', { n: openNow })}.`;
    this.asOf.hidden = t === null;
    this.asOf.textContent = t === null ? '' : tr('findings.asOf', { time: formatTime(t) });
    this.markSelected();
  }

  private row(o: Occurrence, t: number | null): HTMLElement {
    const b = o.last;
    const rule = this.app.rules.get(b.rule);
    const open = t === null ? isOpen(o) : openAt(o, t);
    const state = t === null ? b.state : open ? 'open' : 'closed';
    const li = h(
      'li',
      {
        class: `finding kind-${b.finding} ${open ? 'is-open' : 'is-closed'}`,
        'data-test': 'finding',
        'data-kind': b.finding,
        'data-state': state,
        'data-rule': b.rule,
        tabindex: 0,
      },
      h(
        'div',
        { class: 'finding-head' },
        h('span', { class: `badge kind-${b.finding}` }, word('kind', b.finding)),
        h('span', { class: `state state-${b.state}` }, word('state', state)),
        b.confidence
          ? h('span', { class: `badge confidence-${b.confidence}`, 'data-test': 'confidence', title: tr('confidence.hint') }, word('confidence', b.confidence))
          : null,
        h('strong', {}, this.subject(o) || b.rule),
        h('span', { class: 'muted' }, formatTime(b.time)),
      ),
      rule?.text ? h('p', { class: 'rule-text', dir: 'auto' }, localized(rule.text)) : null,
      h(
        'p',
        { class: 'cite', dir: 'auto' },
        h('code', {}, b.rule),
        rule?.cite ? ` — ${rule.cite}` : '',
        rule?.from_text ? ` (${tr('findings.clause', { clause: rule.from_text.clause, draft: String(rule.from_text.draft) })})` : '',
      ),
      this.facts(b),
      h(
        'ul',
        { class: 'transitions' },
        o.transitions.map((x) =>
          h(
            'li',
            {},
            x.confidence_was
              ? tr('findings.confidenceChange', {
                  from: word('confidence', x.confidence_was),
                  to: word('confidence', x.confidence ?? ''),
                  time: formatTime(x.time),
                })
              : tr('findings.transition', { state: word('state', x.state), time: formatTime(x.time) }),
            x.report ? [` · ${tr('findings.byReport')} `, h('code', { 'data-test': 'report' }, x.report)] : ` · ${tr('findings.byClock')}`,
          ),
        ),
      ),
    );
    const choose = () => this.app.select(this.app.selected === o ? null : o);
    li.addEventListener('click', choose);
    li.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        choose();
      }
    });
    this.rows.set(o, li);
    return li;
  }

  /** What the finding is about, in words and names ("sy-armd-coy (Syria) in the 2 km strip"), not ids. */
  private subject(o: Occurrence): string {
    const app = this.app;
    return findingTitle(o.last, {
      actorName: (id) => app.actorName(id),
      zoneName: (id) => app.zoneName(id),
      actorOfUnit: (u) => app.posture.actorOf(u),
      ruleZone: (r) => ruleZone(app.rules.get(r)),
      assetName: (id) => app.arrangement.assets.find((a) => a.id === id)?.name,
    });
  }

  private facts(b: BookedFindingView): HTMLElement {
    const parts: (string | HTMLElement)[] = [];
    if (b.actor) parts.push(t('fact.actor', { actor: this.app.actorName(b.actor) }));
    if (b.zone) parts.push(t('fact.zone', { zone: this.app.zoneName(b.zone) }));
    if (b.asset) parts.push(t('fact.asset', { asset: b.asset, observed: b.observed ?? '?', max: b.max ?? '?' }));
    if (b.units?.length) parts.push(t('fact.units', { units: formatList(b.units) }));
    if (b.category) parts.push(t('fact.category', { category: b.category }));
    if (b.notification) parts.push(t('fact.notice', { notice: b.notification }));
    if (b.lead_s !== undefined) parts.push(t('fact.lead', { s: b.lead_s }));
    if (b.missing?.length) parts.push(t('fact.missing', { actors: formatList(b.missing.map((m) => this.app.actorName(m))) }));
    if (b.cpa_km !== undefined)
      parts.push(
        [
          t('fact.closestKm', { km: b.cpa_km }),
          b.cpa_m !== undefined && b.cpa_m !== null ? ` / ${t('fact.closestM', { m: b.cpa_m })}` : '',
          b.cpa_s !== undefined ? ` ${t('fact.closestIn', { s: b.cpa_s })}` : '',
        ].join(''),
      );
    if (b.deadline) parts.push(t('fact.deadline', { time: formatTime(b.deadline) }));
    return h('p', { class: 'facts' }, parts.join(' · '));
  }

  private markSelected(): void {
    for (const [o, li] of this.rows) li.classList.toggle('selected', o === this.app.selected);
  }
}
