// @ts-check
/**
 * Reconnect latency: the page asks the server to kill its connection (the
 * server terminates the TCP connection, so the client sees 1006) and times
 * from that request to the contender's next `open`. The delay the contender
 * scheduled is recorded beside it, so latency minus schedule is its overhead.
 */
import { median } from '../stats.js';
import { collectGarbage, openClient, sleep, withTimeout } from './client.js';

/**
 * @param {import('./client.js').Contender} contender
 * @param {string} url the server's kill endpoint
 * @param {{ kills: number, warmup: number }} counts
 */
export async function measureReconnect(contender, url, { kills, warmup }) {
  /** @type {(at: number) => void} */
  let reopened = () => {};
  /** @type {number | undefined} */
  let scheduled;
  const client = await openClient(contender, url, {
    open: () => reopened(performance.now()),
    scheduled: (delay) => (scheduled = delay),
  });
  const killOnce = async () => {
    // Let the previous open's own bookkeeping (status events, timers) finish first.
    await sleep(10);
    scheduled = undefined;
    const open = new Promise((resolve) => (reopened = resolve));
    const start = performance.now();
    client.send('kill');
    const at = /** @type {number} */ (await withTimeout(open, 10000, 'reconnect'));
    return { latencyMs: at - start, scheduledMs: scheduled ?? NaN };
  };
  /** @type {{ latencyMs: number, scheduledMs: number }[]} */
  const samples = [];
  try {
    for (let i = 0; i < warmup; i++) await killOnce();
    collectGarbage();
    for (let i = 0; i < kills; i++) samples.push(await killOnce());
  } finally {
    client.dispose();
  }
  return {
    kills,
    medianMs: median(samples.map((sample) => sample.latencyMs)),
    scheduledMs: median(samples.map((sample) => sample.scheduledMs)),
    overheadMs: median(samples.map((sample) => sample.latencyMs - sample.scheduledMs)),
    samples,
  };
}
