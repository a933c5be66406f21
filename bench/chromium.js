// @ts-check
/**
 * Starts headless Chromium as a plain child process. The measured runs start
 * it without any remote debugging, so nothing can enable the DevTools Network
 * domain (which reports every frame to the driver and halves throughput);
 * only the leak check and the profiler ask for a DevTools endpoint.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromeArgs, findChromium } from '../test/server/engines.js';

/** Every browser still running, so an error or Ctrl-C can end them all. */
const running = new Set();

/** Kills what is left, synchronously, e.g. from a process `exit` handler. */
export function killAllBrowsers() {
  for (const browser of running) browser.kill();
}

process.once('exit', killAllBrowsers);
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.once(signal, () => {
    killAllBrowsers();
    process.exit(130);
  });
}

/**
 * Runs a bench entry point to its end, then exits: 0 when `main` resolved, 1
 * with every browser killed when it threw or ran past `budgetMs`, so a hung
 * browser can never keep the command alive.
 * @param {string} name as printed
 * @param {number} budgetMs
 * @param {() => Promise<void>} main
 */
export function runBench(name, budgetMs, main) {
  setTimeout(() => {
    console.error(`${name}: still running after ${budgetMs / 1000} s; stopping.`);
    killAllBrowsers();
    process.exit(1);
  }, budgetMs).unref();
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      killAllBrowsers();
      process.exit(1);
    },
  );
}

/** @returns {string} */
export function chromePath() {
  const path = findChromium();
  if (!path)
    throw new Error('No Chrome or Chromium found: install one (Debian: apt-get install chromium) or set CHROME_PATH.');
  return path;
}

/**
 * @typedef {object} Browser
 * @property {number} pid
 * @property {Promise<string>} devtoolsUrl the browser's DevTools WebSocket URL (only with `devtools`)
 * @property {() => void} kill ends the process group at once
 * @property {() => Promise<void>} close ends it politely, then by force, and removes its profile
 */

/**
 * @param {string} url the page to open
 * @param {{ devtools?: boolean, extraArgs?: string[] }} [options]
 * @returns {Browser}
 */
export function launchChromium(url, options = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'ws-bench-chromium-'));
  const args = [
    ...chromeArgs,
    '--mute-audio',
    '--disable-extensions',
    `--user-data-dir=${userDataDir}`,
    ...(options.devtools ? ['--remote-debugging-port=0'] : []),
    ...(options.extraArgs ?? []),
    url,
  ];
  // Its own process group, so the renderer and helper processes go with it.
  const child = spawn(chromePath(), args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const pid = /** @type {number} */ (child.pid);
  const exited = new Promise((resolve) => child.once('exit', resolve));

  let stderr = '';
  const devtoolsUrl = new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (/** @type {string} */ chunk) => {
      stderr = (stderr + chunk).slice(-20000);
      const found = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
      if (found) resolve(found[1]);
    });
    child.once('exit', (code) => reject(new Error(`Chromium exited (${code}) before DevTools listened:\n${stderr}`)));
  });
  if (!options.devtools) devtoolsUrl.catch(() => {});

  const kill = () => {
    running.delete(browser);
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  /** @type {Browser} */
  const browser = {
    pid,
    devtoolsUrl,
    kill,
    async close() {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
      const timeout = new Promise((resolve) => setTimeout(resolve, 3000).unref());
      if ((await Promise.race([exited.then(() => 'exited'), timeout])) !== 'exited') kill();
      running.delete(browser);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
  running.add(browser);
  return browser;
}
