// @ts-check
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname } from 'node:path';

/** What the static server serves: URL path → file, relative to the package root (where the runner starts). */
const FILES = /** @type {Record<string, string>} */ ({
  '/bfcache.html': 'test/fixtures/bfcache.html',
  '/bfcache.js': 'test/fixtures/bfcache.js',
  '/elsewhere.html': 'test/fixtures/elsewhere.html',
  '/ws-connection.min.js': 'dist/ws-connection.min.js',
  '/dist/ws-connection.min.js': 'dist/ws-connection.min.js',
  // The share chunk beside the bundle, found relative to it as on a CDN.
  '/share.min.js': 'dist/share.min.js',
  '/dist/share.min.js': 'dist/share.min.js',
  '/test/fixtures/share-tabs.html': 'test/fixtures/share-tabs.html',
  '/test/fixtures/share-tabs.js': 'test/fixtures/share-tabs.js',
});
const TYPES = /** @type {Record<string, string>} */ ({ '.html': 'text/html', '.js': 'text/javascript' });
/**
 * `executeServerCommand('back-forward', { search })`: opens
 * test/fixtures/bfcache.html with `search` in a tab of its own (the back/forward
 * cache takes only top-level pages), waits until its log (sessionStorage
 * `bfcache-log`, see test/fixtures/bfcache.js) reads `open`, navigates to
 * another page, goes back, waits for the next `open`, and answers the log.
 *
 * The pages come from a small static server of this plugin's own, not from
 * the test runner: the runner injects an `unload` listener into every page it
 * serves, which keeps Chromium from caching it. `second-origin` answers that
 * server's origin, which also serves the bundle as a CDN would.
 * @returns {import('@web/test-runner').TestRunnerPlugin}
 */
export function historyPlugin() {
  /** @type {import('node:http').Server | undefined} */
  let pages;
  let origin = '';
  return {
    name: 'back-forward',
    async serverStart() {
      pages = createServer((request, response) => {
        const file = FILES[new URL(request.url ?? '/', 'http://x').pathname];
        if (!file) return void response.writeHead(404).end();
        readFile(file).then(
          (body) =>
            response
              // The bundle is also imported cross-origin, as from a CDN (share-tabs.test.ts).
              .writeHead(200, {
                'content-type': TYPES[extname(file)] ?? 'text/plain',
                'access-control-allow-origin': '*',
              })
              .end(body),
          () => response.writeHead(500).end(),
        );
      });
      await new Promise((resolve) => pages?.listen(0, '127.0.0.1', () => resolve(undefined)));
      const address = pages.address();
      origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    },
    async serverStop() {
      await new Promise((resolve) => (pages ? pages.close(() => resolve(undefined)) : resolve(undefined)));
    },
    async executeCommand({ command, payload, session }) {
      // The static server's origin: another origin than the test runner's, as a CDN is.
      if (command === 'second-origin') return origin;
      if (command !== 'back-forward') return undefined;
      const { search } = /** @type {{ search: string }} */ (payload);
      const launcher = /** @type {Launcher} */ (/** @type {unknown} */ (session.browser));
      const url = `${origin}/bfcache.html${search}`;
      const elsewhere = `${origin}/elsewhere.html`;
      return launcher.driver ? viaWebDriver(launcher.driver, url, elsewhere) : viaPuppeteer(launcher, url, elsewhere);
    },
  };
}

/**
 * @typedef {object} Launcher
 * @property {{ newPage(): Promise<import('puppeteer-core').Page> }} [browser] puppeteer (Chromium, Firefox)
 * @property {WebDriver} [driver] webdriverio (WebKit)
 */
/**
 * @typedef {object} WebDriver
 * @property {(script: string) => Promise<unknown>} execute
 * @property {() => Promise<string>} getWindowHandle
 * @property {(url: string) => Promise<unknown>} newWindow
 * @property {(url: string) => Promise<unknown>} navigateTo
 * @property {() => Promise<unknown>} back
 * @property {() => Promise<unknown>} closeWindow
 * @property {(handle: string) => Promise<unknown>} switchToWindow
 */

const READ_LOG = "return JSON.parse(sessionStorage.getItem('bfcache-log') || '[]')";

/**
 * Polls the log until `done` holds or 10 s pass; answers the last log read. A read that fails (the page is
 * between documents: Firefox answers "The operation is insecure") keeps the log read before.
 * @param {() => Promise<string[]>} read @param {(log: string[]) => boolean} done
 */
async function pollUntil(read, done) {
  const started = Date.now();
  /** @type {string[]} */
  let log = [];
  for (;;) {
    log = await read().catch(() => log);
    if (done(log) || Date.now() - started >= 10000) return log;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const opens = (/** @type {string[]} */ log) => log.filter((entry) => entry === 'open').length;
/** The page was shown again after it was hidden, and its element opened since. @param {string[]} log */
const backAndOpen = (log) => {
  const shownAgain = log.findIndex(
    (entry, index) => entry.startsWith('pageshow') && log.slice(0, index).some((e) => e.startsWith('pagehide')),
  );
  return shownAgain >= 0 && log.slice(shownAgain).includes('open');
};

/** @param {Launcher} launcher @param {string} url @param {string} elsewhere */
async function viaPuppeteer(launcher, url, elsewhere) {
  if (!launcher.browser) throw new Error('No puppeteer browser in this launcher.');
  const page = await launcher.browser.newPage();
  try {
    const read = () =>
      page.evaluate(() => /** @type {string[]} */ (JSON.parse(sessionStorage.getItem('bfcache-log') ?? '[]')));
    await page.goto(url);
    await pollUntil(read, (log) => opens(log) === 1);
    await page.goto(elsewhere);
    // A page restored from the cache fires no load event, so the navigation itself is not awaited.
    void page.goBack().catch(() => undefined);
    return await pollUntil(read, backAndOpen);
  } finally {
    await page.close();
  }
}

/** @param {WebDriver} driver @param {string} url @param {string} elsewhere */
async function viaWebDriver(driver, url, elsewhere) {
  const testWindow = await driver.getWindowHandle();
  const read = async () => /** @type {string[]} */ (await driver.execute(READ_LOG));
  await driver.newWindow(url);
  try {
    await pollUntil(read, (log) => opens(log) === 1);
    await driver.navigateTo(elsewhere);
    await driver.back();
    return await pollUntil(read, backAndOpen);
  } finally {
    await driver.closeWindow();
    await driver.switchToWindow(testWindow);
  }
}
