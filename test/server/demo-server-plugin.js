// @ts-check
import { startDemoServer } from '../../demo/server.js';

/**
 * Lets browser tests start and stop the demo server (demo/server.js) on a free
 * port through `executeServerCommand('demo-server', { action: 'start' | 'stop' })`.
 * `start` answers the server's origin (`http://127.0.0.1:PORT`). Starts are
 * counted, so test files sharing the server stop it only when the last one is
 * done; whatever is still running stops with the test run.
 * @returns {import('@web/test-runner').TestRunnerPlugin}
 */
export function demoServerPlugin() {
  /** @type {Promise<Awaited<ReturnType<typeof startDemoServer>>> | undefined} */
  let starting;
  let users = 0;

  async function stop() {
    const running = starting;
    starting = undefined;
    users = 0;
    if (running) await (await running).close();
  }

  return {
    name: 'demo-server',
    async serverStop() {
      await stop();
    },
    async executeCommand({ command, payload }) {
      if (command !== 'demo-server') return undefined;
      const action = /** @type {{ action?: unknown } | undefined} */ (payload)?.action;
      if (action === 'start') {
        starting ??= startDemoServer({ port: 0 });
        try {
          const { origin } = await starting;
          users++;
          return origin;
        } catch (error) {
          starting = undefined;
          throw error;
        }
      }
      if (action === 'stop') {
        if (users > 1) users--;
        else await stop();
        return true;
      }
      throw new Error(`Unknown demo-server action: ${String(action)}`);
    },
  };
}
