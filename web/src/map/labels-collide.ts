// Which labels to show: the collision pass over their screen boxes. Greedy by priority
// (ties by id, so the same view always shows the same labels): a label is shown when it
// lies wholly on screen and overlaps no label already shown; the lower one is hidden.
// Tens of labels, so the quadratic test costs microseconds per frame.

export interface LabelBox {
  id: string;
  /** top-left corner, in CSS pixels of the map's container */
  x: number;
  y: number;
  w: number;
  h: number;
  /** higher is placed first */
  priority: number;
}

export function overlaps(a: LabelBox, b: LabelBox, pad = 0): boolean {
  return a.x < b.x + b.w + pad && b.x < a.x + a.w + pad && a.y < b.y + b.h + pad && b.y < a.y + a.h + pad;
}

/** The ids of the labels to show in a view of `width` × `height`, `pad` pixels kept between any two. */
export function placeLabels(boxes: readonly LabelBox[], width: number, height: number, pad = 2): Set<string> {
  const order = [...boxes].sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const shown: LabelBox[] = [];
  for (const b of order) {
    if (!(b.w > 0 && b.h > 0)) continue;
    if (b.x < 0 || b.y < 0 || b.x + b.w > width || b.y + b.h > height) continue;
    if (shown.some((s) => overlaps(s, b, pad))) continue;
    shown.push(b);
  }
  return new Set(shown.map((b) => b.id));
}
