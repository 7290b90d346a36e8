// Which content coding a client takes, from its Accept-Encoding header (RFC 9110 §12.5.3):
// the best of those offered that it accepts with q > 0. "*" stands for any coding not
// named; "identity" is always acceptable unless refused outright, and is what a missing
// header means.
export type Coding = 'br' | 'gzip' | 'identity';

/** Codings the server can send, best first. */
const PREFERENCE: readonly Coding[] = ['br', 'gzip'];

export function acceptedCodings(header: string | undefined): Map<string, number> {
  const q = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    let weight = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p);
      if (m) weight = Number.isFinite(Number(m[1])) ? Math.min(1, Number(m[1])) : 0;
    }
    // "x-gzip" is gzip's old name (RFC 9110 §8.4.1.3).
    q.set(name === 'x-gzip' ? 'gzip' : name, weight);
  }
  return q;
}

/** The coding to send among `available` (identity is always available). */
export function chooseCoding(header: string | undefined, available: ReadonlySet<Coding> = new Set(PREFERENCE)): Coding {
  const q = acceptedCodings(header);
  const weight = (c: string) => q.get(c) ?? (c === 'identity' ? undefined : q.get('*')) ?? 0;
  // Identity wins only where the client ranks it above a coding by name.
  let best: Coding = 'identity';
  let bestQ = q.get('identity') ?? 0;
  for (const c of PREFERENCE) {
    if (!available.has(c)) continue;
    const w = weight(c);
    if (w > bestQ || (w > 0 && best === 'identity' && w === bestQ)) {
      best = c;
      bestQ = w;
    }
  }
  return best;
}
