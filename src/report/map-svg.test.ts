import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ArrangementFeatures } from '../interop/zone-features.ts';
import { mapSvg } from './map-svg.ts';

const square = (x0: number, y0: number, d: number) => [
  [
    [x0, y0],
    [x0 + d, y0],
    [x0 + d, y0 + d],
    [x0, y0 + d],
    [x0, y0],
  ],
];

function features(polygons: number[][][][]): ArrangementFeatures {
  return {
    id: 'a',
    title: 'A',
    zones: [{ id: 'z', name: 'Zone <z>', description: '', kind: 'polygon', approximate: false, areaKm2: 1, exact: true, polygons }],
    lines: [
      {
        id: 'l',
        name: 'Line',
        description: '',
        approximate: true,
        paths: [
          [
            [35.8, 33.0],
            [35.8, 33.4],
          ],
        ],
      },
    ],
  };
}

function circles(svg: string): { x: number; y: number; label: string }[] {
  return [...svg.matchAll(/<circle cx="([\d.-]+)" cy="([\d.-]+)"[^>]*\/><text[^>]*>([^<]*)<\/text>/g)].map((m) => ({
    x: Number(m[1]),
    y: Number(m[2]),
    label: m[3],
  }));
}

test('map: east is right, north is up, and every point lies on the drawing', () => {
  fc.assert(
    fc.property(
      fc.double({ min: 35, max: 36, noNaN: true }),
      fc.double({ min: 32.5, max: 33.5, noNaN: true }),
      fc.double({ min: 0.001, max: 0.3, noNaN: true }),
      fc.double({ min: 0.001, max: 0.3, noNaN: true }),
      (lon, lat, dx, dy) => {
        const svg = mapSvg(
          features([square(35, 32.5, 1)]),
          [
            { label: '1', lon, lat, approximate: false },
            { label: '2', lon: lon + dx, lat: lat + dy, approximate: true },
          ],
          't',
        );
        const [a, b] = circles(svg);
        assert.ok(b.x > a.x, 'east is to the right');
        assert.ok(b.y < a.y, 'north is up');
        for (const p of [a, b]) assert.ok(p.x >= 0 && p.x <= 640 && p.y >= 0 && p.y <= 480);
      },
    ),
    { numRuns: 200 },
  );
});

test('map: names are escaped, holes kept, approximate lines dashed, and no external resource', () => {
  const svg = mapSvg(features([[...square(35, 32.5, 1), ...square(35.2, 32.7, 0.2).map((r) => [...r].reverse())]]), [], 't & u');
  assert.match(svg, /<title>Zone &lt;z&gt;<\/title>/);
  assert.match(svg, /<title>t &amp; u<\/title>/);
  const zone = /<path d="([^"]+)" fill="#4c72b0"[^>]*fill-rule="evenodd"/.exec(svg);
  assert.ok(zone, 'the zone is drawn even-odd');
  assert.equal(zone[1].match(/M/g)?.length, 2, 'outer ring and hole');
  assert.match(svg, /stroke-dasharray/);
  assert.doesNotMatch(svg.replace('xmlns="http://www.w3.org/2000/svg"', ''), /href|url\(|https?:|src=/);
});

test('map: with nothing to draw it is still a valid, empty SVG', () => {
  const svg = mapSvg({ id: 'a', title: 'A', zones: [], lines: [] }, [], 'A');
  assert.match(svg, /^<svg [^>]*viewBox="0 0 640 480"[^>]*><title>A<\/title><\/svg>$/);
});
