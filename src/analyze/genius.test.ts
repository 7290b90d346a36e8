import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { makeFrontier } from './frontier.ts';
import { GeniusError, geniusFrontier, parseUtilitySpace } from './genius.ts';
import { kalaiSmorodinsky } from './kalai-smorodinsky.ts';
import { nash, nashProduct } from './nash.ts';

const read = (f: string) => readFileSync(new URL(`testdata/${f}`, import.meta.url), 'utf8');

test('the ANAC 2011 Camera domain: every outcome as a point, utilities as GENIUS computes them', () => {
  const buyer = parseUtilitySpace(read('genius-camera-buyer.xml'), 'buyer');
  const seller = parseUtilitySpace(read('genius-camera-seller.xml'), 'seller');
  assert.deepEqual(
    buyer.issues.map((i) => i.name),
    ['Maker', 'Body', 'Lens', 'Tripod', 'Bag', 'Accessory'],
  );
  // "Artizan&Artist" is read with its entity decoded.
  assert.ok(buyer.issues[4].values.has('Artizan&Artist'));
  const fr = geniusFrontier(buyer, seller);
  assert.equal(fr.points.length, 5 * 4 * 3 * 3 * 5 * 4);
  assert.deepEqual(fr.disagreement, [0, 0]);
  // The first outcome is (Canon, Full size, High end, GITZO, Domke, Electronic Flash):
  // buyer 0.34·320/320 + 0.06·150/150 + 0.13·350/350 + 0.09·525/525 + 0.11·340/340 + 0.26·40/220,
  // seller 0.08·5/500 + 0.09·30/315 + 0.34·250/250 + 0.26·50/160 + 0.17·20/100 + 0.07·35/35.
  const [ub, us] = fr.points[0];
  assert.ok(Math.abs(ub - (0.34 + 0.06 + 0.13 + 0.09 + 0.11 + (0.26 * 40) / 220)) < 1e-12);
  assert.ok(Math.abs(us - (0.08 * 0.01 + (0.09 * 30) / 315 + 0.34 + (0.26 * 50) / 160 + 0.17 * 0.2 + 0.07)) < 1e-12);
});

test('on the Camera domain the Nash point beats every single outcome and is Pareto-efficient; KS is on the diagonal of gains', () => {
  const fr = geniusFrontier(parseUtilitySpace(read('genius-camera-buyer.xml'), 'buyer'), parseUtilitySpace(read('genius-camera-seller.xml'), 'seller'));
  const f = makeFrontier(fr);
  const n = nash(f);
  const best = Math.max(...fr.points.map((p) => nashProduct(p, fr.disagreement)));
  // Over the convex hull (lotteries between outcomes allowed) the product is at least the best outcome's.
  assert.ok(nashProduct(n, fr.disagreement) >= best - 1e-12);
  for (const p of fr.points) assert.ok(!(p[0] >= n[0] + 1e-9 && p[1] >= n[1] + 1e-9), `${p} dominates ${n}`);
  const ks = kalaiSmorodinsky(f);
  const a = [Math.max(...fr.points.map((p) => p[0])), Math.max(...fr.points.map((p) => p[1]))];
  assert.ok(Math.abs(ks[0] / a[0] - ks[1] / a[1]) < 1e-9, `${ks} is off the line to ${a}`);
});

test('profiles over different domains, or with non-discrete issues, are refused', () => {
  const buyer = parseUtilitySpace(read('genius-camera-buyer.xml'), 'buyer');
  const other = parseUtilitySpace(read('genius-camera-seller.xml').replace('value="Sony"', 'value="Leica"'), 'seller');
  assert.throws(
    () => geniusFrontier(buyer, other),
    (e) => e instanceof GeniusError && /value "Sony" is in one profile only/.test(e.message),
  );
  assert.throws(
    () => parseUtilitySpace(read('genius-camera-buyer.xml').replace(' type="discrete"', ' type="integer"'), 'buyer'),
    (e) => e instanceof GeniusError && /only discrete issues/.test(e.message),
  );
  assert.throws(() => parseUtilitySpace('<domain/>', 'x'), GeniusError);
});
