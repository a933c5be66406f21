// @ts-check
/**
 * The leak page: mounts and unmounts `<ws-connection>` elements, and runs
 * the same cycles on the bare core with a counting clock. The Node driver
 * (bench/leak.js) calls these through the DevTools protocol and measures
 * the heap and the server's open connections in between.
 */
import { sleep, withTimeout } from './client.js';
import { countingClock } from './counting-clock.js';
import { installTimerCensus } from './timer-census.js';

// Off globalThis: the repository's ESLint config gives bench/ Node globals only.
const { document, location } = globalThis;
// Installed before the element bundle loads, so every timer it ever sets is seen.
const timerCensus = installTimerCensus(globalThis);
/** @type {typeof import('../../dist/core/index.js')} */
const core = await import(/** @type {string} */ ('/lib/core.js'));
await import(/** @type {string} */ ('/lib/ws-connection.js'));

const url = `ws://${location.host}/ws/leak`;

/**
 * Mounts `count` elements one after another. `after-open`: each is removed
 * once its socket is open (it then closes with 1000). `immediately`: each is
 * removed in the same task it was added, while its socket is still
 * connecting, and the next starts once that one reports `closed`.
 * @param {number} count
 * @param {'after-open' | 'immediately'} unmount
 */
async function elementCycles(count, unmount) {
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const element = /** @type {import('../../dist/ws-connection.js').WsConnection} */ (
      document.createElement('ws-connection')
    );
    element.setAttribute('url', url);
    if (unmount === 'after-open') {
      const opened = new Promise((resolve) => element.addEventListener('open', resolve, { once: true }));
      document.body.append(element);
      await withTimeout(opened, 10000, `element ${i} open`);
      element.remove();
    } else {
      const closed = new Promise((resolve) =>
        element.addEventListener('statuschange', (event) => event.detail.status === 'closed' && resolve(undefined)),
      );
      document.body.append(element);
      element.remove();
      await withTimeout(closed, 10000, `element ${i} closed`);
    }
  }
  // The last element's detach timer runs one task after its removal.
  await sleep(50);
  return { cycles: count, unmount, ms: performance.now() - start };
}

/**
 * The same cycle on the core alone: connect, open, close, closed; its
 * counting clock tells how many timers are left.
 * @param {number} count
 */
async function coreCycles(count) {
  const clock = countingClock();
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    /** @type {(value: unknown) => void} */
    let opened = () => {};
    /** @type {(value: unknown) => void} */
    let closed = () => {};
    const open = new Promise((resolve) => (opened = resolve));
    const done = new Promise((resolve) => (closed = resolve));
    const connection = new core.Connection(
      { url },
      { open: () => opened(undefined), status: (status) => status === 'closed' && closed(undefined) },
      { clock },
    );
    connection.connect();
    await withTimeout(open, 10000, `core ${i} open`);
    connection.close();
    await withTimeout(done, 10000, `core ${i} closed`);
  }
  return { cycles: count, ms: performance.now() - start, timers: clock.counts() };
}

Object.assign(globalThis, {
  leakPage: {
    elementCycles,
    coreCycles,
    liveTimers: timerCensus,
    elementsInDocument: () => document.querySelectorAll('ws-connection').length,
  },
});
