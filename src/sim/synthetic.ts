// A synthetic report stream over an arrangement, for benchmarks and load tests:
// units of every actor wander over the zones' extent, so every kind of rule is
// exercised; tracks carry velocity and altitude, and notifications, acks and
// inspections are mixed in. Deterministic for a given seed.
import type { Arrangement } from '../arrangement/compile.ts';
import { formatTime } from '../arrangement/time.ts';
import { rng } from './random.ts';

export interface SyntheticOptions {
  lines: number;
  units?: number;
  seed?: number;
  start?: number;
  /** milliseconds between consecutive reports */
  stepMs?: number;
}

export function* syntheticReports(arr: Arrangement, opts: SyntheticOptions): Generator<string> {
  const rand = rng(opts.seed ?? 1);
  const nUnits = opts.units ?? 500;
  const step = opts.stepMs ?? 1000;
  let t = opts.start ?? Date.UTC(2025, 11, 27);
  // The extent of all zones, padded, so units move in and out of them.
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const r of arr.zoneSet.regions) {
    x0 = Math.min(x0, r.bbox[0]);
    y0 = Math.min(y0, r.bbox[1]);
    x1 = Math.max(x1, r.bbox[2]);
    y1 = Math.max(y1, r.bbox[3]);
  }
  const pad = 0.1;
  x0 -= pad;
  y0 -= pad;
  x1 += pad;
  y1 += pad;
  const actors = arr.actors.map((a) => a.id);
  const assets = arr.assets.map((a) => a.id);
  const zones = arr.zones.map((z) => z.id);
  const units = Array.from({ length: nUnits }, (_, i) => ({
    id: `u${i}`,
    actor: actors[i % actors.length],
    lon: x0 + rand() * (x1 - x0),
    lat: y0 + rand() * (y1 - y0),
    air: i % 7 === 0,
  }));
  const notices: string[] = [];
  for (let i = 0; i < opts.lines; i++) {
    t += step;
    const time = formatTime(t);
    const k = rand();
    if (k < 0.01) {
      const id = `n${i}`;
      notices.push(id);
      if (notices.length > 100) notices.shift();
      const from = t + rand() * 7200000;
      yield JSON.stringify({
        type: 'notification',
        id,
        time,
        actor: actors[i % actors.length],
        zone: zones[i % zones.length],
        window: { from: formatTime(from), to: formatTime(from + 3600000) },
      });
      continue;
    }
    if (k < 0.02 && notices.length) {
      yield JSON.stringify({ type: 'ack', id: `a${i}`, time, actor: actors[i % actors.length], notification: notices[Math.floor(rand() * notices.length)] });
      continue;
    }
    if (k < 0.025) {
      yield JSON.stringify({ type: 'inspection', id: `i${i}`, time, source: actors[i % actors.length], zones: [zones[i % zones.length]] });
      continue;
    }
    const u = units[Math.floor(rand() * units.length)];
    u.lon = Math.min(180, Math.max(-180, u.lon + (rand() - 0.5) * 0.02));
    u.lat = Math.min(90, Math.max(-90, u.lat + (rand() - 0.5) * 0.02));
    const holdings: Record<string, number> = {};
    holdings[assets[i % assets.length] ?? 'troops'] = Math.floor(rand() * 100);
    if (u.air) {
      yield JSON.stringify({
        type: 'track',
        id: `r${i}`,
        time,
        source: 'radar',
        unit: u.id,
        actor: u.actor,
        position: [round(u.lon), round(u.lat)],
        altitude_m: Math.round(3000 + rand() * 6000),
        velocity: { east_mps: Math.round((rand() - 0.5) * 400), north_mps: Math.round((rand() - 0.5) * 400), up_mps: 0 },
        holdings,
      });
    } else {
      yield JSON.stringify({
        type: 'observation',
        id: `r${i}`,
        time,
        source: 'sensor',
        unit: u.id,
        actor: u.actor,
        category: rand() < 0.2 ? 'police' : 'army',
        position: [round(u.lon), round(u.lat)],
        holdings,
      });
    }
  }
}

function round(x: number): number {
  return Math.round(x * 1e5) / 1e5;
}
