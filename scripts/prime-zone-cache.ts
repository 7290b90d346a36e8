// Run by `npm install` (prepare): traces the example's zone outlines and areas once and
// keeps them in the zone cache (src/server/zone-geometry-cache.ts), so the first
// `npm start` serves its first page without waiting seconds for the tracing.
import { join } from 'node:path';
import { loadArrangementSource } from '../src/arrangement/load.ts';
import { zoneCacheDir } from '../src/server/zone-geometry-cache.ts';
import { primeZoneCache } from '../src/server/zone-geometry.ts';
import { EXAMPLE_DIR } from '../src/sim/demo.ts';

const t0 = performance.now();
primeZoneCache(loadArrangementSource(join(EXAMPLE_DIR, 'arrangement.yaml')).arrangement, zoneCacheDir());
process.stdout.write(`detente: the example's zones traced into ${zoneCacheDir()} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
