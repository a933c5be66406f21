// @ts-check
/**
 * `node bench/profile.js [contender …]`: where a contender's time per pushed
 * frame goes, from Chromium's CPU profiler (DevTools protocol, Profiler
 * domain only). A separate run from `npm run bench`: the profiler's sampling
 * slows everything, so its totals are not the bench's numbers, but the split
 * between functions is. `<ws-connection>` is profiled from the same dist code
 * bundled without identifier mangling, so its functions have their names.
 *
 * Prints, per contender, self time per frame by function, and writes the
 * summary to bench/profile.json.
 */
import { join } from 'node:path';
import { startBenchServer } from './bench-server.js';
import { writeJson } from './write-json.js';
import { buildLibraries, buildReadableElement, ensureDist, root } from './build.js';
import { attachToPage, evaluator, waitForPageGlobal } from './cdp.js';
import { launchChromium, runBench } from './chromium.js';

const FRAMES = 100_000;
const SAMPLING_INTERVAL_US = 50;
const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['raw', 'ws-connection', 'partysocket'];

/**
 * @typedef {{ id: number, callFrame: { functionName: string, url: string, lineNumber: number }, children?: number[] }} ProfileNode
 * @typedef {{ nodes: ProfileNode[], samples: number[], timeDeltas: number[], startTime: number, endTime: number }} Profile
 */

/**
 * Self time per function (name + file), in µs, from the samples: each sample
 * is charged the time until the next one.
 * @param {Profile} profile
 */
function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  /** @type {Map<string, number>} */
  const times = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(/** @type {number} */ (profile.samples[i]));
    const duration = profile.timeDeltas[i + 1] ?? 0;
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url ? url.slice(url.lastIndexOf('/') + 1) : '';
    const key = `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}` : ''}`;
    times.set(key, (times.get(key) ?? 0) + duration);
  }
  return [...times.entries()].sort((a, b) => b[1] - a[1]);
}

/**
 * The per-call cost of the pieces of a re-dispatched message event, profiler off.
 * @param {string} origin
 */
async function measureEventCost(origin) {
  const browser = launchChromium(`${origin}/event-cost`, { devtools: true });
  try {
    const cdp = await attachToPage(await browser.devtoolsUrl);
    const evaluate = evaluator(cdp);
    await waitForPageGlobal(evaluate, 'eventCost', 15000);
    await evaluate('eventCost.run(20000, 2)');
    const { nsPerCall } = await evaluate('eventCost.run(100000, 5)');
    cdp.close();
    console.log('\nper call, best of 5 × 100,000, profiler off:');
    for (const [name, ns] of Object.entries(nsPerCall))
      console.log(`  ${(ns / 1000).toFixed(3).padStart(7)} µs  ${name}`);
    return nsPerCall;
  } finally {
    await browser.close();
  }
}

async function main() {
  ensureDist();
  const libraries = await buildLibraries();
  const readable = await buildReadableElement();
  libraries.set('ws-connection', { .../** @type {any} */ (libraries.get('ws-connection')), code: readable });
  const server = await startBenchServer({ libraries });
  /** @type {Record<string, unknown>} */
  const summary = {};
  try {
    for (const name of names) {
      const browser = launchChromium(`${server.origin}/profile?contender=${name}`, {
        devtools: true,
        extraArgs: ['--js-flags=--expose-gc'],
      });
      try {
        const cdp = await attachToPage(await browser.devtoolsUrl);
        const evaluate = evaluator(cdp);
        await waitForPageGlobal(evaluate, 'profilePage', 15000);
        await evaluate('profilePage.throughput(20000, 5000)');
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
        await cdp.send('Profiler.start');
        const run = await evaluate(`profilePage.throughput(${FRAMES}, 1000)`);
        /** @type {{ profile: Profile }} */
        const { profile } = await cdp.send('Profiler.stop');
        cdp.close();

        const times = selfTimes(profile);
        const total = times.reduce((sum, [, us]) => sum + us, 0);
        const idle = times.find(([key]) => key === '(idle)')?.[1] ?? 0;
        const top = times.slice(0, 14).map(([key, us]) => ({ function: key, nsPerFrame: (us * 1000) / FRAMES }));
        summary[name] = {
          framesPerSecondWhileProfiling: run.framesPerSecond,
          busyNsPerFrame: ((total - idle) * 1000) / FRAMES,
          top,
        };
        console.log(
          `\n${name}: ${Math.round(run.framesPerSecond)} frames/s while profiling; ` +
            `main thread busy ${(((total - idle) * 1000) / FRAMES / 1000).toFixed(2)} µs per frame, ` +
            `idle ${((idle * 1000) / FRAMES / 1000).toFixed(2)} µs per frame`,
        );
        for (const row of top) console.log(`  ${(row.nsPerFrame / 1000).toFixed(3).padStart(7)} µs  ${row.function}`);
      } finally {
        await browser.close();
      }
    }
    summary.eventCost = await measureEventCost(server.origin);
    await writeJson(join(root, 'bench/profile.json'), summary);
  } finally {
    await server.close();
  }
}

runBench('profile', 240_000, main);
