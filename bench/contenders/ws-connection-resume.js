// @ts-check
/**
 * `<ws-connection resume>` from dist/ws-connection.min.js against the bench server's `SessionServer`
 * (dist/server, on the `/session/…` endpoints): every frame numbered, acknowledged and kept until
 * acknowledged, both ways. The same element and settings as the `ws-connection` contender, so the
 * difference is what `resume` costs.
 */

/** The smallest delay the contract allows: no wait, no jitter. */
export const settings = 'retry-delay=0 retry-jitter=0 resume';

/** The bench server's endpoints this contender speaks to: `/session/push`, `/session/echo`, `/session/kill`. */
export const endpoints = 'session';

/** @type {import('./types.js').Adapter['connect']} */
export function connect(_library, url, handlers) {
  // Off globalThis: the repository's ESLint config gives bench/ Node globals only.
  const { document } = globalThis;
  const element = /** @type {import('../../dist/ws-connection.js').WsConnection} */ (
    document.createElement('ws-connection')
  );
  element.setAttribute('retry-delay', '0');
  element.setAttribute('retry-jitter', '0');
  element.setAttribute('resume', '');
  element.setAttribute('url', url);
  element.addEventListener('open', () => handlers.open?.());
  element.addEventListener('message', (event) => handlers.message?.(event.data));
  element.addEventListener('retry', (event) => handlers.scheduled?.(event.detail.delay));
  document.body.append(element);
  return {
    send: (data) => void element.send(data),
    dispose: () => element.remove(),
  };
}
