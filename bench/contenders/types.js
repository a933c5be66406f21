// @ts-check
/**
 * The shape every contender adapter has (types only). An adapter connects
 * one client the way that library is meant to be used, and calls the
 * handlers from the library's own events.
 *
 * @typedef {object} ClientHandlers
 * @property {() => void} [open] each time a socket opens
 * @property {(data: unknown) => void} [message] each frame, from the library's message handler
 * @property {(delay: number) => void} [scheduled] the delay, ms, before the reconnect that follows a drop
 *
 * @typedef {object} Client
 * @property {(data: string) => void} send
 * @property {() => void} dispose closes for good
 *
 * @typedef {object} Adapter
 * @property {string} settings the reconnect settings used, as printed
 * @property {string} [endpoints] the bench server's endpoint family, `/NAME/push` …; `ws` when absent
 * @property {(library: any, url: string, handlers: ClientHandlers) => Client} connect
 *   `library` is the module bundled at `/lib/NAME.js`, or undefined for the raw socket
 */
export {};
