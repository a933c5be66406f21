// @ts-check
/**
 * The contenders, in the order each round runs them. The browser side of
 * each (how it connects, which settings give its smallest reconnect delay)
 * is the adapter module of the same name in this folder.
 */

/**
 * @typedef {object} Contender
 * @property {string} name adapter module `bench/contenders/NAME.js`, bundle `/lib/NAME.js`
 * @property {string} label as printed
 * @property {string | null} packageName the npm package bundled, or null
 * @property {string | null} entry the bundle's entry source (esbuild stdin), or null: no bundle,
 *   or, for ws-connection, the shipped dist/ws-connection.min.js as is
 */

/** @type {readonly Contender[]} */
export const contenders = [
  { name: 'raw', label: 'raw WebSocket', packageName: null, entry: null },
  { name: 'ws-connection', label: '<ws-connection>', packageName: null, entry: null },
  // The same bundle with `resume`, against a SessionServer: what the session protocol costs.
  { name: 'ws-connection-resume', label: '<ws-connection resume>', packageName: null, entry: null },
  {
    name: 'reconnecting-websocket',
    label: 'reconnecting-websocket',
    packageName: 'reconnecting-websocket',
    entry: "export { default } from 'reconnecting-websocket';",
  },
  {
    name: 'partysocket',
    label: 'partysocket',
    packageName: 'partysocket',
    entry: "export { default } from 'partysocket';",
  },
  { name: 'sockette', label: 'sockette', packageName: 'sockette', entry: "export { default } from 'sockette';" },
];
