import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileArrangement } from '../../arrangement/compile.ts';
import { loadArrangement } from '../../arrangement/load.ts';
import { arrangementFeatures } from '../../interop/zone-features.ts';
import { zoneFeatures } from './zone-features-worker.ts';

const EXAMPLE = new URL('../../../examples/sinai-1979/arrangement.yaml', import.meta.url).pathname;

test('zone features traced on a worker are those traced here, and asked twice are traced once', async () => {
  const arr = loadArrangement(EXAMPLE);
  const [a, b] = [zoneFeatures(arr), zoneFeatures(arr)];
  assert.equal(a, b, 'the same set of zones shares one tracing');
  assert.deepEqual(await a, arrangementFeatures(arr));
  // An amended arrangement (a new set of zones) is traced again.
  const amended = compileArrangement({ ...arr, zones: arr.zones.slice(1) });
  const c = await zoneFeatures(amended);
  assert.equal(c.zones.length, arr.zones.length - 1);
});
