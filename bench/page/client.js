// @ts-check
/** Small async helpers shared by the bench pages' phases. */

/** @typedef {import('../contenders/types.js').Adapter} Adapter */
/** @typedef {import('../contenders/types.js').Client} Client */
/** @typedef {import('../contenders/types.js').ClientHandlers} ClientHandlers */
/** @typedef {{ adapter: Adapter, library: unknown }} Contender */

/**
 * A full GC before each measured loop, where the browser runs with
 * `--js-flags=--expose-gc`, so garbage left by the previous page or phase is
 * not collected on some contender's clock.
 */
export function collectGarbage() {
  /** @type {{ gc?: () => void }} */ (globalThis).gc?.();
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Rejects when `promise` has not settled within `ms`, so a stuck contender
 * fails its run instead of hanging the bench.
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {string} what
 * @returns {Promise<T>}
 */
export function withTimeout(promise, ms, what) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const timeout = new Promise((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
  });
  return /** @type {Promise<T>} */ (Promise.race([promise, timeout])).finally(() => clearTimeout(timer));
}

/**
 * Connects a contender and resolves once its first socket is open.
 * @param {Contender} contender
 * @param {string} url
 * @param {ClientHandlers} handlers
 * @returns {Promise<Client>}
 */
export function openClient(contender, url, handlers) {
  /** @type {(value: void) => void} */
  let opened = () => {};
  const firstOpen = new Promise((resolve) => (opened = resolve));
  const client = contender.adapter.connect(contender.library, url, {
    ...handlers,
    open() {
      opened();
      handlers.open?.();
    },
  });
  return withTimeout(firstOpen, 10000, `open ${url}`).then(() => client);
}
