/** Retry delays: exponential from `baseMs`, capped at `maxMs`, with jitter. */
export interface BackoffOptions {
  /** Delay after the first failed attempt before jitter (default 5 s). */
  baseMs: number;
  /** Largest delay (default 1 h). */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 5_000, maxMs: 3_600_000 };

/**
 * The delay before the attempt after failed attempt `attempt` (from 1): base × 2^(attempt−1), capped,
 * then "equal jitter" (half fixed, half random), so jobs that failed together do not retry together.
 * `random` is injectable for tests.
 */
export function retryDelayMs(attempt: number, options: BackoffOptions, random = Math.random): number {
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}
