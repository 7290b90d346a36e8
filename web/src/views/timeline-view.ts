// The timeline: a slider over the time span received so far (findings' times and
// posture snapshots). Moving it shows the map and the open findings as of that moment;
// "Live" returns to the present. While scrubbed, new events are still received and kept.
import type { App } from '../app.ts';
import { formatTime, h } from '../dom.ts';
import { t as tr } from '../i18n/i18n.ts';

export class TimelineView {
  readonly el: HTMLElement;
  private readonly slider: HTMLInputElement;
  private readonly label: HTMLElement;
  private readonly live: HTMLButtonElement;
  private pending = false;

  constructor(private readonly app: App) {
    this.slider = h('input', { type: 'range', min: 0, max: 1, step: 'any', value: 1, 'aria-label': tr('timeline.slider'), 'data-test': 'timeline' });
    this.label = h('span', { class: 'time-label', 'data-test': 'time-label' });
    this.live = h('button', { type: 'button', 'data-test': 'live', onclick: () => app.setViewTime(null) }, tr('timeline.live'));
    this.el = h('div', { class: 'timeline' }, h('span', { class: 'muted small' }, tr('timeline.label')), this.slider, this.label, this.live);
    this.slider.addEventListener('input', () => {
      const max = Number(this.slider.max);
      const v = Number(this.slider.value);
      // At the right end the slider means "now": back to live.
      app.setViewTime(v >= max ? null : v);
    });
    const update = () => this.schedule();
    app.on('findings', update);
    app.on('posture', update);
    app.on('time', update);
    this.draw();
  }

  /** The span to scrub: from the earliest to the latest time received. */
  private span(): [number, number] | undefined {
    const p = this.app.posture;
    const f = this.app.findings;
    const first = Math.min(f.minTime, p.snapshots[0]?.time ?? Infinity);
    const last = Math.max(f.maxTime, p.time);
    return Number.isFinite(first) && Number.isFinite(last) ? [first, last] : undefined;
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
    this.el.classList.toggle('scrubbed', t !== null);
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
    const posture = this.app.posture.snapshots[0];
    const note = t !== null && (!posture || posture.time > t) ? ` ${tr('timeline.noPositions')}` : '';
    this.label.textContent = t === null ? tr('timeline.liveAt', { time: formatTime(last) }) : `${tr('timeline.asOf', { time: formatTime(t) })}${note}`;
  }
}
