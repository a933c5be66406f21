// @ts-check
import { startFaultServer } from './fault-server.js';

/**
 * Starts the fault-injecting WebSocket server with the test run and lets
 * browser tests drive it through `executeServerCommand('ws-server', …)`.
 * Also `set-offline`, which emulates the browser going offline for real
 * (navigator.onLine and the online/offline events) through the DevTools protocol.
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
      if (command === 'set-offline') {
        const browser = /** @type {{ getPage(id: string): import('puppeteer-core').Page }} */ (
          /** @type {unknown} */ (session.browser)
        );
        await browser.getPage(session.id).setOfflineMode(Boolean(payload));
        return true;
      }
      return undefined;
    },
  };
}
