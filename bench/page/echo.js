// @ts-check
/**
 * Echo round trip: send 64 bytes, wait for the echo, one at a time. Timed
 * with `performance.now()`, which is fine-grained (5 µs) because the bench
 * pages are cross-origin isolated.
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
  try {
    for (let i = 0; i < warmup; i++) await roundTrip();
    collectGarbage();
    for (let i = 0; i < count; i++) {
      const start = performance.now();
      await roundTrip();
      samples.push(performance.now() - start);
    }
  } finally {
    client.dispose();
  }
  return { count, medianMs: median(samples), p99Ms: percentile(samples, 99), meanMs: mean(samples) };
}
