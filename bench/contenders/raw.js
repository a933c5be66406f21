// @ts-check
/**
 * The browser's own WebSocket: the limit every other contender is compared
 * with. It does not reconnect, so for the reconnect phase the adapter opens a
 * new socket from `onclose` at once: the floor no library can beat.
 */

export const settings = 'new WebSocket() from onclose, no delay';

/** @type {import('./types.js').Adapter['connect']} */
export function connect(_library, url, handlers) {
  let disposed = false;
  const open = () => {
    const socket = new WebSocket(url);
    socket.onopen = () => handlers.open?.();
    socket.onmessage = (event) => handlers.message?.(event.data);
    socket.onclose = () => {
      if (disposed) return;
      handlers.scheduled?.(0);
      current = open();
    };
    return socket;
  };
  let current = open();
  return {
    send: (data) => current.send(data),
    dispose() {
      disposed = true;
      current.close();
    },
  };
}
