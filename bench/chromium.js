// @ts-check
/**
 * Starts headless Chromium as a plain child process. The measured runs start
 * it without any remote debugging, so nothing can enable the DevTools Network
 * domain (which reports every frame to the driver and halves throughput);
 * only the leak check and the profiler ask for a DevTools endpoint.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromeArgs, findChromium } from '../test/server/engines.js';
import { spawnBrowser } from './browsers.js';

export { killAllBrowsers, runBench } from './browsers.js';

/** @typedef {import('./browsers.js').Browser} Browser */

/** @returns {string} */
export function chromePath() {
  const path = findChromium();
  if (!path)
    throw new Error('No Chrome or Chromium found: install one (Debian: apt-get install chromium) or set CHROME_PATH.');
  return path;
}

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
  /** @type {(url: string) => void} */
  let listening = () => {};
  const devtoolsUrl = /** @type {Promise<string>} */ (new Promise((resolve) => (listening = resolve)));
  const browser = spawnBrowser(chromePath(), args, {
    name: 'Chromium',
    temporary: [userDataDir],
    onStderr(stderr) {
      const found = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
      if (found?.[1]) listening(found[1]);
    },
  });
  if (!options.devtools) return browser;
  const failed = browser.exited.then((code) => {
    throw new Error(`Chromium exited (${code}) before DevTools listened:\n${browser.stderr()}`);
  });
  return { ...browser, devtoolsUrl: Promise.race([devtoolsUrl, failed]) };
}
