// "Draw a zone" in the draft form: click a polygon's corners on the map, or a line and
// give a width and a side for a band (the arrangement's `band: { of, km, side }` over a
// line the draft adds), or choose a drawn zone and give a width and a side for a band
// along its edge. The zone goes into the draft's `sections` (zones, and lines for a band
// of a new line: each section set as a whole, so the sections the text has so far come
// first), previewed live on the map as the server would trace it.
import type { Position } from 'geojson';
import { clear, h } from '../dom.ts';
import { t } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { zoneGeometry } from '../map/draw-shape.ts';
import { optionsOf } from './rule-form-fields.ts';
import type { MapDraw } from '../map/draw.ts';

type Written = Record<string, unknown>;
const SIDES = ['east', 'west', 'north', 'south', 'left', 'right', 'both'] as const;

export interface ZoneDrawer {
  el: HTMLElement;
  /** the sections the draft sets: {} when nothing is drawn and nothing was set before */
  sections(): Record<string, unknown>;
  /** the drawn zone, for the rule forms' zone selects */
  zones(): { id: string; name: string }[];
  /** problems whose path is in `sections` ("sections.zones[3].band.km", …), each shown once */
  show(issues: { path: string; message: string }[]): void;
}

export interface DrawerBase {
  /** the sections the text has so far (a draft's own, else those in force), as written */
  carried: Record<string, unknown>;
  zones: unknown[];
  lines: unknown[];
  /** the lines on the map, by id (for bands of a line in force) */
  known: Map<string, Position[][]>;
  /** the drawn zones a band may follow the edge of, by id (see drawnZones) */
  polygons: Map<string, Position[][][]>;
  /** a zone's name in the reader's language */
  nameOf(id: string): string;
}

export function zoneDrawer(base: DrawerBase, draw: MapDraw | undefined, changed: () => void): ZoneDrawer {
  let shape: 'polygon' | 'line' | 'zone' | null = null;
  let points: Position[] = [];
  const id = h('input', { type: 'text', value: 'draft-zone', 'data-test': 'zone-id' });
  const name = h('input', { type: 'text', 'data-test': 'zone-name' });
  const width = h('input', { type: 'number', min: '0', step: 'any', 'data-test': 'zone-width' });
  const side = h(
    'select',
    { 'data-test': 'zone-side' },
    SIDES.map((s) => h('option', { value: s }, t(`draft.side.${s}` as MessageKey))),
  );
  const of = h('select', { 'data-test': 'zone-of' });
  optionsOf(
    of,
    [...base.polygons.keys()].map((z) => ({ id: z, name: base.nameOf(z) })),
    t('draft.choose'),
  );
  const sideLabel = h('span', {}, t('draft.side'));
  const count = h('span', { class: 'muted small', 'data-test': 'zone-points' });
  const said = h('p', { class: 'muted small', 'data-test': 'zone-summary' });
  const errors = h('div', { class: 'rule-error', 'data-test': 'zone-error', role: 'alert', hidden: true });
  const ofField = h('label', { class: 'rule-field', hidden: true }, h('span', {}, t('draft2.zoneOf')), of);
  const bandFields = h(
    'div',
    { class: 'rule-fields', hidden: true },
    ofField,
    h('label', { class: 'rule-field' }, h('span', {}, t('draft.width')), width),
    h('label', { class: 'rule-field' }, sideLabel, side),
  );
  const finishButton = h('button', { type: 'button', 'data-test': 'zone-finish', hidden: true }, t('draft.drawFinish'));
  const hint = h('small', { class: 'muted', hidden: true }, t('draft.drawHint'));

  const written = (): { zone: Written; line?: Written } | null => {
    const zid = id.value.trim();
    const zname = name.value.trim();
    if (shape === 'polygon' && points.length > 0)
      return { zone: { id: zid, ...(zname ? { name: zname } : {}), geometry: { type: 'Polygon', coordinates: [[...points, points[0]]] } } };
    const km = width.value === '' ? undefined : [0, Number(width.value)];
    if (shape === 'line' && points.length > 0) {
      const line = `${zid}-line`;
      return {
        line: { id: line, geometry: { type: 'LineString', coordinates: points } },
        zone: { id: zid, ...(zname ? { name: zname } : {}), band: { of: line, km, side: side.value } },
      };
    }
    // A band along a zone's edge is written even before its zone is chosen, so the check names what is missing.
    if (shape === 'zone') return { zone: { id: zid, ...(zname ? { name: zname } : {}), band: { of: of.value || undefined, km, side: side.value } } };
    return null;
  };

  const redraw = () => {
    count.textContent = shape ? t('draft.points', { n: points.length }) : '';
    const w = written();
    if (!w) {
      said.textContent = '';
      draw?.show(null, points);
    } else {
      const n = t('draft.points', { n: points.length });
      const sideWords = t(`draft.side.${side.value}` as MessageKey);
      said.textContent = t('draft.newZone', {
        name: name.value.trim() || id.value.trim(),
        shape:
          shape === 'line'
            ? t('draft.shapeBand', { km: width.value || '?', side: sideWords, points: n })
            : shape === 'zone'
              ? t('draft2.shapeZoneBand', { km: width.value || '?', side: sideWords, zone: of.value ? base.nameOf(of.value) : '?' })
              : t('draft.shapePolygon', { points: n }),
      });
      draw?.show(zoneGeometry(w.zone, w.line ? [w.line] : [], base.known, base.polygons), points);
    }
    changed();
  };

  /** A band along a zone's edge: nothing to click on the map, only a zone to choose. */
  const beginZoneBand = () => {
    if (draw?.drawing) draw.finish();
    shape = 'zone';
    points = [];
    bandFields.hidden = false;
    ofField.hidden = false;
    sideLabel.textContent = t('draft2.sideOfEdge');
    finishButton.hidden = true;
    hint.hidden = true;
    redraw();
  };

  const begin = (mode: 'polygon' | 'line') => {
    if (!draw) return;
    shape = mode;
    points = [];
    bandFields.hidden = mode !== 'line';
    ofField.hidden = true;
    sideLabel.textContent = t('draft.side');
    finishButton.hidden = false;
    hint.hidden = false;
    draw.start(mode === 'polygon' ? 'polygon' : 'line', (p) => {
      points = p;
      redraw();
    });
    redraw();
  };
  finishButton.addEventListener('click', () => {
    draw?.finish();
    finishButton.hidden = true;
    hint.hidden = true;
    redraw();
  });
  const remove = () => {
    draw?.clear();
    shape = null;
    points = [];
    bandFields.hidden = true;
    finishButton.hidden = true;
    hint.hidden = true;
    redraw();
  };
  for (const input of [id, name, width, side, of]) input.addEventListener('input', redraw);
  side.addEventListener('change', redraw);
  of.addEventListener('change', redraw);

  const el = h(
    'div',
    { class: 'zone-drawer', 'data-test': 'zone-drawer' },
    h('h5', {}, t('draft.drawTitle')),
    draw
      ? h(
          'div',
          { class: 'rule-head' },
          h('button', { type: 'button', 'data-test': 'draw-polygon', onclick: () => begin('polygon') }, t('draft.drawPolygon')),
          h('button', { type: 'button', 'data-test': 'draw-band', onclick: () => begin('line') }, t('draft.drawBand')),
          base.polygons.size ? h('button', { type: 'button', 'data-test': 'draw-zone-band', onclick: beginZoneBand }, t('draft2.drawZoneBand')) : null,
          finishButton,
          h('button', { type: 'button', class: 'link', 'data-test': 'zone-remove', onclick: remove }, t('draft.drawClear')),
          count,
        )
      : h('p', { class: 'muted small' }, t('draft.zonesUnavailable', { error: 'WebGL' })),
    hint,
    h(
      'div',
      { class: 'rule-fields' },
      h('label', { class: 'rule-field' }, h('span', {}, t('draft.zoneId')), id),
      h('label', { class: 'rule-field' }, h('span', {}, t('draft.zoneName')), name),
    ),
    bandFields,
    said,
    errors,
  );

  return {
    el,
    sections: () => {
      const w = written();
      if (!w) return { ...base.carried };
      return { ...base.carried, zones: [...base.zones, w.zone], ...(w.line ? { lines: [...base.lines, w.line] } : {}) };
    },
    zones: () => {
      const w = written();
      return w ? [{ id: String(w.zone.id), name: name.value.trim() || String(w.zone.id) }] : [];
    },
    show: (issues) => {
      const seen = new Set<string>();
      const msgs: string[] = [];
      for (const i of issues) {
        const key = `${i.path}\u0000${i.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        // The new zone and line are the sections' last entries: name them by what the mediator gave.
        const m = /^sections\.(zones|lines)\[(\d+)\]\.?(.*)$/.exec(i.path);
        const drawn = m && Number(m[2]) >= (m[1] === 'zones' ? base.zones.length : base.lines.length);
        msgs.push(drawn ? `${m[3] || m[1]}: ${i.message}` : `${i.path}: ${i.message}`);
      }
      errors.hidden = msgs.length === 0;
      clear(
        errors,
        msgs.map((x) => h('p', {}, x)),
      );
    },
  };
}
