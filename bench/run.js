// @ts-check
/**
 * `npm run bench`: the raw WebSocket, `<ws-connection>` and three peer
 * libraries in the same browser, in alternating rounds (A B C D E, A B C D E,
 * …) so drift hits all alike; one browser per engine, engines one after
 * another; then the leak check and the sharing bench (Chromium only: they
 * need the DevTools protocol). Prints one markdown table per engine and
 * writes bench/results.json with every engine's results, and
 * bench/sharing.json with the sharing bench's.
 *
 * Each engine's browser starts WITHOUT remote debugging or a WebDriver
 * session (bench/browsers.js): each page runs itself, POSTs its results and
 * navigates to the next contender, so no driver watches the network during
 * measurement. Chromium's only extra flag, --expose-gc, lets each page
 * collect garbage before a measured loop; Firefox and WebKit have no such
 * switch for web content, so their pages skip that step.
 *
 *   node bench/run.js [--browser chromium|firefox|webkit …] [--rounds N] [--no-leak] [--no-sharing]
 *                     [--firefox-reconnect-delay on|off]
 *   node bench/run.js --only sharing     (npm run bench:share): the sharing bench alone; results.json is left as is
 *   node bench/run.js --only first-open [--browser …] [--first-open-rounds N]: the first-connection bench alone
 *   node bench/run.js --only resume [--browser …] [--rounds N]: the raw socket, `<ws-connection>` and
 *                     `<ws-connection resume>` alone (same pages, same alternation), their ratios written to
 *                     bench/resume.json; results.json is left as is
 *
 * The first-connection bench (bench/first-open.js) runs in every engine, after its main rounds: an element
 * with `share="tabs"` from attach to `open`, its share chunk lazy, preloaded or inline; it writes
 * bench/first-open.json.
 *
 * `--browser` may repeat or take a comma list; without it, every engine
 * installed here runs.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ENGINE_PACKAGES, ENGINES, engineFound } from '../test/server/engines.js';
import { startBenchServer } from './bench-server.js';
import { benchFirefoxPrefs, engineVersion, launchFirefox, launchWebKit, runBench } from './browsers.js';
import { buildLibraries, ensureDist, root } from './build.js';
import { launchChromium } from './chromium.js';
import { contenders } from './contenders/index.js';
import { runLeakCheck } from './leak.js';
import { machineInfo } from './machine.js';
import {
  echoBasisFor,
  elementVsPartysocket,
  evaluateTargets,
  markdownTable,
  ratioTable,
  resumeVsElement,
  summarize,
} from './report.js';
import { firstOpenTable, runFirstOpenBench } from './first-open.js';
import { runSharingBench, sharingTable } from './sharing.js';
import { median } from './stats.js';
import { writeJson } from './write-json.js';

/** @typedef {import('../test/server/engines.js').Engine} Engine */

/** What each page measures; passed to it as query parameters. */
const parameters = {
  frames: 100_000,
  'warmup-frames': 2_000,
  echoes: 2_000,
  'warmup-echoes': 100,
  kills: 20,
  'warmup-kills': 2,
};
const LEAK_CYCLES = 1_000;
/** The bare-core cycles only count timers through the injected clock; fewer keep the bench inside its budget. */
const CORE_CYCLES = 400;
/**
 * The whole bench must end by itself, whatever hangs: seven minutes per
 * engine, about twice what five rounds take in Firefox, whose own reconnect
 * throttle (~300 ms per kill, 22 kills a page) makes it the slowest, plus the
 * leak check.
 */
const BUDGET_PER_ENGINE_MS = 420_000;
const BUDGET_LEAK_MS = 120_000;
/** About 1.5 minutes here: 2 rounds of 6 configurations of up to 20 tabs, 120 pushes 20 ms apart each. */
const BUDGET_SHARING_MS = 180_000;
/** 20 rounds of 3 pages, about 0.3 s each, plus a browser start: well under a minute per engine. */
const BUDGET_FIRST_OPEN_MS = 120_000;

const { values: args } = parseArgs({
  options: {
    browser: { type: 'string', multiple: true, default: [] },
    rounds: { type: 'string', default: '5' },
    'no-leak': { type: 'boolean', default: false },
    'no-sharing': { type: 'boolean', default: false },
    'no-first-open': { type: 'boolean', default: false },
    'first-open-rounds': { type: 'string', default: '20' },
    only: { type: 'string' },
    'firefox-reconnect-delay': { type: 'string', default: 'on' },
  },
});
const rounds = Math.max(1, Number(args.rounds));
/** Firefox's `network.websocket.delay-failed-reconnects`: on (its default) unless `--firefox-reconnect-delay off`. */
const firefoxReconnectDelay = args['firefox-reconnect-delay'] !== 'off';
if (!['on', 'off'].includes(args['firefox-reconnect-delay'] ?? 'on')) {
  console.error('--firefox-reconnect-delay takes on or off');
  process.exit(1);
}

/** @returns {Engine[]} the engines asked for, or every one installed */
function chosenEngines() {
  const named = (args.browser ?? []).flatMap((value) =>
    value
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
  const unknown = named.filter((name) => !ENGINES.includes(/** @type {Engine} */ (name)));
  if (unknown.length > 0) throw new Error(`--browser: unknown ${unknown.join(', ')} (known: ${ENGINES.join(', ')})`);
  if (named.length === 0) {
    const found = ENGINES.filter(engineFound);
    for (const engine of ENGINES.filter((engine) => !found.includes(engine)))
      console.log(`${engine}: not installed (${ENGINE_PACKAGES[engine]}), skipped`);
    if (found.length === 0)
      throw new Error('No browser engine found: install chromium, firefox-esr or webkit2gtk-driver.');
    return found;
  }
  // Asked for by name, a missing engine is an error rather than a quiet skip.
  const missing = named.filter((name) => !engineFound(/** @type {Engine} */ (name)));
  if (missing.length > 0)
    throw new Error(
      `--browser: not installed: ${missing.map((name) => `${name} (${ENGINE_PACKAGES[/** @type {Engine} */ (name)]})`).join(', ')}`,
    );
  return /** @type {Engine[]} */ ([...new Set(named)]);
}

/**
 * @param {Engine} engine
 * @param {string} url
 */
async function launch(engine, url) {
  if (engine === 'chromium') return launchChromium(url, { extraArgs: ['--js-flags=--expose-gc'] });
  if (engine === 'firefox') return launchFirefox(url, { delayFailedReconnects: firefoxReconnectDelay });
  return launchWebKit(url);
}

/**
 * @typedef {import('./report.js').RunResult & { round: number, crossOriginIsolated: boolean,
 *   timerResolutionMs: number, userAgent: string }} EngineRun
 */

/**
 * All rounds of every contender (or of `only` those) in one fresh browser of `engine`.
 * @param {Engine} engine
 * @param {Awaited<ReturnType<typeof startBenchServer>>} server
 * @param {Awaited<ReturnType<typeof buildLibraries>>} libraries
 * @param {readonly import('./contenders/index.js').Contender[]} [only]
 */
async function benchEngine(engine, server, libraries, only = contenders) {
  const started = Date.now();
  const order = only.map((contender) => contender.name);
  // Entry 0 warms up the fresh browser (its first page is always slower), with a tenth of the work; not recorded.
  const plan = ['raw', ...Array.from({ length: rounds }, () => order).flat()];
  const query = new URLSearchParams({ plan: plan.join(','), index: '0' });
  for (const [key, value] of Object.entries(parameters)) query.set(key, String(value));
  // The server hands out results by page id: a per-engine prefix keeps one engine's late POST out of the next's.
  query.set('run', engine);
  /** @type {EngineRun[]} */
  const runs = [];
  const browser = await launch(engine, `${server.origin}/run?${query}`);
  try {
    for (let index = 0; index < plan.length; index++) {
      /** @type {EngineRun & { error?: string }} */
      const result = await server.result(`${engine}-${index}`, 90_000);
      if (result.error) throw new Error(`${engine}, ${result.contender}, page ${index}: ${result.error}`);
      const round = Math.ceil(index / order.length);
      if (index > 0) runs.push({ ...result, round });
      const fps = Math.round(result.throughput.framesPerSecond).toLocaleString('en-US');
      console.log(
        `${engine.padEnd(8)} ${index === 0 ? 'warm-up  ' : `round ${round}/${rounds}`} ${result.contender.padEnd(22)} ` +
          `${fps.padStart(7)} frames/s  echo ${result.echo.medianMs.toFixed(3)} ms median, ` +
          `${result.echo.perTripMs.toFixed(3)} ms total/count  reconnect ${result.reconnect.medianMs.toFixed(1)} ms`,
      );
    }
  } finally {
    await browser.close();
  }
  const timerResolutionMs = median(runs.map((run) => run.timerResolutionMs));
  const echoBasis = echoBasisFor(timerResolutionMs);
  const rows = summarize({ contenders: only, runs, libraries, echoBasis });
  return {
    browser: await engineVersion(engine),
    userAgent: runs[0]?.userAgent ?? null,
    crossOriginIsolated: runs.every((run) => run.crossOriginIsolated),
    timerResolutionMs,
    echoBasis,
    garbageCollectedBeforeLoops: engine === 'chromium',
    ...(engine === 'firefox'
      ? {
          prefs: { ...benchFirefoxPrefs, 'network.websocket.delay-failed-reconnects': firefoxReconnectDelay },
          delayFailedReconnects: firefoxReconnectDelay
            ? 'on, as Firefox ships it: the reconnect row includes its throttle'
            : 'off (--firefox-reconnect-delay off): the reconnect row leaves out its throttle',
        }
      : {}),
    contenders: rows,
    elementVsPartysocket: elementVsPartysocket(rows),
    resumeVsElement: resumeVsElement(rows),
    targets: evaluateTargets(rows),
    runs,
    seconds: Math.round((Date.now() - started) / 1000),
  };
}

/** @param {number} value */
const ratio = (value) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '—');

/**
 * The sharing bench, its results written to bench/sharing.json and printed.
 * @param {Awaited<ReturnType<typeof startBenchServer>>} server
 */
async function sharing(server) {
  console.log('sharing (Chromium): share="tabs" against unshared elements, 1, 5 and 20 tabs…');
  const result = await runSharingBench(server);
  await writeJson(join(root, 'bench/sharing.json'), {
    command: onlySharing ? 'npm run bench:share' : 'npm run bench',
    ...result,
  });
  const { machine } = result;
  console.log(
    `\n## sharing (${machine.chromium ?? 'Chromium'}; ${machine.cpu}, ${machine.cores} cores, ${machine.date})\n`,
  );
  console.log(sharingTable(result.rows));
  console.log(`\nwrote bench/sharing.json (${result.seconds} s)`);
}

/**
 * The first-connection bench in each engine, its results written to bench/first-open.json and printed.
 * @param {Awaited<ReturnType<typeof startBenchServer>>} server
 * @param {Engine[]} engines
 */
async function firstOpen(server, engines) {
  const rounds = Math.max(1, Number(args['first-open-rounds']));
  console.log(`first connection: share="tabs" attach → open, chunk lazy, preloaded or inline, ${rounds} rounds…`);
  const results = [];
  for (const engine of engines) {
    const result = await runFirstOpenBench(server, (url) => launch(engine, url), { engine, rounds });
    for (const anomaly of result.anomalies) console.log(`${engine}: ${anomaly}`);
    results.push({ ...result, browser: await engineVersion(engine) });
  }
  await writeJson(join(root, 'bench/first-open.json'), {
    command: `node bench/run.js --only first-open --browser ${engines.join(',')} --first-open-rounds ${rounds}`,
    machine: machineInfo(),
    results,
  });
  console.log(`\n## first connection (share="tabs", attach → open; ${machineInfo().date})\n`);
  console.log(firstOpenTable(results));
  for (const result of results)
    console.log(
      `- ${result.engine}: lazy − inline ${result.lazyMinusInlineMs.toFixed(2)} ms, ` +
        `preload − inline ${result.preloadMinusInlineMs.toFixed(2)} ms; the chunk's fetch ` +
        `${result.chunkFetchMedianMs.toFixed(2)} ms (medians)`,
    );
  console.log('\nwrote bench/first-open.json');
}

/** @param {ReturnType<typeof resumeVsElement>} versus */
function printResumeRatios(versus) {
  if (!versus) return;
  console.log(
    `- <ws-connection resume> vs <ws-connection>: push ${ratio(versus.push)} (per round ` +
      `${versus.pushPerRound.map((value) => value.toFixed(2)).join(', ')}), echo ${ratio(versus.echo)} ` +
      `(${versus.echoBasis}), reconnect ${ratio(versus.reconnect)}`,
  );
}

/**
 * The raw socket, the element and the element with `resume`, in each engine; bench/resume.json.
 * @param {Awaited<ReturnType<typeof startBenchServer>>} server
 * @param {Awaited<ReturnType<typeof buildLibraries>>} libraries
 */
async function resumeOnly(server, libraries) {
  const started = Date.now();
  const chosen = contenders.filter((contender) =>
    ['raw', 'ws-connection', 'ws-connection-resume'].includes(contender.name),
  );
  /** @type {Record<string, unknown>} */
  const results = {};
  for (const engine of engines) {
    const result = await benchEngine(engine, server, libraries, chosen);
    results[engine] = result;
    console.log(
      `\n## ${engine}: ${result.browser ?? 'unknown version'}, echo on the ${result.echoBasis} (${result.seconds} s)\n`,
    );
    console.log(ratioTable(result.contenders));
    console.log('');
    printResumeRatios(result.resumeVsElement);
    for (const target of result.targets)
      console.log(`- ${target.met ? 'met' : 'MISSED'}: ${target.target} (${target.measured})`);
  }
  await writeJson(join(root, 'bench/resume.json'), {
    command: `node bench/run.js --only resume --browser ${engines.join(',')} --rounds ${rounds}`,
    machine: machineInfo(),
    rounds,
    order: chosen.map((contender) => contender.name),
    parameters,
    engines: results,
    seconds: Math.round((Date.now() - started) / 1000),
  });
  console.log('\nwrote bench/resume.json');
}

async function main() {
  const started = Date.now();
  ensureDist();
  const libraries = await buildLibraries();
  const server = await startBenchServer({ libraries });
  if (onlyResume) {
    try {
      await resumeOnly(server, libraries);
    } finally {
      await server.close();
    }
    return;
  }
  if (onlySharing || onlyFirstOpen) {
    try {
      if (onlySharing) await sharing(server);
      else await firstOpen(server, engines);
    } finally {
      await server.close();
    }
    return;
  }
  try {
    /** @type {Partial<Record<Engine, Awaited<ReturnType<typeof benchEngine>>>>} */
    const results = {};
    /** @type {Partial<Record<Engine, string>>} One engine failing (a crash, a hang) does not cost the others their run. */
    const failed = {};
    for (const engine of engines) {
      try {
        results[engine] = await benchEngine(engine, server, libraries);
      } catch (error) {
        console.error(`${engine}: ${error instanceof Error ? error.message : error}`);
        failed[engine] = error instanceof Error ? error.message : String(error);
      }
    }

    let leak = null;
    if (leakWanted) {
      console.log(`leak check (Chromium): ${LEAK_CYCLES} mount/unmount cycles…`);
      leak = await runLeakCheck(server, { cycles: LEAK_CYCLES, coreCycles: CORE_CYCLES });
    }

    const output = {
      command: `npm run bench -- --browser ${engines.join(',')}`,
      machine: machineInfo(),
      rounds,
      order: contenders.map((contender) => contender.name),
      parameters,
      engines: results,
      failed,
      leak: leak && { engine: 'chromium', ...leak },
      seconds: Math.round((Date.now() - started) / 1000),
    };
    await writeJson(join(root, 'bench/results.json'), output);

    const { machine } = output;
    console.log(
      `\n${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.date}; medians of ${rounds} rounds`,
    );
    for (const [engine, result] of Object.entries(results)) {
      console.log(
        `\n## ${engine}: ${result.browser ?? 'unknown version'}; cross-origin isolated ${result.crossOriginIsolated}, ` +
          `performance.now() step ${result.timerResolutionMs} ms, echo ratios on the ${result.echoBasis}` +
          `${engine === 'firefox' ? `; network.websocket.delay-failed-reconnects ${firefoxReconnectDelay ? 'on (the default)' : 'off'}` : ''}` +
          ` (${result.seconds} s)\n`,
      );
      console.log(ratioTable(result.contenders));
      console.log('');
      console.log(markdownTable(result.contenders));
      console.log('');
      const versus = result.elementVsPartysocket;
      if (versus)
        console.log(
          `- <ws-connection> vs partysocket: push ${ratio(versus.push)}, echo ${ratio(versus.echo)} ` +
            `(push > 1 and echo < 1: the element is faster)`,
        );
      printResumeRatios(result.resumeVsElement);
      for (const target of result.targets)
        console.log(`- ${target.met ? 'met' : 'MISSED'}: ${target.target} (${target.measured})`);
    }
    if (leak) {
      console.log('\n## leak check (Chromium)\n');
      for (const [unmount, run] of Object.entries(leak.element)) {
        console.log(
          `- leak, ${run.cycles} elements unmounted ${unmount === 'afterOpen' ? 'after open' : 'immediately'}: ` +
            `server open connections ${run.serverOpenAfter}, live timers ${run.liveTimers}, ` +
            `heap growth ${run.heapGrowthKiB.toFixed(1)} KiB after GC`,
        );
      }
      console.log(
        `- leak, ${leak.core.cycles} core Connection cycles: live timers ${leak.core.timers.live} ` +
          `(${leak.core.timers.set} set, ${leak.core.timers.cleared} cleared, ${leak.core.timers.fired} fired), ` +
          `server open connections ${leak.core.serverOpenAfter}, heap growth ${leak.core.heapGrowthKiB.toFixed(1)} KiB`,
      );
    }
    console.log(`\nwrote bench/results.json (${output.seconds} s)`);
    if (sharingWanted) await sharing(server);
    if (firstOpenWanted)
      await firstOpen(
        server,
        engines.filter((engine) => !failed[engine]),
      );
    const failures = Object.keys(failed);
    if (failures.length > 0) throw new Error(`no results from ${failures.join(', ')} (see above)`);
  } finally {
    await server.close();
  }
}

if (args.only !== undefined && !['sharing', 'first-open', 'resume'].includes(args.only)) {
  console.error('--only takes sharing, first-open or resume');
  process.exit(1);
}
const onlySharing = args.only === 'sharing';
const onlyFirstOpen = args.only === 'first-open';
const onlyResume = args.only === 'resume';
/** @type {Engine[]} */
let engines;
try {
  engines = onlySharing ? ['chromium'] : chosenEngines();
  if (onlySharing && !engineFound('chromium'))
    throw new Error(`--only sharing: Chromium is not installed (${ENGINE_PACKAGES.chromium})`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
const leakWanted = !args.only && !args['no-leak'] && engines.includes('chromium');
const sharingWanted = !args.only && !args['no-sharing'] && engines.includes('chromium');
const firstOpenWanted = !args.only && !args['no-first-open'];
runBench(
  'bench',
  onlySharing
    ? BUDGET_SHARING_MS
    : onlyFirstOpen
      ? engines.length * BUDGET_FIRST_OPEN_MS
      : onlyResume
        ? engines.length * BUDGET_PER_ENGINE_MS
        : engines.length * (BUDGET_PER_ENGINE_MS + (firstOpenWanted ? BUDGET_FIRST_OPEN_MS : 0)) +
          (leakWanted ? BUDGET_LEAK_MS : 0) +
          (sharingWanted ? BUDGET_SHARING_MS : 0),
  main,
);
