// @ts-check
/**
 * `<ws-connection resume>` from dist/ws-connection.min.js against the bench server's `SessionServer`
 * (dist/server, on the `/session/…` endpoints): every frame numbered, acknowledged and kept until
 * acknowledged, both ways. The same element and settings as the `ws-connection` contender, so the
 * difference is what `resume` costs.
 */

import { connectElement } from './ws-connection.js';

/** The smallest delay the contract allows: no wait, no jitter. */
export const settings = 'retry-delay=0 retry-jitter=0 resume';

/** The bench server's endpoints this contender speaks to: `/session/push`, `/session/echo`, `/session/kill`. */
export const endpoints = 'session';

/** @type {import('./types.js').Adapter['connect']} */
export function connect(_library, url, handlers) {
  return connectElement(url, handlers, { resume: '' });
}
