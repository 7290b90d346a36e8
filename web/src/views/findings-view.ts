// The findings list: one row per occurrence (opened … ended), newest activity first,
// each with the rule's words and citation and the reports behind its transitions.
// Filters by kind, actor and open/closed; on the timeline, "open" means open then.
// Redraws are coalesced (a burst of events costs one redraw) and the list is capped,
// so a long-running page never holds thousands of rows.
import { FINDING_KINDS } from '../../../src/monitor/findings.ts';
import type { App } from '../app.ts';
import type { BookedFindingView } from '../api/types.ts';
import { clear, formatTime, h } from '../dom.ts';
import { concerns, isOpen, openAt, type Occurrence } from '../state/findings.ts';

const MAX_ROWS = 300;
const REDRAW_MS = 200;

const KIND_WORDS: Record<string, string> = {
  violation: 'violation',
  unnotified: 'no notice',
  'late-notice': 'late notice',
  unacknowledged: 'unacknowledged',
  separation: 'separation alert',
  loss: 'separation lost',
  commitment: 'commitment',
  'inspection-overdue': 'inspection overdue',
  challenge: 'inspection requested',
  'late-inspection': 'late inspection',
  'access-refused': 'access refused',
};

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
  private readonly rows = new Map<Occurrence, HTMLElement>();

  constructor(private readonly app: App) {
    const option = (value: string, label: string) => h('option', { value }, label);
    this.kind = h(
      'select',
      { 'aria-label': 'kind', 'data-test': 'filter-kind', onchange: () => this.render() },
      option('', 'every kind'),
      ...FINDING_KINDS.map((k) => option(k, KIND_WORDS[k] ?? k)),
    );
    this.actor = h(
      'select',
      { 'aria-label': 'actor', 'data-test': 'filter-actor', onchange: () => this.render() },
      option('', 'every actor'),
      ...app.arrangement.actors.map((a) => option(a.id, a.name)),
    );
    this.state = h(
      'select',
      { 'aria-label': 'open or closed', 'data-test': 'filter-state', onchange: () => this.render() },
      option('', 'open and closed'),
      option('open', 'open'),
      option('closed', 'closed'),
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
    const picked: Occurrence[] = [];
    let matching = 0;
    // Newest activity first: occurrences are appended as they open, transitions by seq.
    const ordered = [...all].sort((a, b) => b.last.seq - a.last.seq);
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
        ? 'No findings yet.'
        : `${matching} of ${all.length} shown${matching > picked.length ? ` (the newest ${picked.length} listed)` : ''}; ${openNow} open${t === null ? ' now' : ' then'}.`;
    this.asOf.hidden = t === null;
    this.asOf.textContent = t === null ? '' : `As of ${formatTime(t)}: "open" means open at that time.`;
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
        h('span', { class: `badge kind-${b.finding}` }, KIND_WORDS[b.finding] ?? b.finding),
        h('span', { class: `state state-${b.state}` }, state),
        b.confidence
          ? h(
              'span',
              { class: `badge confidence-${b.confidence}`, 'data-test': 'confidence', title: 'how well the reports behind it establish it' },
              b.confidence,
            )
          : null,
        h('strong', {}, o.subject || b.rule),
        h('span', { class: 'muted' }, formatTime(b.time)),
      ),
      rule?.text ? h('p', { class: 'rule-text' }, rule.text) : null,
      h(
        'p',
        { class: 'cite' },
        h('code', {}, b.rule),
        rule?.cite ? ` — ${rule.cite}` : '',
        rule?.from_text ? ` (clause ${rule.from_text.clause} of draft ${rule.from_text.draft})` : '',
      ),
      this.facts(b),
      h(
        'ul',
        { class: 'transitions' },
        o.transitions.map((x) =>
          h(
            'li',
            {},
            x.confidence_was ? `${x.confidence_was} → ${x.confidence} ${formatTime(x.time)}` : `${x.state} ${formatTime(x.time)}`,
            x.report ? [' · report ', h('code', { 'data-test': 'report' }, x.report)] : ' · by the clock',
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

  private facts(b: BookedFindingView): HTMLElement {
    const parts: (string | HTMLElement)[] = [];
    if (b.actor) parts.push(`actor ${this.app.actorName(b.actor)}`);
    if (b.zone) parts.push(`zone ${this.app.zoneName(b.zone)}`);
    if (b.asset) parts.push(`${b.asset}: ${b.observed ?? '?'} of at most ${b.max ?? '?'}`);
    if (b.units?.length) parts.push(`units ${b.units.join(', ')}`);
    if (b.category) parts.push(`category ${b.category}`);
    if (b.notification) parts.push(`notice ${b.notification}`);
    if (b.lead_s !== undefined) parts.push(`lead ${b.lead_s} s`);
    if (b.missing?.length) parts.push(`missing: ${b.missing.map((m) => this.app.actorName(m)).join(', ')}`);
    if (b.cpa_km !== undefined)
      parts.push(
        `closest ${b.cpa_km} km${b.cpa_m !== undefined && b.cpa_m !== null ? ` / ${b.cpa_m} m` : ''}${b.cpa_s !== undefined ? ` in ${b.cpa_s} s` : ''}`,
      );
    if (b.deadline) parts.push(`deadline ${formatTime(b.deadline)}`);
    return h('p', { class: 'facts' }, parts.join(' · '));
  }

  private markSelected(): void {
    for (const [o, li] of this.rows) li.classList.toggle('selected', o === this.app.selected);
  }
}
