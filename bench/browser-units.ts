// 10,000 units moving every second, in headless Chromium (software WebGL) with the
// server running: the page's frames per second with the units layer (web/src/map/
// units-layer*.ts) beside a baseline measured in the same run, on the same page and the
// same data: maplibre's setData of the whole collection each second into a plain
// GeoJSON circle layer, as the map drew units before. The two alternate in phases
// (baseline, layer, baseline, layer) so a machine that slows down midway weighs on
// both. Frames are requestAnimationFrame callbacks counted inside the page over each
// phase (units-layer-hooks.ts countFrames), with the map's own frames and the units'
// canvas redraws beside them: the layer must redraw every unit at every update. The
// layer draws on the units' own canvas over the map (units-canvas.ts); screenRows reads
// the page's screenshot, both canvases composited, as the reader sees them.
// test/browser-units.test.ts asserts the ratio; `npm run bench browser-units` reports it.
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { Browser, Page } from 'playwright-core';
import { browserSkip, launchChromium } from '../test/helpers/chromium.ts';
import { BASE, json, observation, startTestServer, type TestServer } from '../test/helpers/server.ts';
import { decodePng } from '../test/helpers/png.ts';
import type { BenchRow, Suite } from './harness.ts';

export const UNITS = Number(process.env.BENCH_UNITS ?? 10_000);
const PHASE_SECONDS = Number(process.env.BENCH_UNITS_PHASE_S ?? 8);
const BATCH = 1000;

export interface UnitsFps {
  units: number;
  /** fps per renderer, the mean of its phases */
  baseline: number;
  layer: number;
  samples: { geojson: number[]; gl: number[] };
  /** units the layer's last draw call drew, and the page's posture size */
  drawn: number;
  /** of the sampled units, how many showed a symbol's colours where the layer put them */
  inked: { sampled: number; inked: number };
  /** over the layer's phases: updates posted, redraws of the units' canvas, frames maplibre painted */
  glPhases: { updates: number; unitPaints: number; mapFrames: number }[];
}

type Hooks = {
  fps(): number;
  unitCount(): number;
  units: {
    renderer(r: 'gl' | 'geojson'): void;
    drawn(): number;
    countFrames(ms: number): Promise<{ frames: number; ms: number; longest: number; mapFrames: number; unitPaints: number }>;
    symbolPx(): number;
  };
};

/**
 * Where the units stand: spread over the map's view, each moving 100 m east and back
 * every second, and none where a presence rule bars UNDOF (the 2 km strip): a unit
 * there would open findings every second, and the findings list redrawing would be
 * measured instead of the units.
 */
export async function unitPlaces(s: TestServer): Promise<[number, number][]> {
  const view = (await json(await s.as('ru', 'GET', BASE), 200)) as {
    zones: { features: (Feature<Polygon | MultiPolygon> & { properties: { id: string } })[] };
    rules: { kind: string; zone?: string }[];
  };
  const barred = new Set(view.rules.filter((r) => r.kind === 'presence' && r.zone).map((r) => r.zone));
  const avoid = view.zones.features.filter((f) => barred.has(f.properties.id));
  const places: [number, number][] = [];
  for (let i = 0; places.length < UNITS; i++) {
    const p: [number, number] = [35.5 + ((i * 37) % 1000) / 1500 + (i % 7) * 0.0003, 32.6 + ((i * 53) % 1000) / 1200 + (i % 11) * 0.0002];
    const moved: [number, number] = [p[0] + 0.001, p[1]];
    if (!avoid.some((z) => booleanPointInPolygon(p, z) || booleanPointInPolygon(moved, z))) places.push(p);
  }
  return places;
}

export async function postSecond(s: TestServer, places: [number, number][], second: number, t0: number): Promise<void> {
  const time = new Date(t0 + second * 1000).toISOString();
  const dx = (second % 2) * 0.001;
  for (let k = 0; k < UNITS; k += BATCH) {
    const batch = [];
    for (let i = k; i < Math.min(UNITS, k + BATCH); i++)
      batch.push(observation(`m-${second}-${i}`, `u-${i}`, 'undof', { troops: 10 }, time, [places[i][0] + dx, places[i][1]]));
    await json(await s.as('undof', 'POST', `${BASE}/reports`, batch), 202);
  }
}

/** The row of screen pixels through each unit, `radius` either side, from a screenshot (device pixel ratio 1). */
export async function screenRows(page: Page, units: string[], radius: number): Promise<(number[] | null)[]> {
  const box = (await page.locator('.maplibregl-canvas').boundingBox())!;
  const shot = decodePng(await page.screenshot());
  const out: (number[] | null)[] = [];
  for (const id of units) {
    const at = await page.evaluate(
      (u) => (window as unknown as { __detente: { units: { screenOf(u: string): [number, number] | undefined } } }).__detente.units.screenOf(u),
      id,
    );
    if (!at) {
      out.push(null);
      continue;
    }
    const x0 = Math.round(box.x + at[0]);
    const y = Math.round(box.y + at[1]);
    const row: number[] = [];
    for (let x = x0 - radius; x <= x0 + radius; x++) {
      const i = (y * shot.width + x) * 4;
      row.push(shot.rgba[i], shot.rgba[i + 1], shot.rgba[i + 2], shot.rgba[i + 3]);
    }
    out.push(row);
  }
  return out;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** Colours a drawn symbol of these units is made of, for the mediator's page: the neutral frame (fill, edge) and UNDOF's mark. */
const INK: [number, number, number][] = [
  [0xaa, 0xff, 0xaa],
  [0x0b, 0x5d, 0x1e],
  [0x13, 0x8d, 0x75],
];
const near = (px: number[], i: number, c: [number, number, number], d: number) => Math.hypot(px[i] - c[0], px[i + 1] - c[1], px[i + 2] - c[2]) < d;

/**
 * Runs the comparison on a page of `browser` opened on `s` as the mediator. The server's
 * clock is after the reports' times (they tell what happened), as in the other browser tests.
 */
export async function measureUnitsFps(browser: Browser, s: TestServer, url: string, log: (line: string) => void = () => {}): Promise<UnitsFps> {
  const page: Page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    await page.goto(`${url}?token=${encodeURIComponent(s.tokens.ru)}`);
    await page.waitForFunction(() => (window as unknown as { __detente?: { ready: boolean; units?: unknown } }).__detente?.units !== undefined, undefined, {
      timeout: 30_000,
    });
    const t0 = Date.parse('2025-12-27T06:00:00Z');
    let second = 0;
    const places = await unitPlaces(s);
    await postSecond(s, places, second++, t0);
    await page.waitForFunction((n) => (window as unknown as { __detente: Hooks }).__detente.unitCount() >= n, UNITS, { timeout: 60_000 });
    const samples = { geojson: [] as number[], gl: [] as number[] };
    const glPhases: UnitsFps['glPhases'] = [];
    const tick = async () => {
      const started = Date.now();
      await postSecond(s, places, second++, t0);
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - started))));
    };
    for (const renderer of ['geojson', 'gl', 'geojson', 'gl'] as const) {
      await page.evaluate((r) => (window as unknown as { __detente: Hooks }).__detente.units.renderer(r), renderer);
      // One update to settle the renderer, not counted.
      await tick();
      // Frames are counted inside the page while the units move (units-layer-hooks.ts says why).
      const counting = page.evaluate((ms) => (window as unknown as { __detente: Hooks }).__detente.units.countFrames(ms), PHASE_SECONDS * 1000);
      const until = Date.now() + PHASE_SECONDS * 1000;
      const first = second;
      while (Date.now() < until) await tick();
      const c = await counting;
      const fps = (c.frames * 1000) / c.ms;
      samples[renderer].push(Math.round(fps * 10) / 10);
      if (renderer === 'gl') glPhases.push({ updates: second - first, unitPaints: c.unitPaints, mapFrames: c.mapFrames });
      log(
        `${renderer}: ${fps.toFixed(1)} fps over ${(c.ms / 1000).toFixed(1)} s, longest frame ${Math.round(c.longest)} ms, ` +
          `${second - first} updates, map painted ${c.mapFrames} frames, units' canvas ${c.unitPaints}`,
      );
    }
    // Still on the layer: what did it draw?
    const drawn = await page.evaluate(() => (window as unknown as { __detente: Hooks }).__detente.units.drawn());
    const probeIds = Array.from({ length: 50 }, (_, k) => `u-${Math.floor((k * UNITS) / 50)}`);
    const size = await page.evaluate(() => (window as unknown as { __detente: Hooks }).__detente.units.symbolPx());
    const rows = await screenRows(page, probeIds, Math.max(2, Math.round(size / 2)));
    let inked = 0;
    for (const row of rows) {
      if (!row) continue;
      let hit = false;
      for (let i = 0; i < row.length && !hit; i += 4) hit = INK.some((c) => near(row, i, c, 40));
      if (hit) inked++;
    }
    return {
      units: UNITS,
      baseline: mean(samples.geojson),
      layer: mean(samples.gl),
      samples,
      drawn,
      inked: { sampled: probeIds.length, inked },
      glPhases,
    };
  } finally {
    await page.close();
  }
}

export const suite: Suite = async () => {
  if (browserSkip) throw new Error(`browser-units: ${browserSkip}`);
  const browser = await launchChromium();
  const s = await startTestServer();
  try {
    const url = `${await s.app.listen({ port: 0, host: '127.0.0.1' })}/`;
    const r = await measureUnitsFps(browser, s, url, (l) => process.stderr.write(`  ${l}\n`));
    const ratio = r.layer / Math.max(r.baseline, 0.5);
    const rows: BenchRow[] = [
      {
        suite: 'browser-units',
        case: `${r.units.toLocaleString('en')} units moving every second, headless Chromium (software WebGL)`,
        value: r.layer,
        unit: 'fps',
        anchor: { name: 'GeoJSON setData each second', value: r.baseline },
        ratio,
        target: '≥ 3× the baseline',
        met: ratio >= 3,
        note: `mean of ${r.samples.gl.length} phases each; the layer drew ${r.drawn} units`,
      },
    ];
    return rows;
  } finally {
    await browser.close();
    await s.destroy();
  }
};
