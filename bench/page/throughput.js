// @ts-check
/**
 * Server-push throughput: the server writes N frames of 64 bytes in one go
 * and the page times the first to the last call of the contender's message
 * handler. A smaller push first warms up the JIT of every contender alike.
 */
import { collectGarbage, openClient, withTimeout } from './client.js';

/**
 * @param {import('./client.js').Contender} contender
 * @param {string} url the server's push endpoint
 * @param {{ frames: number, warmup: number }} counts
 */
export async function measureThroughput(contender, url, { frames, warmup }) {
  let expected = 0;
  let received = 0;
  let characters = 0;
  let first = 0;
  let last = 0;
  /** @type {() => void} */
  let done = () => {};
  const client = await openClient(contender, url, {
    // The handler every contender's frames end in: count, read the data like a real listener would.
    message(data) {
      if (received === 0) first = performance.now();
      characters += /** @type {string} */ (data).length;
      if (++received === expected) {
        last = performance.now();
        done();
      }
    },
  });
  /** @param {number} count */
  const push = (count) => {
    expected = count;
    received = 0;
    characters = 0;
    const all = new Promise((resolve) => (done = () => resolve(undefined)));
    client.send(`push:${count}`);
    return withTimeout(all, 60000, `push of ${count} frames`);
  };
  try {
    await push(warmup);
    collectGarbage();
    await push(frames);
  } finally {
    client.dispose();
  }
  const ms = last - first;
  return { frames, characters, ms, framesPerSecond: frames / (ms / 1000) };
}
