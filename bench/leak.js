// @ts-check
/**
 * The leak check: 1,000 mount/unmount cycles of `<ws-connection>` in
 * Chromium (once unmounting after open, once unmounting at once), then the
 * server's open-connection count must return to 0, no timers may be left,
 * and the JS heap after forced GC is compared with before. The same cycles
 * on the bare core count timers through its injected clock. This phase uses
 * the DevTools protocol (GC, heap, DOM counters), never the Network domain.
 */
import { attachToPage, evaluator, waitForPageGlobal } from './cdp.js';
import { launchChromium } from './chromium.js';

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` until it returns true; resolves with the ms it took, or -1 on timeout.
 * @param {() => boolean | Promise<boolean>} check
 * @param {number} timeoutMs
 */
async function waitUntil(check, timeoutMs) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (await check()) return Date.now() - start;
    await sleep(20);
  }
  return -1;
}

/**
 * @param {{ origin: string, counts: (path: string) => { open: number, handshakes: number } }} server
 * @param {{ cycles?: number, coreCycles?: number, warmupCycles?: number }} [options]
 */
export async function runLeakCheck(server, { cycles = 1000, coreCycles = cycles, warmupCycles = 30 } = {}) {
  const browser = launchChromium(`${server.origin}/leak`, { devtools: true });
  try {
    const browserUrl = await browser.devtoolsUrl;
    const cdp = await attachToPage(browserUrl);
    const evaluate = evaluator(cdp);
    await waitForPageGlobal(evaluate, 'leakPage', 15000);
    const serverOpen = () => server.counts('/ws/leak').open;

    /** Forced full GCs (several: finalizers free more on the next pass), then the heap and DOM counters. */
    const memory = async () => {
      for (let i = 0; i < 3; i++) {
        await cdp.send('HeapProfiler.collectGarbage');
        await sleep(50);
      }
      const heap = await cdp.send('Runtime.getHeapUsage');
      const dom = await cdp.send('Memory.getDOMCounters');
      return { heapUsedBytes: heap.usedSize, nodes: dom.nodes, jsEventListeners: dom.jsEventListeners };
    };

    /** @param {'after-open' | 'immediately'} unmount */
    const element = async (unmount) => {
      const before = await memory();
      const handshakesBefore = server.counts('/ws/leak').handshakes;
      const run = await evaluate(`leakPage.elementCycles(${cycles}, ${JSON.stringify(unmount)})`);
      const msToZero = await waitUntil(() => serverOpen() === 0, 15000);
      // Both the server's view and the page's timers, once the last closing handshake is through.
      const timers = await evaluate('leakPage.liveTimers()');
      const after = await memory();
      return {
        ...run,
        handshakes: server.counts('/ws/leak').handshakes - handshakesBefore,
        serverOpenAfter: serverOpen(),
        msToZero,
        liveTimers: timers.live,
        liveTimerDelays: timers.liveDelays,
        elementsLeftInDocument: await evaluate('leakPage.elementsInDocument()'),
        heapGrowthKiB: (after.heapUsedBytes - before.heapUsedBytes) / 1024,
        domNodesGrowth: after.nodes - before.nodes,
        jsEventListenersGrowth: after.jsEventListeners - before.jsEventListeners,
      };
    };

    // Warm-up: JIT, Lit's template caches and the first-use allocations are not leaks.
    await evaluate(`leakPage.elementCycles(${warmupCycles}, "after-open")`);
    await evaluate(`leakPage.elementCycles(${warmupCycles}, "immediately")`);
    await evaluate(`leakPage.coreCycles(${warmupCycles})`);
    await waitUntil(() => serverOpen() === 0, 15000);

    const afterOpen = await element('after-open');
    const immediately = await element('immediately');
    const coreBefore = await memory();
    const core = await evaluate(`leakPage.coreCycles(${coreCycles})`);
    const coreMsToZero = await waitUntil(() => serverOpen() === 0, 15000);
    const coreAfter = await memory();
    cdp.close();
    return {
      element: { afterOpen, immediately },
      core: {
        ...core,
        serverOpenAfter: serverOpen(),
        msToZero: coreMsToZero,
        heapGrowthKiB: (coreAfter.heapUsedBytes - coreBefore.heapUsedBytes) / 1024,
      },
      timersCountedBy: {
        element: 'a wrapper around the page global setTimeout/clearTimeout (the element has no clock hook)',
        core: "the core's injected clock (a counting wrapper)",
      },
    };
  } finally {
    await browser.close();
  }
}
