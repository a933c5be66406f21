// @ts-check
/**
 * A minimal Chrome DevTools Protocol client over the `ws` package. The leak
 * check, the profiler and the sharing bench use it instead of a full driver
 * (puppeteer enables the Network domain in every page it attaches to) so that
 * they enable exactly the domains they name and nothing else.
 */
import WebSocket from 'ws';

/**
 * @typedef {object} CdpSession
 * @property {(method: string, params?: object) => Promise<any>} send a command to the attached page
 * @property {() => void} close
 */

/**
 * A DevTools connection to the whole browser: commands go to the browser
 * itself, or to one attached target when given its session id.
 * @typedef {object} CdpBrowser
 * @property {(method: string, params?: object, sessionId?: string) => Promise<unknown>} call the result, as the protocol's
 *   JSON gives it: the caller knows its shape
 * @property {(targetId: string) => Promise<CdpSession>} attach a session on one target (flat protocol)
 * @property {() => void} close
 */

/**
 * Connects to the browser's DevTools endpoint.
 * @param {string} browserUrl the `DevTools listening on` URL
 * @returns {Promise<CdpBrowser>}
 */
export async function connectBrowser(browserUrl) {
  const socket = new WebSocket(browserUrl, { perMessageDeflate: false, maxPayload: 1024 * 2 ** 20 });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  let nextId = 1;
  /** @type {Map<number, { resolve: (value: any) => void, reject: (error: Error) => void, method: string }>} */
  const pending = new Map();
  socket.on('message', (raw) => {
    const message = JSON.parse(String(raw));
    const waiting = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.error) waiting.reject(new Error(`${waiting.method}: ${message.error.message}`));
    else waiting.resolve(message.result);
  });
  socket.on('close', () => {
    for (const waiting of pending.values()) waiting.reject(new Error(`${waiting.method}: DevTools connection closed`));
    pending.clear();
  });

  /** @param {string} method @param {object} [params] @param {string} [sessionId] */
  const call = (method, params = {}, sessionId) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject, method });
      socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });

  return {
    call,
    async attach(targetId) {
      const { sessionId } = /** @type {{ sessionId: string }} */ (
        await call('Target.attachToTarget', { targetId, flatten: true })
      );
      return {
        send: (method, params) => call(method, params, sessionId),
        close: () => void call('Target.detachFromTarget', { sessionId }).catch(() => undefined),
      };
    },
    close: () => socket.close(),
  };
}

/**
 * Connects to the browser and attaches to its first page target.
 * @param {string} browserUrl the `DevTools listening on` URL
 * @returns {Promise<CdpSession>}
 */
export async function attachToPage(browserUrl) {
  const browser = await connectBrowser(browserUrl);
  // The page given on the command line may appear a moment after DevTools starts listening.
  /** @type {{ targetId: string, type: string } | undefined} */
  let page;
  for (let tries = 0; !page && tries < 100; tries++) {
    const { targetInfos } = /** @type {{ targetInfos: { targetId: string, type: string }[] }} */ (
      await browser.call('Target.getTargets')
    );
    page = targetInfos.find((target) => target.type === 'page');
    if (!page) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!page) throw new Error('No page target to attach to');
  const session = await browser.attach(page.targetId);
  // Closing the page's session closes the whole connection, as before: the callers own nothing else on it.
  return { send: session.send, close: () => browser.close() };
}

/**
 * An `evaluate(expression)` that awaits promises and returns the value, and
 * throws the page's exception if there is one.
 * @param {CdpSession} session
 * @returns {(expression: string) => Promise<any>}
 */
export function evaluator(session) {
  return async (expression) => {
    const reply = await session.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    if (reply.exceptionDetails) {
      const details = reply.exceptionDetails;
      throw new Error(`${expression}: ${details.exception?.description ?? details.text}`);
    }
    return reply.result.value;
  };
}

/**
 * Waits until the page has defined `globalThis[name]` (its module finished
 * loading). Errors while the page is still navigating count as not yet.
 * @param {(expression: string) => Promise<any>} evaluate
 * @param {string} name
 * @param {number} timeoutMs
 */
export async function waitForPageGlobal(evaluate, name, timeoutMs) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    const ready = await evaluate(`typeof globalThis[${JSON.stringify(name)}] === 'object'`).catch(() => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`The page did not define ${name} within ${timeoutMs} ms`);
}
