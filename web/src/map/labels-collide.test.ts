import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { type LabelBox, overlaps, placeLabels } from './labels-collide.ts';

const box = (id: string, x: number, y: number, priority: number, w = 40, h = 12): LabelBox => ({ id, x, y, w, h, priority });

test('of two overlapping labels the higher priority is shown, the lower hidden', () => {
  const shown = placeLabels([box('village', 10, 10, 1), box('city', 20, 14, 9)], 500, 500);
  assert.deepEqual([...shown], ['city']);
});

test('labels apart are all shown; a label off screen is not', () => {
  const shown = placeLabels([box('a', 0, 0, 1), box('b', 100, 0, 1), box('off', 480, 10, 5)], 500, 500);
  assert.deepEqual([...shown].sort(), ['a', 'b']);
});

test('a hidden label does not hide a third one it overlaps', () => {
  // b loses to a; c overlaps only b, so c is shown.
  const shown = placeLabels([box('a', 0, 0, 3), box('b', 30, 0, 2), box('c', 65, 0, 1)], 500, 500, 0);
  assert.deepEqual([...shown].sort(), ['a', 'c']);
});

test('property: no two shown labels overlap, every shown one is on screen, and a lone label is shown', () => {
  const arb = fc.array(
    fc.record({
      x: fc.integer({ min: -50, max: 450 }),
      y: fc.integer({ min: -20, max: 300 }),
      w: fc.integer({ min: 1, max: 120 }),
      h: fc.integer({ min: 1, max: 30 }),
      priority: fc.integer({ min: 0, max: 5 }),
    }),
    { maxLength: 40 },
  );
  fc.assert(
    fc.property(arb, (raw) => {
      const boxes = raw.map((r, i) => ({ id: `l${i}`, ...r }));
      const shown = boxes.filter((b) => placeLabels(boxes, 400, 280).has(b.id));
      for (const b of shown) assert.ok(b.x >= 0 && b.y >= 0 && b.x + b.w <= 400 && b.y + b.h <= 280);
      for (let i = 0; i < shown.length; i++)
        for (let j = i + 1; j < shown.length; j++) assert.ok(!overlaps(shown[i], shown[j]), `${shown[i].id} / ${shown[j].id}`);
      // Maximal: every hidden on-screen label overlaps a shown one of no lower priority.
      for (const b of boxes) {
        if (shown.includes(b) || b.x < 0 || b.y < 0 || b.x + b.w > 400 || b.y + b.h > 280) continue;
        assert.ok(shown.some((s) => overlaps(s, b, 2) && s.priority >= b.priority));
      }
    }),
  );
});
