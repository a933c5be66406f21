// @ts-check
/**
 * `npm run bench:storm`: a reconnect storm, as a server fleet sees a deploy.
 * 2,000 instances of the core `Connection` (Node, the `ws` client) hold
 * connections to a real local server (its own process); the server then
 * restarts: every connection dies, nothing listens for 500 ms, then it
 * listens on the same port again. Counted per 100 ms window from the moment
 * the server went down: retries by the time the backoff makes them due (the
 * schedule itself), attempts as the clients made them (sockets the core
 * constructed, refused ones included) and upgrade requests the server saw;
 * and the time until all 2,000 are open again.
 * Run for retryJitter 0 (the naive schedule), 0.5 (the default) and 1, with
 * retryFactor 2 and retryDelay 1000 ms (the default), then again with
 * retryDelay 2000 ms, longer than the outage plus the drop's own spread.
 * Writes bench/storm.json and the histograms to bench/storm.svg.
 */
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDist, root } from './build.js';
import { machineInfo } from './machine.js';
import { writeJson } from './write-json.js';
import { stormSvg } from './storm/plot.js';

const CLIENTS = 2000;
const DOWN_MS = 500;
const WINDOW_MS = 100;
const JITTERS = [0, 0.5, 1];
/** The contract's backoff; within a set only retryJitter changes. */
const BACKOFFS = [
  { retryDelay: 1000, retryFactor: 2, retryMaxDelay: 30000 },
  { retryDelay: 2000, retryFactor: 2, retryMaxDelay: 30000 },
];
/** How long after all are open attempts are still recorded (none should come). */
const TAIL_MS = 500;

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @type {Set<import('node:child_process').ChildProcess>} */
const servers = new Set();
process.once('exit', () => {
  for (const server of servers) server.kill('SIGKILL');
});
setTimeout(() => {
  console.error('bench:storm: over 4.5 minutes; stopping.');
  process.exit(1);
}, 270_000).unref();

/**
 * Starts the server process and resolves once it listens.
 * @returns {Promise<{ port: number, child: import('node:child_process').ChildProcess, next: (type: string) => Promise<any> }>}
 */
async function startServer() {
  const child = fork(join(root, 'bench/storm/server.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  servers.add(child);
  child.once('exit', () => servers.delete(child));
  /** @param {string} type */
  const next = (type) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`storm server: no ${type} message`)), 30000);
      /** @param {any} message */
      const listener = (message) => {
        if (message.type !== type) return;
        clearTimeout(timer);
        child.off('message', listener);
        resolve(message);
      };
      child.on('message', listener);
    });
  const { port } = await next('listening');
  return { port, child, next };
}

/**
 * Counts per window from `from` (epoch ms) to `to`.
 * @param {number[]} times epoch ms
 * @param {number} from
 * @param {number} to
 */
function perWindow(times, from, to) {
  const windows = Array.from({ length: Math.max(1, Math.ceil((to - from) / WINDOW_MS)) }, (_, i) => ({
    startMs: i * WINDOW_MS,
    attempts: 0,
  }));
  for (const time of times) {
    const index = Math.floor((time - from) / WINDOW_MS);
    const window = windows[index];
    if (window) window.attempts++;
  }
  return windows;
}

/**
 * @param {number} retryJitter
 * @param {{ retryDelay: number, retryFactor: number, retryMaxDelay: number }} backoff
 */
async function storm(retryJitter, backoff) {
  const { createClients } = await import('./storm/clients.js');
  const server = await startServer();
  const clients = createClients({
    count: CLIENTS,
    url: `ws://127.0.0.1:${server.port}/`,
    options: { ...backoff, retryJitter },
  });
  try {
    await clients.connectAll(100, 25, 60000);
    const attemptsBefore = clients.attempts.length;
    await sleep(300);

    const wentDown = server.next('down');
    const listening = server.next('listening');
    server.child.send({ type: 'restart', downMs: DOWN_MS });
    const down = (await wentDown).at;
    await clients.when((open) => open === 0, 10000);
    const allOpen = await clients.when((open) => open === CLIENTS, 60000);
    const back = (await listening).at;
    await sleep(TAIL_MS);
    server.child.send({ type: 'report' });
    const report = await server.next('report');

    const end = allOpen + TAIL_MS;
    const attempts = clients.attempts.slice(attemptsBefore).filter((time) => time >= down);
    const upgrades = report.upgrades.filter((/** @type {number} */ time) => time >= down);
    const due = clients.due.filter((time) => time >= down);
    const dueWindows = perWindow(due, down, end);
    const attemptWindows = perWindow(attempts, down, end);
    const upgradeWindows = perWindow(upgrades, down, end);
    const peak = (/** @type {{ attempts: number }[]} */ windows) =>
      Math.max(...windows.map((window) => window.attempts));
    return {
      retryDelay: backoff.retryDelay,
      retryJitter,
      serverBackMs: back - down,
      allOpenMs: allOpen - down,
      retries: due.length,
      attempts: attempts.length,
      upgradeRequests: upgrades.length,
      peakDuePer100ms: peak(dueWindows),
      peakAttemptsPer100ms: peak(attemptWindows),
      peakUpgradesPer100ms: peak(upgradeWindows),
      dueWindows,
      attemptWindows,
      upgradeWindows,
    };
  } finally {
    clients.closeAll();
    await sleep(200);
    server.child.send({ type: 'exit' });
  }
}

/**
 * The three jitter settings with one backoff, and whether the default meets the target.
 * @param {{ retryDelay: number, retryFactor: number, retryMaxDelay: number }} backoff
 */
async function stormSet(backoff) {
  /** @type {Awaited<ReturnType<typeof storm>>[]} */
  const runs = [];
  for (const jitter of JITTERS) {
    const run = await storm(jitter, backoff);
    runs.push(run);
    console.log(
      `retryDelay ${backoff.retryDelay}, retryJitter ${jitter}: peak per ${WINDOW_MS} ms: ${run.peakDuePer100ms} due, ` +
        `${run.peakAttemptsPer100ms} made, ${run.peakUpgradesPer100ms} seen by the server; ${run.attempts} attempts; ` +
        `server back after ${Math.round(run.serverBackMs)} ms, all ${CLIENTS} open after ${Math.round(run.allOpenMs)} ms`,
    );
  }
  const naive = /** @type {(typeof runs)[number]} */ (runs.find((run) => run.retryJitter === 0));
  const byJitter = runs.map((run) => ({
    ...run,
    label: `${run.retryJitter}${run.retryJitter === 0 ? ' (naive)' : run.retryJitter === 0.5 ? ' (default)' : ''}`,
    peakCut: naive.peakDuePer100ms / run.peakDuePer100ms,
    madePeakCut: naive.peakAttemptsPer100ms / run.peakAttemptsPer100ms,
    serverPeakCut: naive.peakUpgradesPer100ms / run.peakUpgradesPer100ms,
    timeVsNaive: run.allOpenMs / naive.allOpenMs,
  }));
  const fallback = /** @type {(typeof byJitter)[number]} */ (byJitter.find((run) => run.retryJitter === 0.5));
  const verdict = {
    retryDelay: backoff.retryDelay,
    target: 'retryJitter 0.5 cuts the peak of due retries ≥ 3× against 0, and all are open within 2× the naive time',
    peakCut: fallback.peakCut,
    madePeakCut: fallback.madePeakCut,
    serverPeakCut: fallback.serverPeakCut,
    timeVsNaive: fallback.timeVsNaive,
    met: fallback.peakCut >= 3 && fallback.timeVsNaive <= 2,
  };
  return { backoff, verdict, runs: byJitter };
}

async function main() {
  ensureDist();
  const sets = [];
  for (const backoff of BACKOFFS) sets.push(await stormSet(backoff));

  const table = [
    '| retryDelay (ms) | retryJitter | peak due / 100 ms | cut vs 0 | peak made / 100 ms | cut vs 0 | peak seen by server / 100 ms | cut vs 0 | attempts | all open after (ms) | × naive time |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...sets.flatMap((set) =>
      set.runs.map(
        (run) =>
          `| ${run.retryDelay} | ${run.label} | ${run.peakDuePer100ms} | ${run.peakCut.toFixed(1)}× | ` +
          `${run.peakAttemptsPer100ms} | ${run.madePeakCut.toFixed(1)}× | ${run.peakUpgradesPer100ms} | ` +
          `${run.serverPeakCut.toFixed(1)}× | ${run.attempts} | ${Math.round(run.allOpenMs)} | ${run.timeVsNaive.toFixed(2)} |`,
      ),
    ),
  ].join('\n');
  console.log(`\n${table}\n`);
  for (const { verdict } of sets) {
    console.log(
      `- retryDelay ${verdict.retryDelay}: ${verdict.met ? 'met' : 'MISSED'}: ${verdict.target} ` +
        `(${verdict.peakCut.toFixed(1)}× lower peak of due retries, ${verdict.timeVsNaive.toFixed(2)}× the naive time)`,
    );
  }

  const svg = await stormSvg(
    sets.flatMap((set) =>
      set.runs.map((run) => ({
        label: `retryJitter ${run.label}`,
        column: `retryDelay ${run.retryDelay} ms`,
        due: run.dueWindows,
        made: run.attemptWindows,
      })),
    ),
    {
      windowMs: WINDOW_MS,
      downMs: DOWN_MS,
      title: `${CLIENTS} core connections (ws client), server down ${DOWN_MS} ms; retryFactor 2`,
    },
  );
  writeFileSync(join(root, 'bench/storm.svg'), svg);
  await writeJson(join(root, 'bench/storm.json'), {
    command: 'npm run bench:storm',
    machine: machineInfo(),
    clients: CLIENTS,
    serverDownMs: DOWN_MS,
    windowMs: WINDOW_MS,
    counted: {
      due: "retries by the time the backoff makes them due (the core's retry callback: now + delay)",
      made: 'sockets the core constructed, refused ones included',
      seenByServer: 'upgrade requests the server received',
    },
    verdicts: sets.map((set) => set.verdict),
    table,
    sets,
  });
  console.log('wrote bench/storm.json and bench/storm.svg');
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
