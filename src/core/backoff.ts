export interface BackoffOptions {
  /** Base delay before the first retry, ms. */
  retryDelay: number;
  /** Cap on any delay, ms. */
  retryMaxDelay: number;
  /** Growth per failed attempt, ≥ 1. */
  retryFactor: number;
  /** Fraction of each delay that is randomized, 0..1. */
  retryJitter: number;
}

/**
 * The wait before retry `attempt` (1 for the first retry):
 * `d = min(retryMaxDelay, retryDelay * retryFactor^(attempt-1))`, then a
 * uniformly random time in `[d * (1 - retryJitter), d]`. Jitter spreads a
 * fleet of clients that lost the same server, so they do not return in step.
 *
 * @param random a source of numbers in [0, 1), like `Math.random`
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const { retryDelay, retryMaxDelay, retryFactor, retryJitter } = options;
  // retryDelay 0 stays 0 even when the factor overflows to Infinity (0 * Infinity is NaN).
  const grown = retryDelay === 0 ? 0 : retryDelay * retryFactor ** (attempt - 1);
  const capped = Math.min(retryMaxDelay, grown);
  return Math.round(capped * (1 - retryJitter * random()));
}
