import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { XmlElement } from '../cot/event.ts';
import { parseElement } from '../cot/xml.ts';
import type { ArrangementFeatures } from '../zone-features.ts';
import { featuresToKml } from './write.ts';

const F: ArrangementFeatures = {
  id: 'x',
  title: 'Test & <title>',
  zones: [
    {
      id: 'a b:c',
      name: 'Zone "A"',
      description: 'note <b>',
      kind: 'band',
      approximate: true,
      areaKm2: 12.3456,
      exact: false,
      polygons: [
        [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 0],
          ],
          [
            [0.5, 0.2],
            [0.6, 0.2],
            [0.6, 0.3],
            [0.5, 0.2],
          ],
        ],
        [
          [
            [2, 2],
            [3, 2],
            [3, 3],
            [2, 2],
          ],
        ],
      ],
    },
  ],
  lines: [
    {
      id: 'l',
      name: 'L',
      description: '',
      approximate: false,
      paths: [
        [
          [0, 0],
          [1e-7, 1],
        ],
      ],
    },
  ],
};

function all(el: XmlElement, name: string, out: XmlElement[] = []): XmlElement[] {
  if (el.name === name) out.push(el);
  for (const c of el.children) all(c, name, out);
  return out;
}

test('KML: well-formed, escaped, a style per kind, parts and holes kept, ids safe for xs:ID', () => {
  const text = featuresToKml(F);
  const start = text.indexOf('<kml');
  const { el: kml } = parseElement(text, start, text.length);
  assert.equal(kml.attrs.xmlns, 'http://www.opengis.net/kml/2.2');
  assert.deepEqual(
    all(kml, 'Style').map((s) => s.attrs.id),
    ['polygon', 'band', 'line'],
  );
  const [zone, line] = all(kml, 'Placemark');
  assert.equal(zone.attrs.id, 'zone-0-a_b_c');
  assert.equal(all(zone, 'name')[0].text, 'Zone "A"');
  assert.equal(all(zone, 'description')[0].text, 'note <b>');
  assert.equal(all(zone, 'styleUrl')[0].text, '#band');
  assert.equal(all(zone, 'Polygon').length, 2);
  assert.equal(all(zone, 'innerBoundaryIs').length, 1);
  assert.equal(all(all(zone, 'innerBoundaryIs')[0], 'coordinates')[0].text, '0.5,0.2 0.6,0.2 0.6,0.3 0.5,0.2');
  const data = Object.fromEntries(all(zone, 'Data').map((d) => [d.attrs.name, d.children[0].text]));
  assert.deepEqual(data, { id: 'a b:c', kind: 'band', area_km2: '12.346', approximate: 'true', outline_exact: 'false' });
  assert.equal(line.attrs.id, 'line-l');
  assert.equal(all(line, 'coordinates')[0].text, '0,0 0.0000001,1', 'no exponents in coordinates');
  assert.equal(all(kml, 'Document')[0].children.find((c) => c.name === 'name')?.text, 'Test & <title>');
});
