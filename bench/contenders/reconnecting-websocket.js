// @ts-check
/**
 * reconnecting-websocket: a WebSocket look-alike that calls plain listener
 * functions with the socket's own event (no event of its own per frame).
 */

/**
 * Its delay is minReconnectionDelay × growFactor^(retry − 1), capped at the
 * maximum; 0 for both gives 0 for every retry.
 */
export const settings = 'minReconnectionDelay=0 maxReconnectionDelay=0';

/** @type {import('./types.js').Adapter['connect']} */
export function connect(library, url, handlers) {
  /** @type {typeof import('reconnecting-websocket').default} */
  const ReconnectingWebSocket = library.default;
  const socket = new ReconnectingWebSocket(url, undefined, { minReconnectionDelay: 0, maxReconnectionDelay: 0 });
  socket.addEventListener('open', () => handlers.open?.());
  socket.addEventListener('message', (event) => handlers.message?.(event.data));
  socket.addEventListener('close', () => handlers.scheduled?.(0));
  return {
    send: (data) => socket.send(data),
    dispose: () => socket.close(),
  };
}
