// @ts-check
/**
 * `npm run bench`: the raw WebSocket, `<ws-connection>` and three peer
 * libraries in the same headless Chromium, in alternating rounds
 * (A B C D E, A B C D E, …) so drift hits all alike; then the leak check.
 * Prints one markdown table and writes bench/results.json.
 *
 * One fresh Chromium, started WITHOUT remote debugging, runs every round:
 * each page runs itself, POSTs its results and navigates to the next
 * contender, so the DevTools Network domain is never on during measurement.
 * Its only extra flag, --expose-gc, lets each page collect garbage before a
 * measured loop.
 *
 *   node bench/run.js [--rounds N] [--no-leak]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startBenchServer } from './bench-server.js';
import { writeJson } from './write-json.js';
import { buildLibraries, ensureDist, root } from './build.js';
import { chromePath, launchChromium, runBench } from './chromium.js';
import { contenders } from './contenders/index.js';
import { runLeakCheck } from './leak.js';
import { machineInfo } from './machine.js';
import { evaluateTargets, markdownTable, summarize } from './report.js';

/** The whole bench must end by itself well inside five minutes, whatever hangs. */
const BUDGET_MS = 295_000;
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

const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, 'no-leak': { type: 'boolean', default: false } },
});
const rounds = Math.max(1, Number(args.rounds));

async function main() {
  const started = Date.now();
  ensureDist();
  const libraries = await buildLibraries();
  const server = await startBenchServer({ libraries });
  try {
    const order = contenders.map((contender) => contender.name);
    // Entry 0 warms up the fresh browser (its first page is always slower), with a tenth of the work; not recorded.
    const plan = ['raw', ...Array.from({ length: rounds }, () => order).flat()];
    const query = new URLSearchParams({ plan: plan.join(','), index: '0' });
    for (const [key, value] of Object.entries(parameters)) query.set(key, String(value));
    /** @type {(import('./report.js').RunResult & { round: number })[]} */
    const runs = [];
    const browser = launchChromium(`${server.origin}/run?${query}`, { extraArgs: ['--js-flags=--expose-gc'] });
    try {
      for (let index = 0; index < plan.length; index++) {
        const result = await server.result(String(index), 90_000);
        if (result.error) throw new Error(`${result.contender}, page ${index}: ${result.error}`);
        const round = Math.ceil(index / order.length);
        if (index > 0) runs.push({ ...result, round });
        const fps = Math.round(result.throughput.framesPerSecond).toLocaleString('en-US');
        console.log(
          `${index === 0 ? 'warm-up  ' : `round ${round}/${rounds}`} ${result.contender.padEnd(22)} ` +
            `${fps.padStart(7)} frames/s  echo ${result.echo.medianMs.toFixed(3)} ms  ` +
            `reconnect ${result.reconnect.medianMs.toFixed(1)} ms`,
        );
      }
    } finally {
      await browser.close();
    }

    let leak = null;
    if (!args['no-leak']) {
      console.log(`leak check: ${LEAK_CYCLES} mount/unmount cycles…`);
      leak = await runLeakCheck(server, { cycles: LEAK_CYCLES, coreCycles: CORE_CYCLES });
    }

    const rows = summarize({ contenders, runs, libraries });
    const targets = evaluateTargets(rows);
    const results = {
      command: 'npm run bench',
      machine: machineInfo(chromePath()),
      rounds,
      order,
      parameters,
      contenders: rows,
      targets,
      leak,
      runs,
      seconds: Math.round((Date.now() - started) / 1000),
    };
    await writeJson(join(root, 'bench/results.json'), results);

    const { machine } = results;
    console.log(
      `\n${machine.cpu}, ${machine.cores} cores, ${machine.chromium}, Node ${machine.node}, ${machine.date}; ` +
        `medians of ${rounds} rounds\n`,
    );
    console.log(markdownTable(rows));
    console.log('');
    for (const target of targets)
      console.log(`- ${target.met ? 'met' : 'MISSED'}: ${target.target} (${target.measured})`);
    if (leak) {
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
    console.log(`\nwrote bench/results.json (${results.seconds} s)`);
  } finally {
    await server.close();
  }
}

runBench('bench', BUDGET_MS, main);
