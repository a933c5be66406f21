// @ts-check
/**
 * The sharing bench (Chromium only): N tabs (1, 5, 20) of one browser
 * context, each with one `<ws-connection>`, once with `share="tabs"` and once
 * unshared (one socket per tab), in two rounds of alternating order whose
 * samples are pooled (memory: the median of the rounds). For each it measures
 *
 * - the connections the server sees (1 shared, N unshared expected);
 * - per pushed frame, how much later the last tab dispatched `message` than
 *   the reference tab: the tab holding the socket when shared (the relay over
 *   BroadcastChannel that sharing adds), the first tab to dispatch it when
 *   unshared (the spread of N sockets written one after another); also the
 *   time from the server's send to the last tab;
 * - the JS heap of all tabs together after forced GC, and (Linux) the
 *   proportional set size of every process of the browser: the heap leaves
 *   out what a socket costs outside JavaScript (the renderer's channel, the
 *   network service's socket and buffers in the browser process).
 *
 * The tabs are DevTools targets of the default browser context, so they share
 * its Web Locks and BroadcastChannels. The driver speaks the DevTools
 * protocol itself (bench/cdp.js) and enables no domain: no Network domain
 * reports the frames, and pages are only read between pushes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { attachToPage, connectBrowser, evaluator, waitForPageGlobal } from './cdp.js';
import { chromePath, launchChromium } from './chromium.js';
import { machineInfo } from './machine.js';
import { median, percentile } from './stats.js';

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` until it returns true, or throws `what` after `timeoutMs`.
 * @param {() => boolean | Promise<boolean>} check
 * @param {number} timeoutMs
 * @param {string} what
 */
async function waitFor(check, timeoutMs, what) {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`sharing bench: ${what} within ${timeoutMs} ms`);
    await sleep(25);
  }
}

/**
 * The proportional set size (shared pages split between their users) of every
 * process in a process group, from /proc/PID/smaps_rollup: Linux only.
 * @param {number} group the browser's process group (bench/browsers.js starts it as a group leader)
 * @returns {number | null} bytes, or null where /proc does not tell
 */
function groupPssBytes(group) {
  let total = 0;
  let found = 0;
  try {
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        // Field 5 of /proc/PID/stat is the process group; the command (field 2) may hold spaces, so read after ')'.
        const fields = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]?.split(' ');
        if (Number(fields?.[2]) !== group) continue;
        const pss = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${name}/smaps_rollup`, 'utf8'));
        if (pss?.[1]) {
          total += Number(pss[1]) * 1024;
          found++;
        }
      } catch {
        // A process that ended while being read.
      }
    }
  } catch {
    return null;
  }
  return found > 0 ? total : null;
}

/**
 * @typedef {object} SharingServer
 * @property {string} origin
 * @property {(path: string) => { open: number, handshakes: number }} counts
 * @property {(path: string, data: string) => number} push
 */

/**
 * @typedef {object} SharingOptions
 * @property {number[]} [tabs] tab counts to measure
 * @property {number} [rounds] every configuration once per round, in alternating order, samples pooled
 * @property {number} [pushes] measured pushes per configuration and round
 * @property {number} [warmupPushes] pushes before those, not counted
 * @property {number} [intervalMs] between pushes: long enough for a push to reach every tab before the next
 */

/**
 * A tab: its DevTools target, an evaluator in its page and its session.
 * @typedef {object} Tab
 * @property {string} targetId
 * @property {(expression: string) => Promise<unknown>} evaluate the expression's value
 * @property {(method: string, params?: object) => Promise<unknown>} send a command to this tab
 */

/** @param {readonly number[]} values @param {number} digits */
const stats = (values, digits = 3) => {
  const round = (/** @type {number} */ value) => Number(value.toFixed(digits));
  return {
    p50: round(percentile(values, 50)),
    p99: round(percentile(values, 99)),
    max: round(Math.max(...values)),
  };
};

/**
 * @param {SharingServer} server
 * @param {SharingOptions} [options]
 */
export async function runSharingBench(server, options = {}) {
  const { tabs: tabCounts = [1, 5, 20], rounds = 2, pushes = 100, warmupPushes = 20, intervalMs = 20 } = options;
  const started = Date.now();
  // The first page is only there so the browser has one; the tabs are opened beside it.
  const chromium = launchChromium('about:blank', { devtools: true });
  try {
    const browserUrl = await chromium.devtoolsUrl;
    // attachToPage waits for the first page: once it is there the browser takes new targets.
    (await attachToPage(browserUrl)).close();
    const browser = await connectBrowser(browserUrl);

    /**
     * Opens `count` tabs on `url`, one after another, each once its page has loaded.
     * @param {number} count
     * @param {string} url
     * @returns {Promise<Tab[]>}
     */
    const openTabs = async (count, url) => {
      /** @type {Tab[]} */
      const opened = [];
      for (let index = 0; index < count; index++) {
        const { targetId } = /** @type {{ targetId: string }} */ (await browser.call('Target.createTarget', { url }));
        const session = await browser.attach(targetId);
        const evaluate = evaluator(session);
        await waitForPageGlobal(evaluate, 'sharePage', 15000);
        opened.push({ targetId, evaluate, send: session.send });
      }
      return opened;
    };

    /**
     * @param {number} count
     * @param {'tabs' | ''} share
     * @param {number} round
     */
    const measure = async (count, share, round) => {
      const configStarted = Date.now();
      // Its own URL, so its own share key and its own counts at the server.
      const wsPath = `/ws/share?run=${share || 'unshared'}-${count}-${round}`;
      const query = new URLSearchParams({ share, ws: wsPath });
      const tabs = await openTabs(count, `${server.origin}/share?${query}`);
      let holder = -1;
      try {
        const expected = share ? 1 : count;
        await waitFor(
          async () =>
            (await Promise.all(tabs.map((tab) => tab.evaluate('sharePage.status()')))).every(
              (status) => status === 'open',
            ) && server.counts(wsPath).open === expected,
          15000,
          `${count} tabs (share "${share}") not all open on ${expected} connection(s)`,
        );
        const holding = /** @type {boolean[]} */ (
          await Promise.all(tabs.map((tab) => tab.evaluate('sharePage.holdsSocket()')))
        );
        holder = holding.indexOf(true);
        if (share && holding.filter(Boolean).length !== 1)
          throw new Error(`sharing bench: ${holding.filter(Boolean).length} of ${count} tabs hold a socket`);
        /** @type {number[]} */
        const clockOffsets = [];
        for (const tab of tabs)
          clockOffsets.push(/** @type {number} */ (await tab.evaluate('sharePage.clockOffset()')));

        /** @param {number} total @param {number} first */
        const pushAll = async (total, first) => {
          /** @type {number[]} */
          const sentAt = [];
          for (let seq = first; seq < first + total; seq++) {
            sentAt.push(performance.timeOrigin + performance.now());
            server.push(wsPath, String(seq));
            await sleep(intervalMs);
          }
          // The last push's relay is over well within this.
          await sleep(200);
          return sentAt;
        };
        await pushAll(warmupPushes, -warmupPushes);
        for (const tab of tabs) await tab.evaluate('sharePage.take()');
        const sentAt = await pushAll(pushes, 0);
        const connections = server.counts(wsPath);
        /** @type {{ seq: number[], at: number[] }[]} */
        const received = [];
        for (const tab of tabs)
          received.push(/** @type {{ seq: number[], at: number[] }} */ (await tab.evaluate('sharePage.take()')));

        /** Per push: when each tab dispatched it, by tab; NaN when a tab never did. */
        const byPush = Array.from({ length: pushes }, () => tabs.map(() => NaN));
        received.forEach(({ seq, at }, tab) =>
          seq.forEach((push, index) => {
            const row = byPush[push];
            if (row) row[tab] = /** @type {number} */ (at[index]);
          }),
        );
        const missed = byPush.reduce((sum, row) => sum + row.filter(Number.isNaN).length, 0);
        const complete = byPush.map((row, push) => ({ row, sent: /** @type {number} */ (sentAt[push]) }));
        const whole = complete.filter(({ row }) => row.every(Number.isFinite));
        const lastMinusReference = whole.map(({ row }) => {
          const reference = share ? /** @type {number} */ (row[holder]) : Math.min(...row);
          return Math.max(...row) - reference;
        });
        const serverToLast = whole.map(({ row, sent }) => Math.max(...row) - sent);

        // Memory last, after the pushes: forced GC in every tab (twice: finalizers free more on the next pass).
        let heapUsedBytes = 0;
        for (const tab of tabs) {
          for (let pass = 0; pass < 2; pass++) await tab.send('HeapProfiler.collectGarbage');
          const heap = /** @type {{ usedSize: number }} */ (await tab.send('Runtime.getHeapUsage'));
          heapUsedBytes += heap.usedSize;
        }
        const { processInfo } = /** @type {{ processInfo: { type: string }[] }} */ (
          await browser.call('SystemInfo.getProcessInfo')
        );
        const pssBytes = groupPssBytes(chromium.pid);
        return {
          serverConnections: connections.open,
          serverHandshakes: connections.handshakes,
          holderTab: share ? holder : null,
          pushesReachingEveryTab: whole.length,
          framesMissed: missed,
          lastTabMinusReference: lastMinusReference,
          serverToLastTab: serverToLast,
          clockOffsetSpreadMs: Math.max(...clockOffsets) - Math.min(...clockOffsets),
          heapUsedBytes,
          pssBytes,
          rendererProcesses: processInfo.filter((process) => process.type === 'renderer').length,
          seconds: (Date.now() - configStarted) / 1000,
        };
      } finally {
        // The holding tab last: closed first, it would hand the socket to the next tab, and that to the next.
        const closing = holder < 0 ? tabs : [...tabs.filter((_, index) => index !== holder), tabs[holder]];
        for (const tab of closing) if (tab) await browser.call('Target.closeTarget', { targetId: tab.targetId });
        await waitFor(() => server.counts(wsPath).open === 0, 15000, `connections of ${wsPath} not closed`);
      }
    };

    /** @type {{ count: number, share: 'tabs' | '', round: number, run: Awaited<ReturnType<typeof measure>> }[]} */
    const runs = [];
    /** @type {{ count: number, share: 'tabs' | '' }[]} */
    const order = tabCounts.flatMap((count) => [
      { count, share: /** @type {const} */ ('tabs') },
      { count, share: /** @type {const} */ ('') },
    ]);
    for (let round = 1; round <= rounds; round++) {
      // Every other round backwards, so a machine getting busier or quieter does not favour one side.
      for (const { count, share } of round % 2 === 1 ? order : [...order].reverse()) {
        const run = await measure(count, share, round);
        runs.push({ count, share, round, run });
        const relay = stats(run.lastTabMinusReference);
        console.log(
          `sharing  round ${round}/${rounds} ${String(count).padStart(2)} tabs, share ${(share || 'none').padEnd(4)}: ` +
            `${run.serverConnections} connection(s), last tab − reference p50 ${relay.p50} ms p99 ${relay.p99} ms, ` +
            `missed ${run.framesMissed} (${run.seconds.toFixed(1)} s)`,
        );
      }
    }
    const rows = order.map(({ count, share }) => {
      const mine = runs.filter((entry) => entry.count === count && entry.share === share).map((entry) => entry.run);
      const pss = mine.map((run) => run.pssBytes).filter((bytes) => bytes !== null);
      const heap = median(mine.map((run) => run.heapUsedBytes));
      return {
        tabs: count,
        share: share || 'none',
        // The most any round saw: one stray socket in one round must show.
        serverConnections: Math.max(...mine.map((run) => run.serverConnections)),
        serverHandshakesPerRound: mine.map((run) => run.serverHandshakes),
        holderTabPerRound: mine.map((run) => run.holderTab),
        pushes: pushes * mine.length,
        pushesReachingEveryTab: mine.reduce((sum, run) => sum + run.pushesReachingEveryTab, 0),
        framesMissed: mine.reduce((sum, run) => sum + run.framesMissed, 0),
        lastTabMinusReferenceMs: stats(mine.flatMap((run) => run.lastTabMinusReference)),
        serverToLastTabMs: stats(mine.flatMap((run) => run.serverToLastTab)),
        clockOffsetSpreadMs: Number(Math.max(...mine.map((run) => run.clockOffsetSpreadMs)).toFixed(3)),
        heapUsedMiB: Number((heap / 2 ** 20).toFixed(2)),
        heapUsedPerTabKiB: Math.round(heap / count / 1024),
        browserPssMiB: pss.length > 0 ? Number((median(pss) / 2 ** 20).toFixed(1)) : null,
        rendererProcesses: Math.min(...mine.map((run) => run.rendererProcesses)),
      };
    });
    browser.close();
    return {
      engine: 'chromium',
      machine: machineInfo(chromePath()),
      parameters: { tabs: tabCounts, rounds, pushesPerRound: pushes, warmupPushes, intervalMs },
      rows,
      seconds: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    await chromium.close();
  }
}

/** @typedef {Awaited<ReturnType<typeof runSharingBench>>} SharingResult */

/**
 * The markdown table README keeps: shared and unshared side by side per tab count.
 * @param {SharingResult['rows']} rows
 */
export function sharingTable(rows) {
  const header = [
    'tabs',
    'share',
    'connections at server',
    'last tab − reference, p50 (ms)',
    'p99 (ms)',
    'server → last tab, p50 (ms)',
    'p99 (ms)',
    'JS heap, all tabs (MiB)',
    'browser PSS (MiB)',
  ];
  const lines = rows.map((row) => [
    String(row.tabs),
    row.share === 'tabs' ? '`tabs` (reference: holder)' : 'none (reference: first tab)',
    String(row.serverConnections),
    row.lastTabMinusReferenceMs.p50.toFixed(3),
    row.lastTabMinusReferenceMs.p99.toFixed(3),
    row.serverToLastTabMs.p50.toFixed(3),
    row.serverToLastTabMs.p99.toFixed(3),
    row.heapUsedMiB.toFixed(2),
    row.browserPssMiB === null ? '—' : row.browserPssMiB.toFixed(1),
  ]);
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
