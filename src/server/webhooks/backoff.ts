// When a failed delivery is tried again: doubling from `baseMs` (1 s, 2 s, 4 s …), capped,
// each stretched by up to a quarter at random so that many subscriptions failing at
// once (a receiver restarting) do not all come back in the same instant. A quarter is
// less than the doubling, so the gaps still grow.

export interface RetryPolicy {
  /** attempts in all, the first included */
  attempts: number;
  baseMs: number;
  capMs: number;
  /** each attempt's own time limit */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseMs: 1000, capMs: 60_000, timeoutMs: 10_000 };

/** The wait after the `failed`-th failed attempt (1 for the first). */
export function retryDelayMs(failed: number, p: Pick<RetryPolicy, 'baseMs' | 'capMs'>, random: () => number = Math.random): number {
  const plain = Math.min(p.capMs, p.baseMs * 2 ** Math.min(Math.max(0, failed - 1), 30));
  return Math.round(plain * (1 + 0.25 * random()));
}
