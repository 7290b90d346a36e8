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
 *
 * Counted directly that is n³ work a round. With x_i < x_j and D = x_j − x_i, a voter at
 * or left of x_i gives i w·D, one at or right of x_j gives j w·D, and one between gives
 * w·(x_i + x_j − 2x_k), to i left of the midpoint and to j right of it. So sums of w and
 * w·x over ranges of sorted positions (prefix sums, found by binary search) give each pair.
 */
export function probabilities(actors: Actor[]): number[][] {
  const n = actors.length;
  const P = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const order = actors.map((_, i) => i).sort((a, b) => actors[a].x - actors[b].x);
  const xs = order.map((i) => actors[i].x);
  const W = [0];
  const WX = [0];
  for (const i of order) {
    const w = actors[i].c * actors[i].s;
    W.push(W[W.length - 1] + w);
    WX.push(WX[WX.length - 1] + w * actors[i].x);
  }
  // For each place in the sorted order: how many voters are at or left of its position,
  // and how many strictly left.
  const atOrLeft = new Array<number>(n);
  const left = new Array<number>(n);
  for (let k = 0; k < n; k++) left[k] = k > 0 && xs[k - 1] === xs[k] ? left[k - 1] : k;
  for (let k = n - 1; k >= 0; k--) atOrLeft[k] = k < n - 1 && xs[k + 1] === xs[k] ? atOrLeft[k + 1] : k + 1;
  for (let p = 0; p < n; p++) {
    const lo = xs[p];
    const a = atOrLeft[p]; // voters at or left of lo
    let b = a; // voters left of the midpoint: it only moves right as hi does
    for (let q = p + 1; q < n; q++) {
      const hi = xs[q];
      if (hi === lo) continue;
      const D = hi - lo;
      const m = (lo + hi) / 2;
      while (b < n && xs[b] < m) b++;
      const c = left[q]; // voters left of hi
      const forLo = D * W[a] + (lo + hi) * (W[b] - W[a]) - 2 * (WX[b] - WX[a]);
      const forHi = 2 * (WX[c] - WX[b]) - (lo + hi) * (W[c] - W[b]) + D * (W[n] - W[c]);
      const all = forLo + forHi;
      if (!(all > 0)) continue;
      P[order[p]][order[q]] = forLo / all;
      P[order[q]][order[p]] = 1 - forLo / all;
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
  // At r = 1, U^s = 2δ, U^f = −2δ and U^sq = 0, so EU_j(j challenges i) = 2δ(1 − 2s_i(1 − P_ji)).
  const danger = actors.map((ai, i) => {
    let sum = 0;
    for (let j = 0; j < n; j++) if (j !== i) sum += ((2 * Math.abs(actors[j].x - ai.x)) / range) * (1 - 2 * ai.s * (1 - P[j][i]));
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
  expected: number[][]; // EU_i(ij) with each actor's own risk exponent
  moves: ({ to: number; from: number; kind: Move } | null)[]; // by whose offer each actor moved
}

/** One round: every actor challenges where it expects to gain, then every actor takes the offer that moves it least. */
export function playRound(actors: Actor[], range: number): RoundDetail {
  const n = actors.length;
  const P = probabilities(actors);
  const r = riskExponents(actors, P, range);
  // EU_i(ij) for every ordered pair, as expectedUtility(actors, P, range, i, j, r[i]) but
  // unrolled: this is the inner loop. (0.5 ± δ/2)^r is exp(r·ln(0.5 ± δ/2)), and the two
  // logarithms are shared by i and j.
  const E = actors.map(() => new Array<number>(n).fill(0));
  const sq = r.map((ri) => 2 - 4 * 0.5 ** ri);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const ai = actors[i];
      const aj = actors[j];
      if (ai.x === aj.x) continue;
      const half = (0.5 * Math.abs(ai.x - aj.x)) / range;
      const lnWin = Math.log(0.5 - half);
      const lnLose = Math.log(0.5 + half);
      const sI = 2 - 4 * Math.exp(r[i] * lnWin);
      const fI = 2 - 4 * Math.exp(r[i] * lnLose);
      const sJ = 2 - 4 * Math.exp(r[j] * lnWin);
      const fJ = 2 - 4 * Math.exp(r[j] * lnLose);
      E[i][j] = aj.s * (P[i][j] * sI + (1 - P[i][j]) * fI) + (1 - aj.s) * sI - sq[i];
      E[j][i] = ai.s * (P[j][i] * sJ + (1 - P[j][i]) * fJ) + (1 - ai.s) * sJ - sq[j];
    }
  }
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
  return { positions, risk: r, expected: E, moves };
}
