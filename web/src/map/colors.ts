// Colours for actors, zones and lines, given in the arrangement's order so that the
// same arrangement always looks the same. Chosen to stay apart on a pale map.
const ACTOR_COLORS = ['#1f5fbf', '#c0392b', '#7d3c98', '#b9770e', '#138d75', '#2e4053', '#d35400', '#5d6d7e'];
const ZONE_COLORS = ['#e67e22', '#2980b9', '#8e44ad', '#16a085', '#c0392b', '#7f8c8d', '#d4ac0d', '#27ae60', '#a04000', '#1abc9c', '#6c3483', '#2e86c1'];
const LINE_COLORS = ['#1a5276', '#922b21', '#145a32', '#4a235a'];

const pick = (palette: string[], i: number) => palette[i % palette.length];

export function colorMap(ids: string[], palette: 'actor' | 'zone' | 'line'): Map<string, string> {
  const p = palette === 'actor' ? ACTOR_COLORS : palette === 'zone' ? ZONE_COLORS : LINE_COLORS;
  return new Map(ids.map((id, i) => [id, pick(p, i)]));
}

export const UNKNOWN_COLOR = '#555555';
