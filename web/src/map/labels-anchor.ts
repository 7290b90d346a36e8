// Where a zone's or a line's name goes. A zone: the middle of the widest stretch of the
// horizontal line through its largest polygon's centre (a centroid alone can fall
// outside a band or a crescent). A line: the point halfway along its longest path.
import type { Geometry, Position } from 'geojson';

function ringArea(r: Position[]): number {
  let a = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) a += (r[j][0] - r[i][0]) * (r[j][1] + r[i][1]);
  return Math.abs(a / 2);
}

export function zoneAnchor(g: Geometry): [number, number] | undefined {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  let best: Position[][] | undefined;
  for (const p of polys) if (p[0]?.length && (!best || ringArea(p[0]) > ringArea(best[0]))) best = p;
  if (!best) return undefined;
  const outer = best[0];
  const lat = outer.reduce((s, p) => s + p[1], 0) / outer.length;
  const xs: number[] = [];
  for (const ring of best)
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [x1, y1] = ring[j];
      const [x2, y2] = ring[i];
      if (y1 > lat !== y2 > lat) xs.push(x1 + ((lat - y1) / (y2 - y1)) * (x2 - x1));
    }
  xs.sort((a, b) => a - b);
  let from = Number.NaN;
  let width = -1;
  for (let i = 0; i + 1 < xs.length; i += 2) if (xs[i + 1] - xs[i] > width) [from, width] = [xs[i], xs[i + 1] - xs[i]];
  return width >= 0 ? [from + width / 2, lat] : [outer[0][0], outer[0][1]];
}

export function lineAnchor(g: Geometry): [number, number] | undefined {
  const paths = g.type === 'LineString' ? [g.coordinates] : g.type === 'MultiLineString' ? g.coordinates : [];
  const len = (p: Position[]) => p.slice(1).reduce((s, q, i) => s + Math.hypot(q[0] - p[i][0], q[1] - p[i][1]), 0);
  const path = [...paths].sort((a, b) => len(b) - len(a))[0];
  if (!path?.length) return undefined;
  let left = len(path) / 2;
  for (let i = 1; i < path.length; i++) {
    const d = Math.hypot(path[i][0] - path[i - 1][0], path[i][1] - path[i - 1][1]);
    if (d >= left && d > 0) {
      const f = left / d;
      return [path[i - 1][0] + f * (path[i][0] - path[i - 1][0]), path[i - 1][1] + f * (path[i][1] - path[i - 1][1])];
    }
    left -= d;
  }
  return [path[0][0], path[0][1]];
}
