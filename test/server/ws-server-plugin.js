// @ts-check
import { startFaultServer } from './fault-server.js';

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
        // Offline emulation cuts the page off from the test runner too, so the page cannot
        // ask to come back: the plugin itself restores the network after `ms`, and kills
        // the scope's connections once offline, as a network loss would.
        const { ms, kill } = /** @type {{ ms: number, kill?: string }} */ (payload);
        const browser = /** @type {{ getPage(id: string): import('puppeteer-core').Page }} */ (
          /** @type {unknown} */ (session.browser)
        );
        const page = browser.getPage(session.id);
        // The page hears of the change a moment after the protocol call returns: kill a little later.
        setTimeout(async () => {
          await page.setOfflineMode(true);
          setTimeout(() => kill && server?.control({ scope: kill, action: 'kill' }), 150);
          setTimeout(() => void page.setOfflineMode(false), ms);
        }, 50);
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
