// Unit symbols in the APP-6 / MIL-STD-2525 manner, as the viewer's side reads them: its
// own units friend (blue rectangle), the other party hostile (red diamond), the
// mediator's, guarantor's and observers' units neutral (green square), anyone else
// unknown (yellow quatrefoil). Aircraft get the air frames (the upper half of each
// shape, open below) with an aircraft mark inside.
//
// The four frames are drawn here into a canvas atlas rather than with `milsymbol`:
// four shapes are all the map needs, and the library would add far more to the page's
// first load than these few lines (issue 16 caps the first load at 1.5 MB).

export type Affiliation = 'friend' | 'hostile' | 'neutral' | 'unknown';
export const AFFILIATIONS: readonly Affiliation[] = ['friend', 'hostile', 'neutral', 'unknown'];

/** Fill and edge per affiliation: APP-6's light tones, with a dark edge so they read on pale land. */
export const FRAME_COLORS: Record<Affiliation, { fill: string; edge: string }> = {
  friend: { fill: '#80e0ff', edge: '#0b3d91' },
  hostile: { fill: '#ff8080', edge: '#8b0000' },
  neutral: { fill: '#aaffaa', edge: '#0b5d1e' },
  unknown: { fill: '#ffff80', edge: '#6b5b00' },
};

const NEUTRAL_ROLES = new Set(['mediator', 'guarantor', 'observer']);

/**
 * How `viewer` sees a unit of `owner`, given each actor's role. A party sees the other
 * party as hostile; a mediator or observer sees both parties as neutral (it is not at war
 * with either); an actor the arrangement does not know, or a third party, is unknown.
 */
export function affiliation(viewer: string, owner: string, roles: ReadonlyMap<string, string>): Affiliation {
  if (owner === viewer) return 'friend';
  const mine = roles.get(viewer);
  const theirs = roles.get(owner);
  if (theirs === undefined) return 'unknown';
  if (theirs === 'party') return mine === 'party' ? 'hostile' : 'neutral';
  if (NEUTRAL_ROLES.has(theirs)) return 'neutral';
  return 'unknown';
}

export interface SymbolAtlas {
  canvas: HTMLCanvasElement;
  /** cells per row and rows */
  cols: number;
  rows: number;
  /** a cell's side, in atlas pixels */
  cell: number;
  /** the cell index of a symbol: affiliation × ground/air × the owner's colour slot */
  cellOf(aff: Affiliation, air: boolean, actorSlot: number): number;
}

/** The frame's outline as a path in a unit square centred on 0 (radius 1), upper half only for aircraft. */
function framePath(ctx: CanvasRenderingContext2D, aff: Affiliation, air: boolean, r: number): void {
  ctx.beginPath();
  if (aff === 'friend') {
    if (air) {
      ctx.arc(0, r * 0.35, r * 0.95, Math.PI, 0);
      ctx.closePath();
    } else ctx.rect(-r, -r * 0.68, r * 2, r * 1.36);
  } else if (aff === 'hostile') {
    if (air) {
      ctx.moveTo(-r * 0.85, r * 0.6);
      ctx.lineTo(-r * 0.85, -r * 0.1);
      ctx.lineTo(0, -r * 0.95);
      ctx.lineTo(r * 0.85, -r * 0.1);
      ctx.lineTo(r * 0.85, r * 0.6);
    } else {
      ctx.moveTo(0, -r);
      ctx.lineTo(r, 0);
      ctx.lineTo(0, r);
      ctx.lineTo(-r, 0);
      ctx.closePath();
    }
  } else if (aff === 'neutral') {
    if (air) {
      ctx.moveTo(-r * 0.8, r * 0.6);
      ctx.lineTo(-r * 0.8, -r * 0.8);
      ctx.lineTo(r * 0.8, -r * 0.8);
      ctx.lineTo(r * 0.8, r * 0.6);
    } else ctx.rect(-r * 0.8, -r * 0.8, r * 1.6, r * 1.6);
  } else {
    // quatrefoil: four lobes; aircraft keep the upper three
    const q = r * 0.45;
    if (air) {
      ctx.arc(-q, q * 0.3, q, Math.PI * 0.5, Math.PI * 1.5);
      ctx.arc(0, -q * 0.7, q, Math.PI, 0);
      ctx.arc(q, q * 0.3, q, Math.PI * 1.5, Math.PI * 0.5);
    } else {
      ctx.arc(0, -q, q, Math.PI, 0);
      ctx.arc(q, 0, q, Math.PI * 1.5, Math.PI * 0.5);
      ctx.arc(0, q, q, 0, Math.PI);
      ctx.arc(-q, 0, q, Math.PI * 0.5, Math.PI * 1.5);
      ctx.closePath();
    }
  }
}

function drawSymbol(ctx: CanvasRenderingContext2D, aff: Affiliation, air: boolean, actorColor: string, size: number): void {
  const r = size * 0.42;
  const { fill, edge } = FRAME_COLORS[aff];
  ctx.save();
  ctx.translate(size / 2, size / 2);
  ctx.lineJoin = 'round';
  framePath(ctx, aff, air, r);
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.lineWidth = Math.max(1.5, size / 16);
  ctx.strokeStyle = edge;
  ctx.stroke();
  // The icon slot: the owner's colour (which delegation), and an aircraft's wings.
  ctx.fillStyle = actorColor;
  if (air) {
    ctx.beginPath();
    ctx.moveTo(0, -r * 0.5);
    ctx.lineTo(r * 0.55, r * 0.15);
    ctx.lineTo(0, 0);
    ctx.lineTo(-r * 0.55, r * 0.15);
    ctx.closePath();
    ctx.fill();
  } else {
    ctx.beginPath();
    ctx.arc(0, 0, r * 0.28, 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.restore();
}

/** Draws every symbol the map may need: 4 affiliations × ground/air × each actor's colour. */
export function symbolAtlas(actorColors: readonly string[], cell = 48): SymbolAtlas {
  const colors = actorColors.length ? actorColors : ['#555555'];
  const count = AFFILIATIONS.length * 2 * colors.length;
  const cols = 8;
  const rows = Math.ceil(count / cols);
  const canvas = document.createElement('canvas');
  canvas.width = cols * cell;
  canvas.height = rows * cell;
  const ctx = canvas.getContext('2d')!;
  const cellOf = (aff: Affiliation, air: boolean, slot: number) =>
    (AFFILIATIONS.indexOf(aff) * 2 + (air ? 1 : 0)) * colors.length + (slot >= 0 && slot < colors.length ? slot : 0);
  for (const aff of AFFILIATIONS)
    for (const air of [false, true])
      for (let s = 0; s < colors.length; s++) {
        const i = cellOf(aff, air, s);
        ctx.save();
        ctx.translate((i % cols) * cell, Math.floor(i / cols) * cell);
        drawSymbol(ctx, aff, air, colors[s], cell);
        ctx.restore();
      }
  return { canvas, cols, rows, cell, cellOf };
}
