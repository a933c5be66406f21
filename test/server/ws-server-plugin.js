// @ts-check
import { startFaultServer } from './fault-server.js';

/**
 * Starts the fault-injecting WebSocket server with the test run and lets
 * browser tests drive it through `executeServerCommand('ws-server', …)`.
 * Also `go-offline`, which takes the page offline for real (navigator.onLine
 * and the online/offline events) through the DevTools protocol, for a while.
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
      return undefined;
    },
  };
}
