// The zones' outlines and areas kept on disk, by the SHA-256 of the zones and lines they
// were traced from: derived data, the same for everyone who traces those zones, and
// seconds to trace on two cores. `npm install` primes it for the example
// (scripts/prime-zone-cache.ts), so the first `npm start` does not wait for the tracing;
// a server tracing other zones writes them here for its next start. A file that does not
// parse, or names other zones, is ignored and traced again; nothing here is trusted
// beyond the server's own derived state.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../store/atomic-file.ts';
import type { ZoneGeometries, ZoneGeometry } from './zone-geometry.ts';

/** Where the cache lives: DETENTE_CACHE_DIR, else node_modules/.cache/detente beside the code (as build tools keep theirs). */
export function zoneCacheDir(): string {
  return process.env.DETENTE_CACHE_DIR ?? new URL('../../node_modules/.cache/detente', import.meta.url).pathname;
}

const fileOf = (dir: string, key: string) => join(dir, `zone-geometry-${key}.json`);

/** The geometries kept for `key`, else undefined (absent, unreadable, or not for these zones). */
export function readZoneCache(dir: string, key: string, ids: readonly string[]): ZoneGeometries | undefined {
  try {
    const kept = JSON.parse(readFileSync(fileOf(dir, key), 'utf8')) as { key?: string; zones?: [string, ZoneGeometry][] };
    if (kept.key !== key || !Array.isArray(kept.zones)) return undefined;
    const g = new Map(kept.zones);
    return ids.every((id) => g.get(id)?.geometry !== undefined) && g.size === ids.length ? g : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps the geometries for `key`; a cache that cannot be written is no error (the next start traces again). */
export function writeZoneCache(dir: string, key: string, g: ZoneGeometries): void {
  try {
    mkdirSync(dir, { recursive: true });
    writeFileAtomic(fileOf(dir, key), JSON.stringify({ key, zones: [...g] }), 0o644);
  } catch {
    // read-only install, full disk: tracing again next time is the only cost
  }
}
