// A Bueno de Mesquita–style expected-utility model of group decision, one issue at a
// time: the variant Scholz, Calbert & Smith (2011) reconstructed from Bueno de Mesquita
// (1994), with their Q = T = 1, votes counted as in their equation for P, and the
// offer each actor accepts being the one that moves it least. docs/analytics.md gives the
// equations and where this variant departs from others.

export interface Actor {
  x: number; // position
  c: number; // capability
  s: number; // salience, 0–1
}

export type Move = 'confrontation' | 'compromise' | 'capitulation';

/** Utilities of actor i (risk exponent r) against a rival at normalised distance δ. */
export function utilities(delta: number, r: number): { success: number; failure: number; statusQuo: number } {
  return {
    success: 2 - 4 * (0.5 - 0.5 * delta) ** r,
    failure: 2 - 4 * (0.5 + 0.5 * delta) ** r,
    statusQuo: 2 - 4 * 0.5 ** r,
  };
}

/**
 * P[i][j]: the chance that i prevails over j, as the share of the weighted votes for i's
 * position in the contest i against j; each actor k votes c_k·s_k·(|x_k − x_j| − |x_k − x_i|).
 */
export function probabilities(actors: Actor[]): number[][] {
  const n = actors.length;
  const P = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const xi = actors[i].x;
      const xj = actors[j].x;
      if (xi === xj) continue;
      let forI = 0;
      let all = 0;
      for (const k of actors) {
        const v = k.c * k.s * (Math.abs(k.x - xj) - Math.abs(k.x - xi));
        if (v > 0) forI += v;
        all += Math.abs(v);
      }
      if (all === 0) continue;
      P[i][j] = forI / all;
      P[j][i] = 1 - forI / all;
    }
  }
  return P;
}

/** EU_i(i challenges j), seen by i with risk exponent r. */
export function expectedUtility(actors: Actor[], P: number[][], range: number, i: number, j: number, r: number): number {
  const u = utilities(Math.abs(actors[i].x - actors[j].x) / range, r);
  const sj = actors[j].s;
  return sj * (P[i][j] * u.success + (1 - P[i][j]) * u.failure) + (1 - sj) * u.success - u.statusQuo;
}

/**
 * Risk exponents: each actor's danger is the sum of what the others expect from
 * challenging it (at r = 1); R_i places it between the least and most endangered actor
 * (−1 … 1), and r_i = (1 − R_i/3) / (1 + R_i/3) runs from 2 (safest) to 0.5.
 */
export function riskExponents(actors: Actor[], P: number[][], range: number): number[] {
  const n = actors.length;
  const danger = actors.map((_, i) => {
    let sum = 0;
    for (let j = 0; j < n; j++) if (j !== i) sum += expectedUtility(actors, P, range, j, i, 1);
    return sum;
  });
  const max = Math.max(...danger);
  const min = Math.min(...danger);
  return danger.map((d) => {
    const R = max === min ? 0 : (2 * d - max - min) / (max - min);
    return (1 - R / 3) / (1 + R / 3);
  });
}

export interface RoundDetail {
  positions: number[];
  risk: number[];
  moves: ({ to: number; from: number; kind: Move } | null)[]; // by whose offer each actor moved
}

/** One round: every actor challenges where it expects to gain, then every actor takes the offer that moves it least. */
export function playRound(actors: Actor[], range: number): RoundDetail {
  const n = actors.length;
  const P = probabilities(actors);
  const r = riskExponents(actors, P, range);
  const E = actors.map((_, i) => actors.map((__, j) => (i === j || actors[i].x === actors[j].x ? 0 : expectedUtility(actors, P, range, i, j, r[i]))));
  const positions: number[] = [];
  const moves: RoundDetail['moves'] = [];
  for (let j = 0; j < n; j++) {
    const xj = actors[j].x;
    let best: { to: number; from: number; kind: Move } | null = null;
    for (let i = 0; i < n; i++) {
      const ui = E[i][j]; // the challenger's expectation
      if (i === j || !(ui > 0)) continue;
      const uj = E[j][i]; // the target's expectation from challenging back
      const xi = actors[i].x;
      let offer: { to: number; from: number; kind: Move } | null = null;
      if (uj > 0) {
        // Both expect to gain from a fight: the one expecting less gives in.
        if (uj < ui) offer = { to: xi, from: i, kind: 'confrontation' };
      } else if (-uj < ui) {
        // The target expects to lose, by less than the challenger gains: it meets the
        // challenger part of the way, in proportion to the stakes.
        offer = { to: xj + (xi - xj) * (-uj / ui), from: i, kind: 'compromise' };
      } else {
        offer = { to: xi, from: i, kind: 'capitulation' };
      }
      if (offer && (!best || Math.abs(offer.to - xj) < Math.abs(best.to - xj))) best = offer;
    }
    positions.push(best ? best.to : xj);
    moves.push(best);
  }
  return { positions, risk: r, moves };
}
