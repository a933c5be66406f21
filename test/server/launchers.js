// @ts-check
/**
 * A @web/test-runner launcher for each engine (see engines.js). WebKit needs
 * a WebDriver server and an X display: both are started here, once, and
 * stopped when the Node process exits.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { chromeLauncher, puppeteerCore } from '@web/test-runner-chrome';
import { webdriverLauncher } from '@web/test-runner-webdriver';
import { onProcessEnd } from './process-end.js';
import { chromeArgs, findChromium, findFirefox, findWebKit, firefoxPrefs } from './engines.js';

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** @type {import('node:child_process').ChildProcess[]} */
const children = [];
// SIGTERM, not SIGKILL: Xvfb removes its display lock file only when it can shut down.
onProcessEnd(() => {
  for (const child of children) child.kill('SIGTERM');
});

/**
 * Spawns a helper process that lives as long as the test run.
 * @param {string} command @param {string[]} args @param {NodeJS.ProcessEnv} [env]
 */
function spawnHelper(command, args, env) {
  const child = spawn(command, args, { stdio: 'ignore', env: { ...process.env, ...env } });
  children.push(child);
  return child;
}

/** Waits until something accepts TCP connections on `port`. @param {number} port */
async function portOpen(port, timeout = 10000) {
  const started = Date.now();
  while (Date.now() - started < timeout) {
    const ok = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Nothing listened on port ${port} within ${timeout} ms.`);
}

/** Whether display `number` has a live X server: a lock file whose process still runs. @param {number} number */
function displayTaken(number) {
  const lock = `/tmp/.X${number}-lock`;
  if (!existsSync(lock)) return false;
  const pid = Number(readFileSync(lock, 'utf8').trim());
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    // A lock left by an X server that was killed: Xvfb replaces a stale lock itself.
    return false;
  }
}

/** A display for WebKitGTK: `DISPLAY` when set, else an Xvfb started here. */
async function display() {
  if (process.env.DISPLAY) return process.env.DISPLAY;
  for (let number = 90; number < 110; number++) {
    if (displayTaken(number)) continue;
    const xvfb = spawnHelper('Xvfb', [`:${number}`, '-screen', '0', '1280x1024x24', '-nolisten', 'tcp']);
    const exited = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), 500);
      xvfb.once('exit', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!exited) return `:${number}`;
  }
  throw new Error('Could not start Xvfb on displays :90 to :109.');
}

/** @param {'chromium' | 'firefox' | 'webkit'} engine */
export async function launcherFor(engine) {
  if (engine === 'chromium') {
    return chromeLauncher({ launchOptions: { executablePath: findChromium(), args: chromeArgs, headless: true } });
  }
  if (engine === 'firefox') {
    return chromeLauncher({
      puppeteer: /** @type {any} */ (puppeteerCore),
      launchOptions: {
        browser: 'firefox',
        executablePath: findFirefox(),
        headless: true,
        extraPrefsFirefox: firefoxPrefs,
      },
    });
  }
  const webkit = findWebKit();
  if (!webkit) throw new Error('WebKit not found');
  const port = await freePort();
  spawnHelper(webkit.driver, [`--port=${port}`, '--host=127.0.0.1'], { DISPLAY: await display() });
  await portOpen(port);
  const launcher = webdriverLauncher({
    hostname: '127.0.0.1',
    port,
    path: '/',
    logLevel: 'error',
    capabilities: /** @type {any} */ ({
      'webkitgtk:browserOptions': { binary: webkit.browser, args: ['--automation'] },
    }),
  });
  // WebKitGTK refuses a `browserName` capability, from which the launcher would take its label.
  const initialize = launcher.initialize.bind(launcher);
  launcher.initialize = async (config, testFiles) => {
    await initialize(config, testFiles);
    launcher.name = 'WebKit';
  };
  return launcher;
}
