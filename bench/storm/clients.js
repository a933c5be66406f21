// @ts-check
/**
 * N instances of the core `Connection` (dist/core/index.js), each with the
 * `ws` package's client as its WebSocket. Every socket constructed is one
 * connection attempt; the constructor wrapper time-stamps them, and the
 * status callbacks keep a count of open connections.
 */
import WebSocket from 'ws';
import { Connection } from '../../dist/core/index.js';

const now = () => performance.timeOrigin + performance.now();

/**
 * @param {{ count: number, url: string, options: Partial<import('../../dist/core/index.js').ConnectionOptions> }} setup
 */
export function createClients({ count, url, options }) {
  /** @type {number[]} epoch ms of every connection attempt, when the core constructed its socket */
  const attempts = [];
  /**
   * epoch ms each retry is due, from the core's `retry(attempt, delay)`: the
   * backoff's own schedule, free of this one process's CPU limits (2,000
   * timers due at the same ms still construct their sockets one by one).
   * @type {number[]}
   */
  const due = [];
  let open = 0;
  /** @type {(() => void)[]} checked on every status change */
  let watchers = [];

  class CountedWebSocket extends WebSocket {
    /** @param {string} address @param {string | string[]} [protocols] */
    constructor(address, protocols) {
      attempts.push(now());
      super(address, protocols, { perMessageDeflate: false });
    }
  }

  const connections = Array.from(
    { length: count },
    () =>
      new Connection(
        { ...options, url },
        {
          status(status, previous) {
            if (status === 'open') open++;
            if (previous === 'open') open--;
            for (const watcher of watchers) watcher();
          },
          retry(_attempt, delay) {
            due.push(now() + delay);
            return true;
          },
        },
        { WebSocket: CountedWebSocket },
      ),
  );

  return {
    attempts,
    due,
    get open() {
      return open;
    },
    /**
     * Connects them in batches (so the initial connect is not itself a storm) and resolves once all are open.
     * @param {number} batch
     * @param {number} everyMs
     * @param {number} timeoutMs
     */
    async connectAll(batch, everyMs, timeoutMs) {
      const all = this.when((openNow) => openNow === count, timeoutMs);
      for (let i = 0; i < connections.length; i += batch) {
        for (const connection of connections.slice(i, i + batch)) connection.connect();
        await new Promise((resolve) => setTimeout(resolve, everyMs));
      }
      return all;
    },
    /**
     * Resolves with the epoch ms at which `condition(open connections)` first holds, or rejects after timeoutMs.
     * @param {(open: number) => boolean} condition
     * @param {number} timeoutMs
     * @returns {Promise<number>}
     */
    when(condition, timeoutMs) {
      return new Promise((resolve, reject) => {
        const stop = () => (watchers = watchers.filter((watcher) => watcher !== check));
        const timer = setTimeout(() => {
          stop();
          reject(new Error(`Still ${open} of ${count} open after ${timeoutMs} ms`));
        }, timeoutMs);
        const check = () => {
          if (!condition(open)) return;
          clearTimeout(timer);
          stop();
          resolve(now());
        };
        watchers.push(check);
        check();
      });
    },
    closeAll() {
      for (const connection of connections) connection.close();
    },
  };
}
