// The talks as the logged-in actor sees them (GET …/talks and …/talks/gap; the server
// filters): the deadline, the single text with every party's stance on each clause, the
// agenda with positions (and, for the mediator, the gap), submissions and relays, and
// the forms this role may use. Fetched again whenever a `talks` event says it changed.
import type { App } from '../app.ts';
import type { DraftView, GapClause, GapReport, TalksView as View } from '../api/types.ts';
import { SECTIONS_CLAUSE } from '../../../src/talks/sections-stance.ts';
import type { Position } from 'geojson';
import { clear, formatTime, h } from '../dom.ts';
import { factsFromView } from '../../../src/talks/may-now.ts';
import { MapDraw } from '../map/draw.ts';
import { drawnZones, shapeBox, zoneGeometry } from '../map/draw-shape.ts';
import type { MapView } from '../map/map-view.ts';
import { deadlineLine } from './deadline-banner.ts';
import { ruleSentenceList } from './rule-sentence-list.ts';
import { blockedBecause } from './talks-blockers.ts';
import { mayReadBench } from '../../../src/policy/policy.ts';
import { BenchPanel } from './bench-view.ts';
import { clauseText, readerText } from './clause-texts.ts';
import { formatList, getLocale, t } from '../i18n/i18n.ts';
import { localized } from '../i18n/localized.ts';
import { showError } from './forms.ts';
import { jointChannel } from './joint-view.ts';
import {
  announceForm,
  approveBlocker,
  approveForm,
  closeIssueButton,
  draftForm,
  openIssueForm,
  relayForm,
  stanceForm,
  stanceWord,
  submitForm,
  withdrawForm,
  type TalksContext,
} from './talks-forms.ts';

export class TalksView {
  readonly el: HTMLElement;
  private readonly body: HTMLElement;
  private readonly deadline: HTMLElement;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private fetchedAt = 0;
  private gap: GapReport | undefined;
  private loading: Promise<void> | undefined;
  private again = false;
  /** the mediator's bench, for those the policy lets read it; never built (or fetched) for anyone else */
  private readonly bench: BenchPanel | undefined;
  /** forms by name, with the state they were built for */
  private readonly forms = new Map<string, { key: string; el: HTMLElement }>();
  private view: View | undefined;
  private map: MapView | undefined;
  private draw: MapDraw | undefined;

  constructor(private readonly app: App) {
    this.deadline = h('p', { class: 'deadline', 'data-test': 'deadline' });
    this.body = h('div', {}, h('p', { class: 'muted' }, t('talks.loading')));
    this.el = h('section', { class: 'talks-view' }, this.deadline, this.body);
    this.bench = mayReadBench(app.me, app.arrangement.bench).ok ? new BenchPanel(app) : undefined;
    setInterval(() => this.drawDeadline(), 15_000);
  }

  /** Something changed in the talks: fetch again soon (a burst of events costs one fetch). */
  changed(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.load();
    }, 150);
  }

  async load(): Promise<void> {
    // One fetch at a time; a change during a fetch asks for one more afterwards.
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = (async () => {
      try {
        const [view, gap] = await Promise.all([this.app.api.json<View>(`${this.app.base}/talks`), this.app.api.json<GapReport>(`${this.app.base}/talks/gap`)]);
        this.fetchedAt = Date.now();
        this.gap = gap;
        this.render(view, gap);
        await this.bench?.load();
      } catch (e) {
        const status = h('div', {});
        showError(status, e);
        clear(this.body, h('p', {}, t('talks.cannot')), status);
      }
    })();
    await this.loading;
    this.loading = undefined;
    if (this.again) {
      this.again = false;
      await this.load();
    }
  }

  private drawDeadline(): void {
    const line = deadlineLine(this.view, this.gap, this.fetchedAt);
    this.deadline.textContent = line.text;
    this.deadline.classList.toggle('late', line.late);
  }

  /** whether a draft's zone is drawn on the map now (a test asks) */
  get draftShapeShown(): boolean {
    return this.draw?.shapeShown ?? false;
  }

  /** The map, once there is one: the draft form draws zones on it, rule sentences highlight theirs. */
  attachMap(map: MapView): void {
    this.draw = new MapDraw(map);
    this.map = map;
    this.forms.clear();
    if (this.view && this.gap) this.render(this.view, this.gap);
  }

  /** Zones in force are selected on the map; a zone the current draft adds is traced from it. */
  private highlight(zones: string[], fit: boolean): void {
    const map = this.map;
    if (!map) return;
    const known = new Set(this.app.arrangement.zones.features.map((f) => f.properties.id));
    const inForce = zones.filter((z) => known.has(z));
    map.select(inForce, [], fit && inForce.length > 0);
    const sections = (this.view?.drafts.find((d) => d.version === this.view?.current)?.sections ?? {}) as { zones?: unknown[]; lines?: unknown[] };
    const drafted = (sections.zones ?? []).filter((z) => zones.includes(String((z as { id?: unknown }).id)) && !known.has(String((z as { id?: unknown }).id)));
    if (this.draw?.drawing) return;
    const lines = new Map<string, Position[][]>(
      this.app.arrangement.lines.features.map((f) => [
        f.properties.id,
        f.geometry.type === 'LineString' ? [f.geometry.coordinates] : (f.geometry.coordinates as Position[][]),
      ]),
    );
    // A band along a zone's edge follows a zone in force (as the map has it) or one the draft draws.
    const edges = () =>
      drawnZones([...this.app.arrangement.zones.features.map((f) => ({ id: f.properties.id, geometry: f.geometry })), ...(sections.zones ?? [])], {});
    const geometry = drafted.length ? zoneGeometry(drafted[0] as Record<string, unknown>, sections.lines ?? [], lines, edges()) : null;
    this.draw?.show(geometry, []);
    if (geometry && fit) map.map.fitBounds(shapeBox(geometry), { padding: 80, maxZoom: 11, duration: 600 });
  }

  private render(view: View, gap: GapReport): void {
    const current = view.drafts.find((d) => d.version === view.current);
    const c: TalksContext = { app: this.app, view, gap, current, refresh: () => this.changed(), draw: this.draw };
    const role = view.viewer.role;
    this.view = view;
    this.drawDeadline();
    const k = (...parts: unknown[]) => JSON.stringify(parts);
    // The round order's facts (and whether a round's deadline has passed) are part of every form's state: a form is rebuilt, disabled with its reason, when they change.
    const order = k(factsFromView(view), blockedBecause(view, 'draft'));
    const state = k(view.current, view.announcement?.draft, view.approved) + order;
    const mine = k(gap.clauses.map((cl) => cl.stances.find((s) => s.party === this.app.me.id)?.stance));
    const agenda = k(view.agenda.map((i) => [i.id, i.open]));
    clear(
      this.body,
      this.status(view, current),
      this.singleText(c),
      role === 'party' && current
        ? h(
            'div',
            { class: 'forms' },
            this.keep('withdraw', state + mine, () => withdrawForm(c)),
          )
        : null,
      this.agenda(c),
      this.bench?.el,
      role === 'party'
        ? h(
            'div',
            { class: 'forms' },
            this.keep('submit', agenda + order, () => submitForm(c)),
          )
        : null,
      role === 'mediator'
        ? h(
            'div',
            { class: 'forms' },
            this.keep('issue', order, () => openIssueForm(c)),
            this.keep('relay', k(view.submissions.map((x) => x.id)) + order, () => relayForm(c)),
            this.keep('draft', state, () => draftForm(c)),
            this.keep('announce', state, () => announceForm(c)),
          )
        : null,
      role === 'guarantor'
        ? h(
            'div',
            { class: 'forms' },
            this.keep('approve', k(approveBlocker(c)), () => approveForm(c)),
          )
        : null,
      jointChannel(c, (name, key, build) => this.keep(name, key, build)),
      this.submissions(view),
      this.relays(view),
      this.history(view),
    );
  }

  /**
   * The form `name`, rebuilt only when `key` (the talks state it depends on) changed: a
   * refresh caused by someone else's move must not wipe what this user is typing.
   */
  private keep(name: string, key: string, build: () => HTMLElement): HTMLElement {
    const had = this.forms.get(name);
    if (had && had.key === key) return had.el;
    const el = build();
    this.forms.set(name, { key, el });
    return el;
  }

  private status(view: View, current: DraftView | undefined): HTMLElement {
    const parts: (string | HTMLElement)[] = [];
    parts.push(current ? t('talks.singleText', { n: String(current.version), time: formatTime(current.time) }) : t('talks.noDraft'));
    if (this.gap?.agreed === true) parts.push(t('talks.agreed'));
    if (view.approvals.length) parts.push(t('talks.approvedBy', { actors: formatList(view.approvals.map((a) => this.app.actorName(a.by))) }));
    if (view.announcement)
      parts.push(
        h(
          'strong',
          {},
          t(view.announcement.late ? 'talks.announcedLate' : 'talks.announced', {
            n: String(view.announcement.draft),
            time: formatTime(view.announcement.time),
          }),
        ),
      );
    return h('p', { class: 'talks-status', 'data-test': 'talks-status' }, parts);
  }

  private singleText(c: TalksContext): HTMLElement | null {
    const { view, gap, current } = c;
    if (!current) return null;
    const byClause = new Map(gap.clauses.map((cl) => [cl.id, cl]));
    const draftZones = ((current.sections as { zones?: unknown[] } | null)?.zones ?? []) as unknown[];
    const clauses = current.clauses.map((cl) => {
      const g = byClause.get(cl.id);
      // The gap report has every party (with "none"); the view's own stance list is the fallback.
      const stances = g
        ? g.stances
        : view.stances.filter((s) => s.clause === cl.id).map((s) => ({ party: s.party, stance: s.stance, note: s.note, since: s.since }));
      return h(
        'li',
        { class: `clause${g?.accepted ? ' accepted' : ''}`, 'data-test': 'clause', 'data-clause': cl.id },
        h(
          'div',
          { class: 'clause-head' },
          h('code', {}, cl.id),
          g?.accepted ? h('span', { class: 'badge ok' }, t('talks.acceptedByAll')) : null,
          current.unchanged.includes(cl.id) ? h('span', { class: 'muted small' }, t('talks.unchanged')) : null,
        ),
        clauseText(cl, [getLocale(), ...(navigator.languages ?? [])]),
        cl.rules.length
          ? h(
              'div',
              { class: 'clause-rules-read' },
              h('strong', { class: 'small' }, t('talks.rules', { n: cl.rules.length })),
              ruleSentenceList(cl.rules, this.app.arrangement, draftZones, (zones, fit) => this.highlight(zones, fit)),
              h('details', {}, h('summary', { class: 'muted small' }, t('draft.asWritten')), h('pre', { class: 'mono' }, JSON.stringify(cl.rules, null, 2))),
            )
          : null,
        this.stanceList(stances),
        view.viewer.role === 'party'
          ? this.keep(
              `stance:${cl.id}`,
              JSON.stringify([current.version, view.announcement?.draft, stances.find((s) => s.party === this.app.me.id)?.stance, factsFromView(view)]),
              () => stanceForm(c, cl.id),
            )
          : null,
      );
    });
    return h(
      'div',
      {},
      h('h3', {}, t('talks.draftHeading', { n: String(current.version) })),
      current.note ? h('p', { class: 'muted' }, current.note) : null,
      h('ol', { class: 'clauses', 'data-test': 'single-text' }, clauses, this.sectionsItem(c, byClause.get(SECTIONS_CLAUSE))),
    );
  }

  /** Each party's stance on a clause (or the sections): since which draft it holds, and its note. */
  private stanceList(stances: readonly { party: string; stance: string; since?: number | null; note?: string | null }[]): HTMLElement {
    return h(
      'ul',
      { class: 'stances' },
      stances.map((s) =>
        h(
          'li',
          { class: `stance stance-${s.stance}`, 'data-test': 'stance', 'data-party': s.party, 'data-stance': s.stance },
          h('strong', {}, this.app.actorName(s.party)),
          ` ${stanceWord(s.stance)}`,
          s.since !== null && s.since !== undefined ? h('span', { class: 'muted' }, t('talks.sinceDraft', { n: String(s.since) })) : null,
          s.note ? h('span', { class: 'note' }, ` — “${s.note}”`) : null,
        ),
      ),
    );
  }

  /**
   * A draft's changes to the arrangement's own sections (zones, lines, the file's rules…):
   * accepted by each party like a clause, the stance binding their hash (src/talks/sections-stance.ts).
   */
  private sectionsItem(c: TalksContext, g: GapClause | undefined): HTMLElement | null {
    const { view, current } = c;
    if (!current?.sections_hash) return null;
    const names = Object.keys((current.sections ?? {}) as Record<string, unknown>).sort();
    const stances = g?.stances ?? [];
    return h(
      'li',
      { class: `clause${g?.accepted ? ' accepted' : ''}`, 'data-test': 'clause', 'data-clause': SECTIONS_CLAUSE },
      h(
        'div',
        { class: 'clause-head' },
        h('strong', {}, t('talks.sectionsHeading')),
        g?.accepted ? h('span', { class: 'badge ok' }, t('talks.acceptedByAll')) : null,
      ),
      h('p', {}, t('talks.sectionsWhat', { list: formatList(names) })),
      h('p', { class: 'muted small' }, t('talks.sectionsHash', { hash: current.sections_hash })),
      h('details', {}, h('summary', { class: 'muted small' }, t('draft.asWritten')), h('pre', { class: 'mono' }, JSON.stringify(current.sections, null, 2))),
      this.stanceList(stances),
      view.viewer.role === 'party'
        ? this.keep(
            `stance:${SECTIONS_CLAUSE}`,
            JSON.stringify([current.version, current.sections_hash, stances.find((s) => s.party === this.app.me.id)?.stance, factsFromView(view)]),
            () => stanceForm(c, SECTIONS_CLAUSE),
          )
        : null,
    );
  }

  private agenda(c: TalksContext): HTMLElement | null {
    const { view, gap } = c;
    if (view.agenda.length === 0) return view.viewer.role === 'mediator' ? h('p', { class: 'muted' }, t('talks.noIssue')) : null;
    const positions = new Map(gap.issues.map((i) => [i.id, i]));
    return h(
      'div',
      {},
      h('h3', {}, t('talks.agenda')),
      h(
        'ul',
        { class: 'agenda', 'data-test': 'agenda' },
        view.agenda.map((i) => {
          const g = positions.get(i.id);
          return h(
            'li',
            { 'data-test': 'issue', 'data-issue': i.id },
            h('code', {}, i.id),
            ` ${localized(i.title)}`,
            i.unit ? h('span', { class: 'muted' }, t('talks.numeric', { unit: i.unit })) : null,
            h('span', { class: i.open ? 'badge' : 'badge muted' }, i.open ? t('talks.issueOpen') : t('talks.issueClosed', { time: formatTime(i.closed) })),
            i.open && view.viewer.role === 'mediator' ? this.keep(`close:${i.id}`, JSON.stringify(factsFromView(view)), () => closeIssueButton(c, i.id)) : null,
            g?.positions.length
              ? h(
                  'ul',
                  { class: 'positions', 'data-test': 'positions' },
                  g.positions.map((p) =>
                    h(
                      'li',
                      {},
                      t('talks.position', { actor: this.app.actorName(p.party), position: p.position, unit: g.unit ?? '' }),
                      h('span', { class: 'muted' }, ` (${p.submission}, ${formatTime(p.time)})`),
                    ),
                  ),
                )
              : null,
            g && g.distance !== undefined
              ? h(
                  'p',
                  { class: 'gap', 'data-test': 'gap-distance' },
                  g.distance === null ? t('talks.gapFew') : t('talks.gap', { distance: g.distance, unit: g.unit ?? '' }),
                )
              : null,
          );
        }),
      ),
    );
  }

  private submissions(view: View): HTMLElement | null {
    if (view.submissions.length === 0) return null;
    const mine = view.viewer.role === 'party';
    return h(
      'div',
      {},
      h('h3', {}, mine ? t('talks.yourSubmissions') : t('talks.submissions')),
      h(
        'ul',
        { class: 'submissions', 'data-test': 'submissions' },
        [...view.submissions]
          .reverse()
          .map((s) =>
            h(
              'li',
              { 'data-test': 'submission', 'data-id': s.id, 'data-confidential': String(s.confidential) },
              h(
                'div',
                {},
                h('code', {}, s.id),
                t('talks.submissionBy', { actor: this.app.actorName(s.author), time: formatTime(s.time) }),
                s.issue ? t('talks.onIssue', { issue: s.issue }) : '',
                s.position !== null ? t('talks.atPosition', { position: s.position }) : '',
                s.confidential ? h('span', { class: 'badge warn' }, t('talks.confidential')) : null,
                s.quiet ? h('span', { class: 'badge', title: t('talks.quietHint') }, t('talks.quiet')) : null,
              ),
              h('p', { class: 'submission-text', dir: 'auto' }, s.text),
            ),
          ),
      ),
    );
  }

  private relays(view: View): HTMLElement | null {
    if (view.relays.length === 0) return null;
    return h(
      'div',
      {},
      h('h3', {}, t('talks.relays')),
      h(
        'ul',
        { class: 'relays', 'data-test': 'relays' },
        [...view.relays]
          .reverse()
          .map((r) =>
            h(
              'li',
              { 'data-test': 'relay' },
              h(
                'div',
                {},
                h('code', {}, r.id),
                t('talks.relayHead', { from: this.app.actorName(r.from), to: this.app.actorName(r.to), time: formatTime(r.time) }),
                r.cites.length ? t('talks.citing', { ids: formatList(r.cites) }) : '',
              ),
              h('p', {}, r.text),
            ),
          ),
      ),
    );
  }

  private history(view: View): HTMLElement | null {
    const earlier = view.drafts.filter((d) => d.version !== view.current);
    if (earlier.length === 0 && view.withdrawals.length === 0) return null;
    return h(
      'div',
      {},
      earlier.length ? h('h3', {}, t('talks.earlier')) : null,
      [...earlier].reverse().map((d) =>
        h(
          'details',
          {},
          h('summary', {}, `${t('talks.draftSummary', { n: String(d.version), time: formatTime(d.time) })}${d.note ? ` — ${d.note}` : ''}`),
          h(
            'ol',
            {},
            d.clauses.map((cl) => h('li', {}, h('code', {}, cl.id), ` ${readerText(cl)}`)),
          ),
        ),
      ),
      view.withdrawals.length ? h('h3', {}, t('talks.withdrawals')) : null,
      view.withdrawals.length
        ? h(
            'ul',
            {},
            view.withdrawals.map((w) =>
              h(
                'li',
                {},
                `${t('talks.withdrew', { actor: this.app.actorName(w.party), clauses: formatList(w.clauses), n: String(w.draft), time: formatTime(w.time) })}${w.note ? ` — “${w.note}”` : ''}`,
              ),
            ),
          )
        : null,
    );
  }
}
