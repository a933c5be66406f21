// @ts-check
/**
 * Starts each engine's browser as a plain child process that opens one URL,
 * with no driver and no remote debugging: the bench pages run themselves and
 * POST their results, so nothing (a DevTools Network domain, a WebDriver BiDi
 * network listener) can observe the frames being measured.
 *
 * - chromium: headless Chromium (bench/chromium.js);
 * - firefox:  `firefox-esr --headless --no-remote --profile DIR URL`, with a fresh profile whose user.js holds the
 *   test prefs minus `network.websocket.delay-failed-reconnects`, which keeps Firefox's default (on): the reconnect
 *   row then shows what users get;
 * - webkit:   WebKitGTK's MiniBrowser, which has no headless mode, in a window under Xvfb (started here on a free
 *   display when `DISPLAY` is unset), in private mode with its XDG folders in a temporary directory.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  ENGINE_PACKAGES,
  findChromium,
  findFirefox,
  findWebKit,
  firefoxPrefs,
  versionOf,
} from '../test/server/engines.js';
import { onProcessEnd } from '../test/server/process-end.js';

/** @typedef {import('../test/server/engines.js').Engine} Engine */

const execFileAsync = promisify(execFile);

/**
 * @typedef {object} Browser
 * @property {number} pid
 * @property {Promise<string>} devtoolsUrl the browser's DevTools WebSocket URL (Chromium with `devtools` only)
 * @property {() => void} kill ends the process group at once
 * @property {() => Promise<void>} close ends it politely, then by force, and removes its temporary folders
 */

/** Every browser still running, so an error or Ctrl-C can end them all. */
const running = new Set();
/** @type {import('node:child_process').ChildProcess[]} */
const helpers = [];

/** Kills what is left, synchronously, e.g. from a process `exit` handler. */
export function killAllBrowsers() {
  for (const browser of running) browser.kill();
  for (const helper of helpers) helper.kill('SIGKILL');
}

onProcessEnd(killAllBrowsers);

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

/**
 * Spawns a browser in its own process group, so its content, GPU and network
 * processes go with it, and tracks it until closed.
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, temporary: string[], onStderr?: (text: string) => void, name: string }} options
 *   `temporary`: folders removed after the browser ends
 * @returns {Browser & { exited: Promise<unknown>, stderr: () => string }}
 */
export function spawnBrowser(command, args, options) {
  const child = spawn(command, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
    env: { ...process.env, ...options.env },
  });
  const pid = /** @type {number} */ (child.pid);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (/** @type {string} */ chunk) => {
    stderr = (stderr + chunk).slice(-20000);
    options.onStderr?.(stderr);
  });
  child.once('error', (error) => {
    stderr += `\n${options.name} did not start: ${error.message}`;
  });
  const removeTemporary = () => {
    for (const dir of options.temporary) rmSync(dir, { recursive: true, force: true });
  };
  const kill = () => {
    running.delete(browser);
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  const browser = {
    pid,
    devtoolsUrl: Promise.reject(new Error(`${options.name}: no DevTools endpoint asked for`)),
    exited,
    stderr: () => stderr,
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
      removeTemporary();
    },
  };
  browser.devtoolsUrl.catch(() => {});
  running.add(browser);
  return browser;
}

/**
 * The Firefox prefs of a bench profile: the test suite's (engines.js), except
 * `network.websocket.delay-failed-reconnects`, left at Firefox's default (on)
 * so the reconnect row measures Firefox as users have it; plus the ones that
 * keep a fresh profile from opening welcome or policy tabs beside the bench page.
 */
export const benchFirefoxPrefs = {
  ...Object.fromEntries(
    Object.entries(firefoxPrefs).filter(([name]) => name !== 'network.websocket.delay-failed-reconnects'),
  ),
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'startup.homepage_welcome_url': '',
  'startup.homepage_welcome_url.additional': '',
  'browser.aboutwelcome.enabled': false,
  'toolkit.telemetry.reportingpolicy.firstRun': false,
  'datareporting.healthreport.uploadEnabled': false,
  'app.normandy.enabled': false,
  'extensions.update.enabled': false,
  'browser.safebrowsing.update.enabled': false,
  'browser.warnOnQuit': false,
};

/**
 * @param {string} url
 * @param {{ delayFailedReconnects?: boolean }} [options] `false` turns Firefox's reconnect throttle off, to show
 *   what part of the reconnect time it is; the default leaves it as users have it
 */
export function launchFirefox(url, { delayFailedReconnects = true } = {}) {
  const binary = findFirefox();
  if (!binary) throw new Error(`Firefox not found: install ${ENGINE_PACKAGES.firefox} or set FIREFOX_PATH.`);
  const profile = mkdtempSync(join(tmpdir(), 'ws-bench-firefox-'));
  const prefs = delayFailedReconnects
    ? benchFirefoxPrefs
    : { ...benchFirefoxPrefs, 'network.websocket.delay-failed-reconnects': false };
  const userJs = Object.entries(prefs)
    .map(([name, value]) => `user_pref(${JSON.stringify(name)}, ${JSON.stringify(value)});`)
    .join('\n');
  writeFileSync(join(profile, 'user.js'), `${userJs}\n`);
  return spawnBrowser(binary, ['--headless', '--no-remote', '--profile', profile, url], {
    name: 'Firefox',
    temporary: [profile],
    // The environment form of --headless as well, so no part of Firefox looks for an X display (there is none).
    env: { MOZ_HEADLESS: '1' },
  });
}

/** @type {Promise<string> | undefined} */
let xvfbDisplay;

/**
 * A display for WebKitGTK: `DISPLAY` when set, else an Xvfb started here
 * (once). `-displayfd` lets Xvfb take the first free display itself and
 * write its number once it accepts clients, so parallel test runs that hold
 * other displays (and their lock files) cannot collide with it.
 */
function display() {
  if (process.env.DISPLAY) return Promise.resolve(process.env.DISPLAY);
  xvfbDisplay ??= new Promise((resolve, reject) => {
    const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    });
    helpers.push(xvfb);
    const timer = setTimeout(() => reject(new Error('Xvfb named no display within 10 s.')), 10_000);
    let written = '';
    xvfb.stdio[3]?.on('data', (/** @type {Buffer} */ chunk) => {
      written += chunk.toString('utf8');
      if (!written.includes('\n')) return;
      clearTimeout(timer);
      resolve(`:${written.trim()}`);
    });
    xvfb.once('error', (error) => reject(new Error(`Xvfb did not start: ${error.message}`)));
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited (${code}) before naming a display.`)));
  });
  return xvfbDisplay;
}

/** @param {string} url */
export async function launchWebKit(url) {
  const webkit = findWebKit();
  if (!webkit) throw new Error(`WebKit not found: install ${ENGINE_PACKAGES.webkit}, or set MINIBROWSER_PATH.`);
  // The display first: if there is none, no temporary folder is left behind.
  const displayName = await display();
  const home = mkdtempSync(join(tmpdir(), 'ws-bench-webkit-'));
  return spawnBrowser(webkit.browser, ['--private', url], {
    name: 'MiniBrowser',
    temporary: [home],
    // Its caches and website data go to the temporary folder, not the user's.
    env: {
      DISPLAY: displayName,
      XDG_CACHE_HOME: join(home, 'cache'),
      XDG_DATA_HOME: join(home, 'data'),
      XDG_CONFIG_HOME: join(home, 'config'),
    },
  });
}

/**
 * The browser binary of an engine, or undefined when it is not installed.
 * @param {Engine} engine
 */
export function browserBinary(engine) {
  if (engine === 'chromium') return findChromium();
  if (engine === 'firefox') return findFirefox();
  return findWebKit()?.browser;
}

/**
 * The version an engine reports. MiniBrowser prints the WebKitGTK version
 * with `--version`, but only with a display to open.
 * @param {Engine} engine
 * @returns {Promise<string | null>}
 */
export async function engineVersion(engine) {
  const binary = browserBinary(engine);
  if (!binary) return null;
  if (engine !== 'webkit') return versionOf(binary);
  try {
    const { stdout } = await execFileAsync(binary, ['--version'], {
      env: { ...process.env, DISPLAY: await display() },
    });
    return stdout.trim();
  } catch {
    return null;
  }
}
