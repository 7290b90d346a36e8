// The map's style: a plain background (the sea) and GeoJSON sources only. No tiles, no
// sprite and no glyphs, so the map never asks anything of the network; every name is
// shown in HTML (legend, popups, and the labels over the map: labels.ts) instead of as map text.
import type { ExpressionSpecification, StyleSpecification } from 'maplibre-gl';

const EMPTY = { type: 'FeatureCollection' as const, features: [] };

export const SOURCES = ['land', 'borders', 'zones', 'lines', 'alerts', 'units'] as const;
export type SourceId = (typeof SOURCES)[number];

/** The map data's sources, in English (the page shows t('map.attribution'), in the reader's language). */
export const ATTRIBUTION = '© OpenStreetMap contributors (ODbL); Natural Earth';

/** How a zone is drawn and switched: a drawn area, a band measured from a line or zone, or airspace (it has altitudes). */
export const ZONE_KINDS = ['area', 'band', 'airspace'] as const;
export type ZoneKind = (typeof ZONE_KINDS)[number];

export function zoneKind(z: { shape: string; altitude_m?: unknown }): ZoneKind {
  return z.altitude_m ? 'airspace' : z.shape === 'band' ? 'band' : 'area';
}

const KIND: ExpressionSpecification = ['case', ['has', 'altitude_m'], 'airspace', ['==', ['get', 'shape'], 'band'], 'band', 'area'];

/**
 * The filter of a zone layer: its own zones (`polygon` fills every drawn shape, airspace
 * included; the rest one kind), less the kinds the layer switcher hides.
 */
export function zoneFilter(layer: ZoneKind | 'polygon', hidden: readonly ZoneKind[]): ExpressionSpecification {
  const own: ExpressionSpecification = layer === 'polygon' ? ['==', ['get', 'shape'], 'polygon'] : ['==', KIND, layer];
  return ['all', own, ['!', ['in', KIND, ['literal', [...hidden]]]]];
}

/** The zone layers and which zones each draws, for the layer switcher. */
export const ZONE_LAYERS: Record<string, ZoneKind | 'polygon'> = {
  'zones-polygon-fill': 'polygon',
  'zones-band-fill': 'band',
  'zones-area-edge': 'area',
  'zones-band-edge': 'band',
  'zones-airspace-edge': 'airspace',
};

/** A `match` on a feature property, from a map of values to colours. */
function matchColor(property: string, colors: Map<string, string>, fallback: string): ExpressionSpecification | string {
  if (colors.size === 0) return fallback;
  return ['match', ['get', property], ...[...colors].flat(), fallback] as unknown as ExpressionSpecification;
}

export function mapStyle(actorColors: Map<string, string>): StyleSpecification {
  const geojson = (attribution?: string) => ({ type: 'geojson' as const, data: EMPTY, ...(attribution ? { attribution } : {}) });
  const unitRadius: ExpressionSpecification = ['interpolate', ['linear'], ['zoom'], 5, 2.5, 9, 4.5, 13, 8];
  return {
    version: 8,
    sources: {
      // The attribution control names both sources in the reader's language (map-view.ts), not each source in English.
      land: geojson(),
      borders: geojson(),
      zones: { ...geojson(), promoteId: 'id' },
      lines: geojson(),
      alerts: geojson(),
      // Units: one source for all of them, replaced at most once per frame.
      units: geojson(),
    },
    layers: [
      { id: 'sea', type: 'background', paint: { 'background-color': '#d9e6ee' } },
      { id: 'land', type: 'fill', source: 'land', paint: { 'fill-color': '#f4f1ea', 'fill-outline-color': '#b9b4a8' } },
      { id: 'borders', type: 'line', source: 'borders', paint: { 'line-color': '#8d8778', 'line-width': 1, 'line-dasharray': [4, 2] } },
      // Outline first: some twenty zones overlap here, so fills are faint and each kind of
      // zone has its own edge: drawn areas solid, bands from a line dashed, airspace dotted.
      {
        id: 'zones-polygon-fill',
        type: 'fill',
        source: 'zones',
        filter: zoneFilter('polygon', []),
        paint: { 'fill-color': ['get', 'color'], 'fill-opacity': ['case', ['has', 'altitude_m'], 0.025, 0.06] },
      },
      {
        id: 'zones-band-fill',
        type: 'fill',
        source: 'zones',
        filter: zoneFilter('band', []),
        paint: { 'fill-color': ['get', 'color'], 'fill-opacity': 0.035 },
      },
      {
        id: 'zones-area-edge',
        type: 'line',
        source: 'zones',
        filter: zoneFilter('area', []),
        paint: { 'line-color': ['get', 'color'], 'line-width': 2 },
      },
      {
        id: 'zones-band-edge',
        type: 'line',
        source: 'zones',
        filter: zoneFilter('band', []),
        paint: { 'line-color': ['get', 'color'], 'line-width': 1.3, 'line-dasharray': [4, 2] },
      },
      {
        id: 'zones-airspace-edge',
        type: 'line',
        source: 'zones',
        filter: zoneFilter('airspace', []),
        paint: { 'line-color': ['get', 'color'], 'line-width': 1.6, 'line-dasharray': [1, 1.5] },
      },
      {
        id: 'zones-selected-fill',
        type: 'fill',
        source: 'zones',
        filter: ['in', ['get', 'id'], ['literal', []]],
        paint: { 'fill-color': ['get', 'color'], 'fill-opacity': 0.35 },
      },
      {
        id: 'zones-selected-edge',
        type: 'line',
        source: 'zones',
        filter: ['in', ['get', 'id'], ['literal', []]],
        paint: { 'line-color': '#111111', 'line-width': 3 },
      },
      { id: 'lines', type: 'line', source: 'lines', paint: { 'line-color': ['get', 'color'], 'line-width': 2.5 } },
      {
        id: 'alerts',
        type: 'line',
        source: 'alerts',
        paint: { 'line-color': ['match', ['get', 'finding'], 'loss', '#c0001a', '#e67e00'], 'line-width': 3 },
      },
      {
        id: 'units',
        type: 'circle',
        source: 'units',
        paint: {
          'circle-radius': unitRadius,
          'circle-color': matchColor('actor', actorColors, '#555555'),
          // Aircraft (reported with an altitude) get a dark ring, ground units a white one.
          'circle-stroke-color': ['case', ['has', 'alt'], '#111111', '#ffffff'],
          'circle-stroke-width': 1,
        },
      },
      {
        id: 'units-selected',
        type: 'circle',
        source: 'units',
        filter: ['in', ['get', 'unit'], ['literal', []]],
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 5, 7.5, 9, 9.5, 13, 13],
          'circle-color': 'rgba(0,0,0,0)',
          'circle-stroke-color': '#111111',
          'circle-stroke-width': 2.5,
        },
      },
    ],
  };
}
