// Under the timeline at a past moment: the separation alerts and losses open then, each
// with its closest approach and the time left to it as of the moment shown, from the
// transition in force then (the history's, or this tab's). The findings list says what
// each finding is; this says what the two aircraft on the map are about to do.
import type { App } from '../app.ts';
import type { BookedFindingView } from '../api/types.ts';
import { h } from '../dom.ts';
import { t } from '../i18n/i18n.ts';
import { openAt } from '../state/findings.ts';
import { historyOf } from '../state/history.ts';

const ALERTS = new Set(['separation', 'loss']);

/** The alerts open at t, each as the transition in force then (the latest by t). */
export function alertsAt(app: App, at: number): BookedFindingView[] {
  const fetched = historyOf(app).frameAt(at)?.findingsAt(at);
  if (fetched) return fetched.filter((b) => ALERTS.has(b.finding));
  const out: BookedFindingView[] = [];
  for (const o of app.findings.occurrences) {
    if (!ALERTS.has(o.first.finding) || !openAt(o, at)) continue;
    const then = o.transitions.filter((x) => Date.parse(x.time) <= at);
    out.push(then[then.length - 1] ?? o.first);
  }
  return out;
}

/** Seconds from `at` to the closest approach the alert predicted, or undefined once it has passed. */
export function secondsToClosest(b: BookedFindingView, at: number): number | undefined {
  if (b.cpa_s === undefined) return undefined;
  const left = b.cpa_s - (at - Date.parse(b.time)) / 1000;
  return left >= 0 ? Math.round(left) : undefined;
}

export class ReplayAlertsView {
  readonly el: HTMLElement;

  constructor(private readonly app: App) {
    this.el = h('ul', { class: 'replay-alerts', 'data-test': 'replay-alerts', hidden: true });
  }

  draw(): void {
    const at = this.app.viewTime;
    const alerts = at === null ? [] : alertsAt(this.app, at);
    this.el.hidden = alerts.length === 0;
    this.el.replaceChildren(
      ...alerts.map((b) => {
        const left = at === null ? undefined : secondsToClosest(b, at);
        const closest = [
          b.cpa_km !== undefined ? t('fact.closestKm', { km: b.cpa_km }) : '',
          b.cpa_m !== undefined && b.cpa_m !== null ? ` / ${t('fact.closestM', { m: b.cpa_m })}` : '',
          left !== undefined ? ` ${t('fact.closestIn', { s: left })}` : '',
        ].join('');
        return h(
          'li',
          { class: `replay-alert ${b.finding}`, 'data-finding': b.finding, 'data-test': 'replay-alert' },
          h('strong', {}, t(b.finding === 'loss' ? 'kind.loss' : 'kind.separation')),
          ` ${(b.units ?? []).join(' ↔ ')}`,
          closest ? ` · ${closest}` : '',
        );
      }),
    );
  }
}
