// @ts-check
/**
 * `<ws-connection>` from dist/ws-connection.min.js, used as a page would: an
 * element with attributes, listened to through DOM events. The page imports
 * the bundle (which defines the tag) before calling `connect`.
 */

/** The smallest delay the contract allows: no wait, no jitter. */
export const settings = 'retry-delay=0 retry-jitter=0';

/** @type {import('./types.js').Adapter['connect']} */
export function connect(_library, url, handlers) {
  return connectElement(url, handlers);
}

/**
 * The element with `settings`, plus `attributes` (the `resume` contender's), attached and listened to.
 * @param {string} url
 * @param {import('./types.js').ClientHandlers} handlers
 * @param {Record<string, string>} [attributes]
 * @returns {import('./types.js').Client}
 */
export function connectElement(url, handlers, attributes = {}) {
  // Off globalThis: the repository's ESLint config gives bench/ Node globals only.
  const { document } = globalThis;
  const element = /** @type {import('../../dist/ws-connection.js').WsConnection} */ (
    document.createElement('ws-connection')
  );
  element.setAttribute('retry-delay', '0');
  element.setAttribute('retry-jitter', '0');
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.setAttribute('url', url);
  element.addEventListener('open', () => handlers.open?.());
  element.addEventListener('message', (event) => handlers.message?.(event.data));
  // The element announces the actual (jittered) delay of every retry it schedules.
  element.addEventListener('retry', (event) => handlers.scheduled?.(event.detail.delay));
  document.body.append(element);
  return {
    send: (data) => void element.send(data),
    dispose: () => element.remove(),
  };
}
