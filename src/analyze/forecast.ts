// The forecast per issue: the weighted median ("median voter"), the weighted mean, and
// the expected-utility model's rounds until positions settle, its outcome the median
// voter of the settled positions.
import { type Actor, playRound } from './expected-utility.ts';
import type { Stakeholder } from './model.ts';
import { weightedMean, weightedMedian } from './weighted.ts';

export const MAX_ROUNDS = 100;
/**
 * Positions have settled when a round's root-mean-square change falls to this share of the
 * first round's (KTAB's rule for its spatial model, examples/smp/README.md), or nobody
 * moves: compromises shrink gaps geometrically, so an exact standstill may never come.
 */
export const SETTLED = 1e-2;

export interface Round {
  round: number;
  positions: Record<string, number>;
  median_voter: number;
  weighted_mean: number;
}

export interface Forecast {
  issue: string;
  median_voter: number;
  weighted_mean: number;
  rounds: Round[];
  outcome: number;
  settled: boolean;
  model: string;
}

export const MODEL_NAME = 'expected-utility (Bueno de Mesquita 1994, as reconstructed by Scholz, Calbert & Smith 2011)';

/** The issues in order of first mention. */
export function issueIds(stakeholders: Stakeholder[]): string[] {
  const ids: string[] = [];
  for (const s of stakeholders) for (const k of Object.keys(s.position)) if (!ids.includes(k)) ids.push(k);
  return ids;
}

function summary(actors: Actor[]): { median: number; mean: number } {
  const voters = actors.map((a) => ({ position: a.x, weight: a.c * a.s }));
  // Callers have checked that some stakeholder gives the issue weight.
  return { median: weightedMedian(voters)!, mean: weightedMean(voters)! };
}

export function forecastIssue(issue: string, stakeholders: Stakeholder[], maxRounds = MAX_ROUNDS): Forecast {
  const on = stakeholders.filter((s) => issue in s.position);
  const ids = on.map((s) => s.id);
  let actors: Actor[] = on.map((s) => ({ x: s.position[issue], c: s.capability, s: s.salience[issue] }));
  const start = summary(actors);
  const xs = actors.map((a) => a.x);
  const range = Math.max(...xs) - Math.min(...xs);
  const rounds: Round[] = [];
  let settled = range === 0;
  let firstChange = 0;
  while (!settled && rounds.length < maxRounds) {
    const { positions } = playRound(actors, range);
    const change = Math.sqrt(positions.reduce((sum, x, i) => sum + (x - actors[i].x) ** 2, 0) / positions.length);
    if (rounds.length === 0) firstChange = change;
    actors = actors.map((a, i) => ({ ...a, x: positions[i] }));
    const s = summary(actors);
    rounds.push({
      round: rounds.length + 1,
      positions: Object.fromEntries(ids.map((id, i) => [id, positions[i]])),
      median_voter: s.median,
      weighted_mean: s.mean,
    });
    settled = change === 0 || change <= SETTLED * firstChange;
  }
  const outcome = rounds.length ? rounds[rounds.length - 1].median_voter : start.median;
  return { issue, median_voter: start.median, weighted_mean: start.mean, rounds, outcome, settled, model: MODEL_NAME };
}

export function forecast(stakeholders: Stakeholder[], maxRounds = MAX_ROUNDS): Forecast[] {
  return issueIds(stakeholders).map((id) => forecastIssue(id, stakeholders, maxRounds));
}
