// The talks as the logged-in actor sees them (GET …/talks and …/talks/gap; the server
// filters): the deadline, the single text with every party's stance on each clause, the
// agenda with positions (and, for the mediator, the gap), submissions and relays, and
// the forms this role may use. Fetched again whenever a `talks` event says it changed.
import type { App } from '../app.ts';
import type { DraftView, GapReport, TalksView as View } from '../api/types.ts';
import { clear, formatDuration, formatTime, h } from '../dom.ts';
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
  /** the current round's deadline as the view says it stands */
  private deadlineNow: View['deadline'] = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private fetchedAt = 0;
  private gap: GapReport | undefined;
  private loading: Promise<void> | undefined;
  private again = false;
  /** the mediator's bench, for those the policy lets read it; never built (or fetched) for anyone else */
  private readonly bench: BenchPanel | undefined;
  /** forms by name, with the state they were built for */
  private readonly forms = new Map<string, { key: string; el: HTMLElement }>();

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
    const g = this.gap;
    const dl = this.deadlineNow;
    const meeting = dl?.meeting
      ? t('deadline.meeting', { title: localized(dl.meeting.title), place: localized(dl.meeting.place), time: formatTime(dl.meeting.at) })
      : '';
    // Once the round's text is announced, what matters is whether it came before the deadline, not how long ago that passed.
    if (dl && dl.at !== null && (dl.state === 'announced-before' || dl.state === 'announced-after')) {
      const before = dl.state === 'announced-before';
      const p = { round: String(dl.round), time: formatTime(dl.at), meeting };
      this.deadline.textContent =
        dl.round > 1
          ? t(before ? 'deadline.roundAnnouncedBefore' : 'deadline.roundAnnouncedAfter', p)
          : t(before ? 'deadline.announcedBefore' : 'deadline.announcedAfter', p);
      this.deadline.classList.toggle('late', dl.state === 'announced-after');
      return;
    }
    if (dl && dl.round > 1 && dl.at !== null) {
      const left = Date.parse(dl.at) - Date.now();
      const p = { round: String(dl.round), time: formatTime(dl.at), meeting, left: formatDuration(left) };
      this.deadline.textContent = t(left >= 0 ? 'deadline.roundLeft' : 'deadline.roundPassed', p);
      this.deadline.classList.toggle('late', left < 0);
      return;
    }
    if (!g || g.announce_by === null || g.time_left_ms === null) {
      this.deadline.textContent = '';
      return;
    }
    const left = g.time_left_ms - (Date.now() - this.fetchedAt);
    const p = { time: formatTime(g.announce_by), meeting, left: formatDuration(left), ago: formatDuration(-left) };
    this.deadline.textContent = t(left >= 0 ? 'deadline.left' : 'deadline.passed', p);
    this.deadline.classList.toggle('late', left < 0);
  }

  private render(view: View, gap: GapReport): void {
    const current = view.drafts.find((d) => d.version === view.current);
    const c: TalksContext = { app: this.app, view, gap, current, refresh: () => this.changed() };
    const role = view.viewer.role;
    this.deadlineNow = view.deadline ?? null;
    this.drawDeadline();
    const k = (...parts: unknown[]) => JSON.stringify(parts);
    const state = k(view.current, view.announcement?.draft, view.approved);
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
            this.keep('submit', agenda, () => submitForm(c)),
          )
        : null,
      role === 'mediator'
        ? h(
            'div',
            { class: 'forms' },
            this.keep('issue', '', () => openIssueForm(c)),
            this.keep('relay', k(view.submissions.map((x) => x.id)), () => relayForm(c)),
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
          ? h('details', {}, h('summary', {}, t('talks.rules', { n: cl.rules.length })), h('pre', { class: 'mono' }, JSON.stringify(cl.rules, null, 2)))
          : null,
        h(
          'ul',
          { class: 'stances' },
          stances.map((s) =>
            h(
              'li',
              { class: `stance stance-${s.stance}`, 'data-test': 'stance', 'data-party': s.party, 'data-stance': s.stance },
              h('strong', {}, this.app.actorName(s.party)),
              ` ${stanceWord(s.stance)}`,
              s.since !== null ? h('span', { class: 'muted' }, t('talks.sinceDraft', { n: String(s.since) })) : null,
              s.note ? h('span', { class: 'note' }, ` — “${s.note}”`) : null,
            ),
          ),
        ),
        view.viewer.role === 'party'
          ? this.keep(
              `stance:${cl.id}`,
              JSON.stringify([current.version, view.announcement?.draft, stances.find((s) => s.party === this.app.me.id)?.stance]),
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
      h('ol', { class: 'clauses', 'data-test': 'single-text' }, clauses),
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
            i.open && view.viewer.role === 'mediator' ? this.keep(`close:${i.id}`, '', () => closeIssueButton(c, i.id)) : null,
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
