import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineAnchor, zoneAnchor } from './labels-anchor.ts';

const inside = (ring: number[][], [x, y]: [number, number]) => {
  let c = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
    if (ring[i][1] > y !== ring[j][1] > y && x < ((ring[j][0] - ring[i][0]) * (y - ring[i][1])) / (ring[j][1] - ring[i][1]) + ring[i][0]) c = !c;
  return c;
};

test("a U-shaped zone's label falls inside it, not in the notch where its centroid is", () => {
  const u = [
    [0, 0],
    [3, 0],
    [3, 3],
    [2, 3],
    [2, 1],
    [1, 1],
    [1, 3],
    [0, 3],
    [0, 0],
  ];
  const at = zoneAnchor({ type: 'Polygon', coordinates: [u] })!;
  assert.ok(inside(u, at), String(at));
});

test('the largest polygon of a multipolygon carries the label', () => {
  const small = [
    [
      [10, 10],
      [10.1, 10],
      [10.1, 10.1],
      [10, 10],
    ],
  ];
  const big = [
    [
      [0, 0],
      [2, 0],
      [2, 2],
      [0, 2],
      [0, 0],
    ],
  ];
  const at = zoneAnchor({ type: 'MultiPolygon', coordinates: [small, big] })!;
  assert.ok(at[0] > 0 && at[0] < 2 && at[1] > 0 && at[1] < 2);
});

test("a line's label is halfway along its length", () => {
  assert.deepEqual(
    lineAnchor({
      type: 'LineString',
      coordinates: [
        [0, 0],
        [1, 0],
        [4, 0],
      ],
    }),
    [2, 0],
  );
});
