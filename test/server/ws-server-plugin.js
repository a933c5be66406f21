// @ts-check
import { execFileSync } from 'node:child_process';
import { startFaultServer } from './fault-server.js';

/**
 * The machine's default route inside the private network namespace the WebKit run is started in
 * (scripts/test.js), as `ip route` words: WebKitGTK takes `navigator.onLine` from whether a default
 * route exists, so removing it takes the page offline for real while loopback keeps working.
 */
const offlineRoute = process.env.WS_TEST_DEFAULT_ROUTE;

/** @param {boolean} offline */
function setRoute(offline) {
  if (!offlineRoute) return;
  const route = offline ? ['del', 'default'] : ['replace', 'default', ...offlineRoute.split(' ')];
  execFileSync('ip', ['route', ...route], { stdio: 'ignore' });
}

/**
 * How a session's page goes offline: DevTools or BiDi network emulation through puppeteer (Chromium,
 * Firefox), or the namespace's default route (WebKit). `undefined` where neither is available.
 * @param {import('@web/test-runner').TestSession} session
 * @returns {{ setOffline(offline: boolean): Promise<void>, offlineNoticed(): Promise<void> } | undefined}
 */
function pageNetwork(session) {
  const launcher =
    /** @type {{ type?: string, getPage?(id: string): import('puppeteer-core').Page, driver?: { execute(script: string): Promise<unknown> } }} */ (
      /** @type {unknown} */ (session.browser)
    );
  if (launcher.getPage) {
    const page = launcher.getPage(session.id);
    return {
      setOffline: (offline) => page.setOfflineMode(offline),
      // The page hears of the change a moment after the protocol call returns.
      offlineNoticed: () => new Promise((resolve) => setTimeout(resolve, 50)),
    };
  }
  const driver = launcher.driver;
  if (!offlineRoute || !driver) return undefined;
  return {
    setOffline: async (offline) => setRoute(offline),
    // WebKitGTK notices a route change after about 3 s.
    offlineNoticed: async () => {
      const started = Date.now();
      while (Date.now() - started < 10000) {
        if ((await driver.execute('return navigator.onLine')) === false) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

/**
 * Starts the fault-injecting WebSocket server with the test run and lets
 * browser tests drive it through `executeServerCommand('ws-server', …)`.
 * Also `go-offline`, which takes the page offline for real (navigator.onLine
 * and the online/offline events) through the DevTools protocol, for a while,
 * and `freeze-and-resume`, which freezes the page and lets it resume
 * (Chromium only).
 * @returns {import('@web/test-runner').TestRunnerPlugin}
 */
export function wsServerPlugin() {
  /** @type {Awaited<ReturnType<typeof startFaultServer>> | undefined} */
  let server;
  return {
    name: 'ws-fault-server',
    async serverStart() {
      server = await startFaultServer();
    },
    async serverStop() {
      await server?.close();
    },
    async executeCommand({ command, payload, session }) {
      if (command === 'ws-server') {
        if (!server) throw new Error('The fault server is not running.');
        return server.control(/** @type {{ action: string }} */ (payload));
      }
      if (command === 'go-offline') {
        // Offline cuts the page off from the test runner too (Chromium, Firefox), so the page cannot ask
        // to come back: the plugin itself restores the network after `ms`, and kills the scope's
        // connections once the page is offline, as a network loss would.
        const { ms, kill } = /** @type {{ ms: number, kill?: string }} */ (payload);
        const network = pageNetwork(session);
        if (!network) throw new Error('This engine has no way to go offline in this run (see README).');
        void (async () => {
          await network.setOffline(true);
          await network.offlineNoticed();
          setTimeout(() => kill && server?.control({ scope: kill, action: 'kill' }), 150);
          setTimeout(() => void network.setOffline(false), ms);
        })();
        return true;
      }
      if (command === 'freeze-and-resume') {
        // The Page Lifecycle's frozen state and its `resume` event exist only in Chromium, and only
        // the DevTools protocol can put a page there (Page.setWebLifecycleState). Firefox is driven
        // over WebDriver BiDi and WebKit over WebDriver: neither has a lifecycle command, nor the
        // event, so their tests dispatch `resume` themselves. Freezing also cuts a page's link to
        // the test runner, so the page frozen is another one, found by `url` (a part of its URL),
        // and the plugin thaws it after `ms`, answering once it has.
        const { ms, url } = /** @type {{ ms: number, url: string }} */ (payload);
        const browser = /** @type {{ getPage(id: string): import('puppeteer-core').Page }} */ (
          /** @type {unknown} */ (session.browser)
        );
        const pages = await browser.getPage(session.id).browser().pages();
        const page = pages.find((candidate) => candidate.url().includes(url));
        if (!page) throw new Error(`No page to freeze has "${url}" in its URL.`);
        const cdp = await page.createCDPSession();
        try {
          await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
          await new Promise((resolve) => setTimeout(resolve, ms));
          await cdp.send('Page.setWebLifecycleState', { state: 'active' });
        } finally {
          await cdp.detach();
        }
        return true;
      }
      return undefined;
    },
  };
}
