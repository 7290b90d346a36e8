// Retry delays for a witness that failed: doubling from `min`, never above `cap`, so a
// witness that comes up (or back) is sent the current checkpoint within `cap` of it.

export const DEFAULT_MIN_BACKOFF_MS = 100;
/** tlog witnesses may be down for long; 10 s bounds how late one that returns is served */
export const DEFAULT_MAX_BACKOFF_MS = 10_000;

/** The delay after `failures` failures in a row (1 for the first). */
export function backoffMs(failures: number, min = DEFAULT_MIN_BACKOFF_MS, cap = DEFAULT_MAX_BACKOFF_MS): number {
  if (failures <= 0) return 0;
  return Math.min(cap, min * 2 ** Math.min(failures - 1, 30));
}
