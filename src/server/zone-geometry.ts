// The zones' outlines and areas the arrangement view shows, traced on a worker thread.
// Tracing and integrating take seconds on southern Syria's zones (more on a loaded
// machine); done on the server's thread at the first GET of the arrangement, they held
// the first page (and every other request) behind them. A start asks for them at once,
// so they are traced while the record opens and the talks replay, and the route awaits
// the same answer. Kept by the content of the zones and lines: an announced text adds
// rules, never zones, so every arrangement in force derived from one file shares one.
import { createHash } from 'node:crypto';
import type { MultiPolygon, Polygon } from 'geojson';
import { zoneOutlines } from '../arrangement/outline.ts';
import type { Line, Zone } from '../arrangement/types.ts';
import { ZoneSet } from '../arrangement/zones.ts';
import { answerWorkerJob, runWorkerJob } from '../lib/worker-job.ts';
import { readZoneCache, writeZoneCache } from './zone-geometry-cache.ts';

export interface ZoneGeometry {
  geometry: Polygon | MultiPolygon;
  /** false: traced from the exact containment test, for drawing only */
  exact: boolean;
  /** computed as `detente validate` computes it, rounded to 0.1 km² as the view shows it */
  area_km2: number;
}

/** By zone id. */
export type ZoneGeometries = Map<string, ZoneGeometry>;

interface ZonesAndLines {
  zones: readonly Zone[];
  lines: readonly Line[];
}

const cache = new Map<string, Promise<ZoneGeometries>>();
const settled = new Map<string, ZoneGeometries>();
/** Hashed once per zones array: the route asks on every request. */
const keys = new WeakMap<readonly Zone[], string>();

/** What the zones' geometries are kept by: the SHA-256 of the zones and lines. */
export function zoneKey(z: ZonesAndLines): string {
  let key = keys.get(z.zones);
  if (key === undefined) {
    key = createHash('sha256')
      .update(JSON.stringify({ zones: z.zones, lines: z.lines }))
      .digest('hex');
    keys.set(z.zones, key);
  }
  return key;
}

/** Traced here, on this thread: the worker's job, and the answer where no worker may run. */
export function traceZoneGeometries(z: ZonesAndLines, zoneSet = new ZoneSet(z.zones, z.lines)): ZoneGeometries {
  const outlines = zoneOutlines(zoneSet);
  return new Map(
    z.zones.map((zone, i) => [zone.id, { geometry: outlines[i].geometry, exact: outlines[i].exact, area_km2: Math.round(zoneSet.areaKm2(i) * 10) / 10 }]),
  );
}

/**
 * The zones' outlines and areas, traced once per set of zones and lines, off the server's
 * thread; with `cacheDir`, read from the disk cache when kept there and kept there once traced.
 */
export function zoneGeometries(z: ZonesAndLines, cacheDir?: string): Promise<ZoneGeometries> {
  const key = zoneKey(z);
  let hit = cache.get(key);
  if (!hit) {
    const kept =
      cacheDir === undefined
        ? undefined
        : readZoneCache(
            cacheDir,
            key,
            z.zones.map((zone) => zone.id),
          );
    if (kept) settled.set(key, kept);
    hit = kept ? Promise.resolve(kept) : traceInWorker(key, { zones: z.zones, lines: z.lines });
    if (!kept && cacheDir !== undefined) hit.then((g) => writeZoneCache(cacheDir, key, g)).catch(() => undefined);
    cache.set(key, hit);
    // A failure is not kept: the next request tries again.
    hit.catch(() => cache.delete(key));
  }
  return hit;
}

/** Those already traced for these zones and lines, else traced now on this thread (and kept). */
export function zoneGeometriesNow(z: ZonesAndLines, zoneSet?: ZoneSet): ZoneGeometries {
  const key = zoneKey(z);
  let g = settled.get(key);
  if (!g) {
    g = traceZoneGeometries(z, zoneSet);
    settled.set(key, g);
  }
  return g;
}

/** Traces these zones and lines here and keeps them in the disk cache (npm install's priming). */
export function primeZoneCache(z: ZonesAndLines, cacheDir: string): void {
  const key = zoneKey(z);
  if (
    readZoneCache(
      cacheDir,
      key,
      z.zones.map((zone) => zone.id),
    )
  )
    return;
  writeZoneCache(cacheDir, key, zoneGeometriesNow(z));
}

/** Whether these zones and lines are traced already (a start that says it is up has them). */
export function isTraced(z: ZonesAndLines): boolean {
  return settled.has(zoneKey(z));
}

/** Being traced (or traced) for these zones and lines: the answer to await, else undefined (nobody asked). */
export function pendingZoneGeometries(z: ZonesAndLines): Promise<ZoneGeometries> | undefined {
  return cache.get(zoneKey(z));
}

/** The worker job that traces (this module, run on a worker: answerWorkerJob below). */
const JOB = 'traceZoneGeometries';

function traceInWorker(key: string, z: ZonesAndLines): Promise<ZoneGeometries> {
  return runWorkerJob<[string, ZoneGeometry][]>(import.meta.url, JOB, z, 'tracing the zones').then((list) => {
    const g = new Map(list);
    settled.set(key, g);
    return g;
  });
}

answerWorkerJob(JOB, (z: ZonesAndLines) => [...traceZoneGeometries(z)]);
