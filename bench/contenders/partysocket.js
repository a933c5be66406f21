// @ts-check
/**
 * partysocket: an EventTarget that clones each of the socket's events and
 * dispatches the clone, so like the element it pays for a real DOM event per
 * frame. Its URL is built from host and path (plus an `_pk` query parameter).
 */

/** Same formula as reconnecting-websocket, which it forked: 0 and 0 give 0. */
export const settings = 'minReconnectionDelay=0 maxReconnectionDelay=0';

/** @type {import('./types.js').Adapter['connect']} */
export function connect(library, url, handlers) {
  /** @type {typeof import('partysocket').default} */
  const PartySocket = library.default;
  const { host, pathname } = new URL(url);
  const socket = new PartySocket({
    host,
    basePath: pathname.slice(1),
    minReconnectionDelay: 0,
    maxReconnectionDelay: 0,
  });
  socket.addEventListener('open', () => handlers.open?.());
  socket.addEventListener('message', (event) => handlers.message?.(event.data));
  socket.addEventListener('close', () => handlers.scheduled?.(0));
  return {
    send: (data) => socket.send(data),
    dispose: () => socket.close(),
  };
}
