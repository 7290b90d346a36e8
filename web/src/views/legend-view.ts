// The map's key, and where its names live (the map itself draws no text): zones with
// their computed areas and how each is drawn, the lines, and the actors' colours.
import type { App } from '../app.ts';
import type { ZoneProps } from '../api/types.ts';
import { clear, formatNumber, h } from '../dom.ts';
import { ATTRIBUTION } from '../map/style.ts';

export function zoneSummary(app: App, z: ZoneProps): string {
  const parts: string[] = [];
  if (z.shape === 'band' && z.band) {
    const [from, to] = z.band.km;
    parts.push(
      `band ${from}–${to} km ${z.band.side} of ${app.arrangement.lines.features.find((l) => l.properties.id === z.band!.of)?.properties.name ?? z.band.of}`,
    );
  } else parts.push('drawn polygon');
  if (z.minus.length) parts.push(`minus ${z.minus.map((m) => app.zoneName(m)).join(', ')}`);
  if (z.altitude_m) parts.push(`${z.altitude_m[0]}–${z.altitude_m[1]} m altitude`);
  if (z.approximate) parts.push('approximate');
  return parts.join('; ');
}

export class LegendView {
  readonly el: HTMLElement;
  private readonly units: HTMLElement;

  constructor(
    private readonly app: App,
    onZone: (id: string) => void,
  ) {
    const zones = app.arrangement.zones.features.map((f) => {
      const z = f.properties;
      const color = app.colors.zones.get(z.id) ?? '#888';
      return h(
        'li',
        { class: 'zone', 'data-test': 'zone', 'data-zone': z.id },
        h(
          'button',
          { class: 'link', type: 'button', title: 'show on the map', onclick: () => onZone(z.id) },
          h('span', { class: `swatch ${z.shape}`, style: `--c:${color}` }),
          h('strong', {}, z.name),
        ),
        h('span', { class: 'area' }, `${formatNumber(z.area_km2)} km²`),
        h('div', { class: 'muted small' }, zoneSummary(app, z)),
        z.note ? h('div', { class: 'muted small' }, z.note) : null,
      );
    });
    const lines = app.arrangement.lines.features.map((f) =>
      h(
        'li',
        {},
        h('span', { class: 'swatch line', style: `--c:${app.colors.lines.get(f.properties.id) ?? '#333'}` }),
        h('strong', {}, f.properties.name),
        f.properties.note ? h('div', { class: 'muted small' }, f.properties.note) : null,
      ),
    );
    const actors = app.arrangement.actors.map((a) =>
      h(
        'li',
        {},
        h('span', { class: 'dot', style: `--c:${app.colors.actors.get(a.id) ?? '#555'}` }),
        `${a.name} `,
        h('span', { class: 'muted' }, `(${a.role})`),
      ),
    );
    this.units = h('p', { class: 'muted small', 'data-test': 'posture-status' });
    this.el = h(
      'section',
      { class: 'legend-view' },
      h('h3', {}, 'Zones'),
      h('p', { class: 'muted small' }, 'Solid edge: a drawn polygon. Dashed edge, paler fill: a band measured from a line. Areas as computed by Détente.'),
      h('ul', { class: 'zones' }, zones),
      h('h3', {}, 'Lines'),
      h('ul', { class: 'lines' }, lines),
      h('h3', {}, 'Units'),
      h('ul', { class: 'actors' }, actors),
      h(
        'p',
        { class: 'muted small' },
        'A dark ring marks an aircraft (reported with an altitude). An orange line joins two units under a separation alert; red, when separation is lost.',
      ),
      this.units,
      h('p', { class: 'muted small' }, `Map data: ${ATTRIBUTION}.`),
    );
    app.on('posture', () => this.renderUnits());
    this.renderUnits();
  }

  private renderUnits(): void {
    const a = this.app.postureAvailable;
    const n = this.app.posture.units.size;
    clear(
      this.units,
      a === false
        ? 'This server does not offer unit positions (no posture route), so no units are drawn.'
        : a === null
          ? 'Loading unit positions…'
          : `${formatNumber(n)} units in the posture you may see.`,
    );
  }
}
