// The map's key, and where its names live (the map itself draws no text): zones with
// their computed areas and how each is drawn, the lines, and the actors' colours.
import type { App } from '../app.ts';
import type { ZoneProps } from '../api/types.ts';
import { clear, formatNumber, h } from '../dom.ts';
import { formatList, t } from '../i18n/i18n.ts';
import { localized } from '../i18n/localized.ts';
import { en, type MessageKey } from '../i18n/messages.ts';

export function zoneSummary(app: App, z: ZoneProps): string {
  const parts: string[] = [];
  if (z.shape === 'band' && z.band) {
    const [from, to] = z.band.km;
    const line = app.arrangement.lines.features.find((l) => l.properties.id === z.band!.of)?.properties.name;
    const side = `zone.side.${z.band.side}`;
    parts.push(
      t('zone.band', {
        from,
        to,
        side: Object.hasOwn(en, side) ? t(side as MessageKey) : z.band.side,
        line: localized(line) || z.band.of,
      }),
    );
  } else parts.push(t('zone.polygon'));
  if (z.minus.length) parts.push(t('zone.minus', { zones: formatList(z.minus.map((m) => app.zoneName(m))) }));
  if (z.altitude_m) parts.push(t('zone.altitude', { low: z.altitude_m[0], high: z.altitude_m[1] }));
  if (z.approximate) parts.push(t('zone.approximate'));
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
          { class: 'link', type: 'button', title: t('legend.showOnMap'), onclick: () => onZone(z.id) },
          h('span', { class: `swatch ${z.shape}`, style: `--c:${color}` }),
          h('strong', {}, localized(z.name)),
        ),
        h('span', { class: 'area' }, t('popup.area', { area: formatNumber(z.area_km2) })),
        h('div', { class: 'muted small' }, zoneSummary(app, z)),
        z.note ? h('div', { class: 'muted small' }, localized(z.note)) : null,
      );
    });
    const lines = app.arrangement.lines.features.map((f) =>
      h(
        'li',
        {},
        h('span', { class: 'swatch line', style: `--c:${app.colors.lines.get(f.properties.id) ?? '#333'}` }),
        h('strong', {}, localized(f.properties.name)),
        f.properties.note ? h('div', { class: 'muted small' }, localized(f.properties.note)) : null,
      ),
    );
    const actors = app.arrangement.actors.map((a) =>
      h(
        'li',
        {},
        h('span', { class: 'dot', style: `--c:${app.colors.actors.get(a.id) ?? '#555'}` }),
        `${app.actorName(a.id)} `,
        h('span', { class: 'muted' }, `(${t(`role.${a.role}`)})`),
      ),
    );
    this.units = h('p', { class: 'muted small', 'data-test': 'posture-status' });
    this.el = h(
      'section',
      { class: 'legend-view' },
      h('h3', {}, t('legend.zones')),
      h('p', { class: 'muted small' }, t('legend.zonesHint')),
      h('ul', { class: 'zones' }, zones),
      h('h3', {}, t('legend.lines')),
      h('ul', { class: 'lines' }, lines),
      h('h3', {}, t('legend.units')),
      h('ul', { class: 'actors' }, actors),
      h('p', { class: 'muted small' }, t('legend.unitsHint')),
      this.units,
      h('p', { class: 'muted small' }, t('legend.mapData', { attribution: t('map.attribution') })),
    );
    app.on('posture', () => this.renderUnits());
    this.renderUnits();
  }

  private renderUnits(): void {
    const a = this.app.postureAvailable;
    const n = this.app.posture.units.size;
    clear(this.units, a === false ? t('legend.noPosture') : a === null ? t('legend.loadingPosture') : t('legend.unitCount', { n }));
  }
}
