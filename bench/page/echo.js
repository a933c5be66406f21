// @ts-check
/**
 * Echo round trip: send 64 bytes, wait for the echo, one at a time. Each trip
 * is timed with `performance.now()` for the median and p99, and the whole loop
 * once for total time / count. Chromium's clock is fine-grained (5 µs, the
 * pages being cross-origin isolated), but Firefox and WebKit coarsen theirs
 * (the page reports the step it saw): a 0.2 ms trip read off a 20 µs or 1 ms
 * clock has a median that moves in whole steps, while the loop's total over
 * 2,000 trips is off by one step at most.
 */
import { mean, median, percentile } from '../stats.js';
import { collectGarbage, openClient, withTimeout } from './client.js';

/**
 * @param {import('./client.js').Contender} contender
 * @param {string} url the server's echo endpoint
 * @param {{ count: number, warmup: number }} counts
 */
export async function measureEcho(contender, url, { count, warmup }) {
  /** @type {() => void} */
  let answered = () => {};
  const client = await openClient(contender, url, { message: () => answered() });
  const payload = 'e'.repeat(64);
  const roundTrip = () => {
    const echoed = new Promise((resolve) => (answered = () => resolve(undefined)));
    client.send(payload);
    return withTimeout(echoed, 5000, 'echo');
  };
  /** @type {number[]} */
  const samples = [];
  /** @type {number} */
  let totalMs;
  try {
    for (let i = 0; i < warmup; i++) await roundTrip();
    collectGarbage();
    const loopStart = performance.now();
    for (let i = 0; i < count; i++) {
      const start = performance.now();
      await roundTrip();
      samples.push(performance.now() - start);
    }
    totalMs = performance.now() - loopStart;
  } finally {
    client.dispose();
  }
  return {
    count,
    medianMs: median(samples),
    p99Ms: percentile(samples, 99),
    meanMs: mean(samples),
    totalMs,
    perTripMs: totalMs / count,
  };
}
