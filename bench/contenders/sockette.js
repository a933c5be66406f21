// @ts-check
/**
 * sockette: a tiny wrapper that sets the socket's `on*` handlers to the
 * callbacks it is given, so a frame costs nothing over the raw socket.
 */

/** `opts.timeout || 1e3`: 0 would mean the 1 s default, so 1 ms is its smallest delay. */
export const settings = 'timeout=1 (0 means its 1000 ms default)';

/** @type {import('./types.js').Adapter['connect']} */
export function connect(library, url, handlers) {
  /** @type {typeof import('sockette').default} */
  const Sockette = library.default;
  // Its README's form; the factory returns its own object, so `new` and a plain call are alike.
  const socket = new Sockette(url, {
    timeout: 1,
    onopen: () => handlers.open?.(),
    onmessage: (/** @type {MessageEvent} */ event) => handlers.message?.(event.data),
    onclose: () => handlers.scheduled?.(1),
  });
  return {
    send: (data) => socket.send(data),
    dispose: () => socket.close(),
  };
}
