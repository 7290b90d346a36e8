// The report's map: an inline SVG of the arrangement's zones and lines and the places of
// the period's findings, numbered by paragraph. No tiles and no network: the outlines
// are the arrangement's own (traced as the zones export traces them). An equirectangular
// projection scaled by the cosine of the middle latitude is true enough at the scale of
// a front line, and keeps the drawing a pure function of the data.
import type { ArrangementFeatures } from '../interop/zone-features.ts';

export interface MapPoint {
  label: string;
  lon: number;
  lat: number;
  /** a place only as precise as the reader may see, or a zone's: drawn hollow */
  approximate: boolean;
}

const W = 640;
const H = 480;
const PAD = 16;
const PALETTE = ['#4c72b0', '#dd8452', '#55a868', '#c44e52', '#8172b3', '#937860', '#da8bc3', '#8c8c8c', '#ccb974', '#64b5cd'];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function mapSvg(features: ArrangementFeatures, points: readonly MapPoint[], title: string): string {
  const lons: number[] = [];
  const lats: number[] = [];
  const add = (lon: number, lat: number) => {
    if (Number.isFinite(lon) && Number.isFinite(lat)) {
      lons.push(lon);
      lats.push(lat);
    }
  };
  for (const z of features.zones) for (const poly of z.polygons) for (const p of poly[0] ?? []) add(p[0], p[1]);
  for (const l of features.lines) for (const path of l.paths) for (const p of path) add(p[0], p[1]);
  for (const p of points) add(p.lon, p.lat);
  if (lons.length === 0) return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img"><title>${esc(title)}</title></svg>`;
  const [x0, x1, y0, y1] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const k = Math.cos((((y0 + y1) / 2) * Math.PI) / 180);
  const spanX = Math.max((x1 - x0) * k, 1e-6);
  const spanY = Math.max(y1 - y0, 1e-6);
  const scale = Math.min((W - 2 * PAD) / spanX, (H - 2 * PAD) / spanY);
  const offX = (W - spanX * scale) / 2;
  const offY = (H - spanY * scale) / 2;
  const xy = (lon: number, lat: number): string => `${(offX + (lon - x0) * k * scale).toFixed(1)},${(offY + (y1 - lat) * scale).toFixed(1)}`;
  const ring = (r: number[][]) => `M${r.map((p) => xy(p[0], p[1])).join('L')}Z`;

  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" class="map"><title>${esc(title)}</title>`];
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#fbfbf8" stroke="#999"/>`);
  // Larger zones first, so that small ones inside them stay visible.
  const zones = features.zones.map((z, i) => ({ z, colour: PALETTE[i % PALETTE.length] })).sort((a, b) => b.z.areaKm2 - a.z.areaKm2);
  for (const { z, colour } of zones) {
    const d = z.polygons.map((poly) => poly.map(ring).join('')).join('');
    out.push(
      `<path d="${d}" fill="${colour}" fill-opacity="0.18" stroke="${colour}" stroke-width="1" fill-rule="evenodd"><title>${esc(z.name)}</title></path>`,
    );
  }
  for (const l of features.lines) {
    for (const path of l.paths)
      out.push(
        `<path d="M${path.map((p) => xy(p[0], p[1])).join('L')}" fill="none" stroke="#222" stroke-width="1.6"${l.approximate ? ' stroke-dasharray="5 3"' : ''}><title>${esc(l.name)}</title></path>`,
      );
  }
  for (const p of points) {
    const [cx, cy] = xy(p.lon, p.lat).split(',');
    out.push(
      `<g class="finding"><circle cx="${cx}" cy="${cy}" r="${Math.max(7, 2.6 * p.label.length)}" fill="${p.approximate ? '#fff' : '#b00020'}" stroke="#b00020" stroke-width="1.5"/>` +
        `<text x="${cx}" y="${cy}" dy="3" text-anchor="middle" font-size="8" fill="${p.approximate ? '#b00020' : '#fff'}">${esc(p.label)}</text></g>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}
