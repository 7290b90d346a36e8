// Names on the map: places, lines and zones as HTML laid over the canvas, with a
// collision pass (labels-collide.ts) on their screen boxes after every move.
//
// Why HTML and not maplibre symbol layers: a symbol layer needs glyph PBFs from a
// server (`glyphs` URL) and there is no network at run time; maplibre 6's local glyph
// drawing covers CJK ideographs (`localIdeographFontFamily`), not Arabic or Hebrew
// shaping. The browser shapes every script (joining, bidi) with the system's fonts, and
// some forty labels cost nothing to move: their sizes are measured once, each frame
// only projects points and compares boxes.
import './labels.css';
import type { Map as MapLibre } from 'maplibre-gl';
import type { ArrangementView } from '../api/types.ts';
import { getLocale } from '../i18n/i18n.ts';
import { type LabelBox, placeLabels } from './labels-collide.ts';
import { type LabelCandidate, type LabelGroup, labelCandidates } from './places.ts';

interface Placed {
  c: LabelCandidate;
  el: HTMLElement;
  w: number;
  h: number;
  box?: LabelBox;
}

export class MapLabels {
  readonly el: HTMLElement;
  private readonly labels: Placed[] = [];
  private readonly hidden = new Set<LabelGroup>();
  private frame = 0;

  constructor(
    private readonly map: MapLibre,
    arrangement: ArrangementView,
  ) {
    this.el = document.createElement('div');
    this.el.className = 'map-labels';
    this.el.setAttribute('aria-hidden', 'true');
    map.getContainer().append(this.el);
    const lang = getLocale();
    for (const c of labelCandidates(arrangement)) {
      const el = document.createElement('div');
      el.className = `map-label ${c.style} kind-${c.kind}`;
      el.lang = lang;
      el.dir = 'auto';
      el.dataset.label = c.id;
      el.textContent = c.text;
      this.el.append(el);
      this.labels.push({ c, el, w: 0, h: 0 });
    }
    // Measured once, all together (one layout), before any is moved.
    for (const l of this.labels) [l.w, l.h] = [l.el.offsetWidth, l.el.offsetHeight];
    for (const ev of ['move', 'resize'] as const) map.on(ev, () => this.schedule());
    this.schedule();
  }

  /** Shows or hides a group of labels (the layer switcher's places, lines and zone kinds). */
  setGroup(group: LabelGroup, on: boolean): void {
    if (on) this.hidden.delete(group);
    else this.hidden.add(group);
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.layout();
    });
  }

  private layout(): void {
    const boxes: LabelBox[] = [];
    for (const l of this.labels) {
      l.box = undefined;
      if (this.hidden.has(l.c.group)) continue;
      const p = this.map.project(l.c.at);
      // A place's dot (the box's bottom 4 px) sits on the point; other labels centre on theirs.
      const y = l.c.style === 'place' ? p.y - l.h + 4 : p.y - l.h / 2;
      l.box = { id: l.c.id, x: p.x - l.w / 2, y, w: l.w, h: l.h, priority: l.c.priority };
      boxes.push(l.box);
    }
    const c = this.map.getContainer();
    const shown = placeLabels(boxes, c.clientWidth, c.clientHeight);
    for (const l of this.labels) {
      const on = l.box !== undefined && shown.has(l.c.id);
      l.el.hidden = !on;
      if (on && l.box) l.el.style.transform = `translate(${Math.round(l.box.x)}px, ${Math.round(l.box.y)}px)`;
    }
  }

  /** The labels shown now, with their text (for the page's test hooks). */
  shown(): { id: string; text: string }[] {
    return this.labels.filter((l) => !l.el.hidden).map((l) => ({ id: l.c.id, text: l.c.text }));
  }
}
