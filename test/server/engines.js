// @ts-check
/**
 * The three browser engines the suite runs in, each from Debian's packages,
 * found on this machine (nothing downloads a browser):
 *
 * - chromium: Chromium through puppeteer-core over the DevTools protocol;
 * - firefox:  Firefox ESR through puppeteer-core over WebDriver BiDi;
 * - webkit:   WebKitGTK's MiniBrowser through WebKitWebDriver (webdriverio).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** @typedef {'chromium' | 'firefox' | 'webkit'} Engine */

/** @type {readonly Engine[]} */
export const ENGINES = ['chromium', 'firefox', 'webkit'];

/** The Debian package that brings each engine, for the line that says what is missing. */
export const ENGINE_PACKAGES = {
  chromium: 'chromium',
  firefox: 'firefox-esr',
  webkit: 'webkit2gtk-driver (and xvfb where no display is set)',
};

/** Flags for a headless Chromium on a closed network, running as root in a container. */
export const chromeArgs = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Tests run in several tabs at once; background tabs must keep their timers on time.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

/**
 * Firefox preferences for the test profile.
 * - `network.websocket.delay-failed-reconnects`: Firefox holds back a WebSocket that follows a failed one to the
 *   same host and port by 260–1,840 ms, which would swamp the element's own backoff in timing tests. Users keep it
 *   (README says so).
 * - The rest keep a closed network quiet and a background page's timers on time.
 */
export const firefoxPrefs = {
  'network.websocket.delay-failed-reconnects': false,
  'dom.min_background_timeout_value': 4,
  'dom.timeout.enable_budget_timer_throttling': false,
  'browser.sessionstore.resume_from_crash': false,
  'app.update.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
};

/** @param {string[]} names @returns {string | undefined} */
function onPath(names) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of names) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

/** @returns {string | undefined} */
export function findChromium() {
  return process.env.CHROME_PATH || onPath(['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']);
}

/** @returns {string | undefined} */
export function findFirefox() {
  return process.env.FIREFOX_PATH || onPath(['firefox-esr', 'firefox']);
}

/**
 * WebKitGTK's MiniBrowser is not on PATH: Debian installs it in the library
 * folder of `libwebkit2gtk-4.1-0` (or 4.0, 6.0).
 * @returns {{ driver: string, browser: string } | undefined}
 */
export function findWebKit() {
  const driver = process.env.WEBKIT_DRIVER_PATH || onPath(['WebKitWebDriver']);
  if (!driver) return undefined;
  const candidates = process.env.MINIBROWSER_PATH
    ? [process.env.MINIBROWSER_PATH]
    : ['webkit2gtk-4.1', 'webkitgtk-6.0', 'webkit2gtk-4.0'].flatMap((folder) =>
        ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib'].map((lib) =>
          join(lib, folder, 'MiniBrowser'),
        ),
      );
  const browser = candidates.find((path) => existsSync(path));
  if (!browser) return undefined;
  if (!process.env.DISPLAY && !onPath(['Xvfb'])) return undefined;
  return { driver, browser };
}

/** @param {Engine} engine */
export function engineFound(engine) {
  if (engine === 'chromium') return Boolean(findChromium());
  if (engine === 'firefox') return Boolean(findFirefox());
  return Boolean(findWebKit());
}

/**
 * The engines a run asks for: `TEST_BROWSERS` (a comma list) or all three.
 * @returns {Engine[]}
 */
export function requestedEngines() {
  const list = (process.env.TEST_BROWSERS ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  if (list.length === 0) return [...ENGINES];
  const unknown = list.filter((name) => !ENGINES.includes(/** @type {Engine} */ (name)));
  if (unknown.length > 0) {
    throw new Error(`TEST_BROWSERS names unknown engines: ${unknown.join(', ')} (known: ${ENGINES.join(', ')})`);
  }
  return /** @type {Engine[]} */ (list);
}

/** The version an engine reports, for logs and README. @param {string} binary */
export function versionOf(binary) {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}
