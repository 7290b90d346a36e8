// The timeline: a slider over the time span known (findings' times, from the whole book,
// and posture snapshots), with a mark where each finding opened. Moving it, or playing
// from a moment at 1×, 10× or 60×, shows the map and the open findings as of that moment,
// from the server's history (state/history.ts), so moments before this tab opened can be
// seen too; "Live" returns to the present. While scrubbed, new events are still kept.
import type { App } from '../app.ts';
import { formatTime, h } from '../dom.ts';
import { t as tr } from '../i18n/i18n.ts';
import { en, type MessageKey } from '../i18n/messages.ts';
import { historyOf, type HistoryStore } from '../state/history.ts';
import { ReplayAlertsView } from './replay-alerts.ts';
import { timelineMarks } from './timeline-marks.ts';
import './timeline.css';

export const SPEEDS = [1, 10, 60] as const;

/** A finding kind in words (the server's word where the table has none). */
function kindWord(finding: string): string {
  const key = `kind.${finding}`;
  return Object.hasOwn(en, key) ? tr(key as MessageKey) : finding;
}

export class TimelineView {
  readonly el: HTMLElement;
  private readonly slider: HTMLInputElement;
  private readonly label: HTMLElement;
  private readonly live: HTMLButtonElement;
  private readonly play: HTMLButtonElement;
  private readonly speed: HTMLSelectElement;
  private readonly marks: HTMLElement;
  private readonly history: HistoryStore;
  private readonly alerts: ReplayAlertsView;
  private pending = false;
  private playing = false;
  private lastFrame = 0;
  private marksDrawn = '';

  constructor(private readonly app: App) {
    this.history = historyOf(app);
    this.slider = h('input', { type: 'range', min: 0, max: 1, step: 'any', value: 1, 'aria-label': tr('timeline.slider'), 'data-test': 'timeline' });
    this.label = h('span', { class: 'time-label', 'data-test': 'time-label' });
    this.live = h('button', { type: 'button', 'data-test': 'live', onclick: () => this.goLive() }, tr('timeline.live'));
    this.play = h('button', { type: 'button', class: 'replay-play', 'data-test': 'replay-play', onclick: () => this.toggle() }, tr('replay.play'));
    this.speed = h(
      'select',
      { 'aria-label': tr('replay.speed'), 'data-test': 'replay-speed' },
      SPEEDS.map((n) => h('option', { value: n }, tr('replay.times', { n }))),
    );
    this.marks = h('div', { class: 'timeline-marks', role: 'group', 'aria-label': tr('replay.marks'), 'data-test': 'timeline-marks' });
    const track = h('div', { class: 'timeline-track' }, this.marks, this.slider);
    this.alerts = new ReplayAlertsView(app);
    this.el = h(
      'div',
      { class: 'timeline' },
      h('span', { class: 'muted small' }, tr('timeline.label')),
      track,
      this.play,
      this.speed,
      this.label,
      this.live,
      this.alerts.el,
    );
    this.slider.addEventListener('input', () => {
      const max = Number(this.slider.max);
      const v = Number(this.slider.value);
      // At the right end the slider means "now": back to live.
      if (v >= max) this.goLive();
      else app.setViewTime(v);
    });
    const update = () => this.schedule();
    app.on('findings', update);
    app.on('posture', update);
    app.on('time', update);
    this.draw();
  }

  /** The span to scrub: from the earliest to the latest time known. */
  private span(): [number, number] | undefined {
    const p = this.app.posture;
    const f = this.app.findings;
    const first = Math.min(f.minTime, p.snapshots[0]?.time ?? Infinity);
    const last = Math.max(f.maxTime, p.time);
    return Number.isFinite(first) && Number.isFinite(last) ? [first, last] : undefined;
  }

  private goLive(): void {
    this.stop();
    this.app.setViewTime(null);
  }

  private toggle(): void {
    if (this.playing) {
      this.stop();
      return;
    }
    if (this.app.viewTime === null) return;
    this.playing = true;
    this.lastFrame = performance.now();
    requestAnimationFrame((now) => this.tick(now));
    this.schedule();
  }

  private stop(): void {
    this.playing = false;
    this.schedule();
  }

  /** One frame of play: story time moves by the real time since the last frame times the speed. */
  private tick(now: number): void {
    if (!this.playing) return;
    const t = this.app.viewTime;
    const span = this.span();
    if (t === null || !span) {
      this.stop();
      return;
    }
    const next = t + (now - this.lastFrame) * Number(this.speed.value);
    this.lastFrame = now;
    if (next >= span[1]) {
      this.goLive();
      return;
    }
    this.app.setViewTime(next);
    requestAnimationFrame((n) => this.tick(n));
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  private draw(): void {
    const span = this.span();
    const t = this.app.viewTime;
    this.live.disabled = t === null;
    this.play.disabled = t === null;
    this.play.textContent = this.playing ? tr('replay.pause') : tr('replay.play');
    this.play.setAttribute('aria-pressed', String(this.playing));
    this.el.classList.toggle('scrubbed', t !== null);
    this.alerts.draw();
    if (!span) {
      this.slider.disabled = true;
      this.label.textContent = tr('timeline.nothing');
      return;
    }
    const [first, last] = span;
    this.slider.disabled = last <= first;
    this.slider.min = String(first);
    this.slider.max = String(last);
    this.slider.value = String(t ?? last);
    this.drawMarks(first, last);
    this.label.textContent = t === null ? tr('timeline.liveAt', { time: formatTime(last) }) : `${tr('timeline.asOf', { time: formatTime(t) })}${this.note(t)}`;
  }

  /** What the label adds at a past moment: its history loading, or unavailable (and then whether the tab kept anything). */
  private note(t: number): string {
    const status = this.history.status;
    if (status === 'loading') return ` ${tr('replay.loading')}`;
    if (status !== 'failed') return '';
    const kept = this.app.posture.snapshots[0];
    return !kept || kept.time > t ? ` ${tr('timeline.noPositions')}` : ` ${tr('replay.failed')}`;
  }

  private drawMarks(first: number, last: number): void {
    // Rebuilt only when the findings or the span changed, not on every frame of play.
    const key = `${this.app.findings.version}|${first}|${last}`;
    if (key === this.marksDrawn) return;
    this.marksDrawn = key;
    this.marks.replaceChildren(
      ...timelineMarks(this.app.findings.occurrences, first, last).map((m) =>
        h('button', {
          type: 'button',
          class: `timeline-mark ${m.alert ? 'alert' : ''} ${m.finding}`,
          style: `inset-inline-start: ${(m.fraction * 100).toFixed(3)}%`,
          title: tr('replay.mark', { kind: kindWord(m.finding), time: formatTime(m.time) }),
          'aria-label': tr('replay.mark', { kind: kindWord(m.finding), time: formatTime(m.time) }),
          'data-test': 'timeline-mark',
          'data-finding': m.finding,
          'data-time': new Date(m.time).toISOString(),
          onclick: () => {
            this.stop();
            this.app.setViewTime(m.time);
            // Selected once the moment's positions are there, so the map can fit the units it names.
            void this.history.loaded(m.time).then(() => {
              if (this.app.viewTime === m.time) this.app.select(m.occurrence);
            });
          },
        }),
      ),
    );
  }
}
