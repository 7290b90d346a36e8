// The map's style: a plain background (the sea) and GeoJSON sources only. No tiles, no
// sprite and no glyphs, so the map never asks anything of the network; every name is
// shown in HTML (legend, popups, labels) instead of as map text.
import type { ExpressionSpecification, StyleSpecification } from 'maplibre-gl';

const EMPTY = { type: 'FeatureCollection' as const, features: [] };

export const SOURCES = ['land', 'borders', 'zones', 'lines', 'alerts', 'units'] as const;
export type SourceId = (typeof SOURCES)[number];

/** The map data's sources, in English (the page shows t('map.attribution'), in the reader's language). */
export const ATTRIBUTION = '© OpenStreetMap contributors (ODbL); Natural Earth';

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
      // Drawn zones: a solid edge; bands measured from a line: a dashed edge and a paler fill.
      {
        id: 'zones-polygon-fill',
        type: 'fill',
        source: 'zones',
        filter: ['==', ['get', 'shape'], 'polygon'],
        paint: { 'fill-color': ['get', 'color'], 'fill-opacity': 0.16 },
      },
      {
        id: 'zones-band-fill',
        type: 'fill',
        source: 'zones',
        filter: ['==', ['get', 'shape'], 'band'],
        paint: { 'fill-color': ['get', 'color'], 'fill-opacity': 0.06 },
      },
      {
        id: 'zones-polygon-edge',
        type: 'line',
        source: 'zones',
        filter: ['==', ['get', 'shape'], 'polygon'],
        paint: { 'line-color': ['get', 'color'], 'line-width': 1.6 },
      },
      {
        id: 'zones-band-edge',
        type: 'line',
        source: 'zones',
        filter: ['==', ['get', 'shape'], 'band'],
        paint: { 'line-color': ['get', 'color'], 'line-width': 1.1, 'line-dasharray': [3, 2] },
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
