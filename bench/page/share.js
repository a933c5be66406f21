// @ts-check
/**
 * One tab of the sharing bench: one `<ws-connection>` with `share` from the
 * query (`tabs`, or empty for an unshared element) on the `ws` URL from the
 * query. It stamps every `message` the element dispatches with the browser's
 * wall clock, `performance.timeOrigin + performance.now()`: every tab of one
 * browser has the same clock, so the Node driver (bench/sharing.js) can
 * compare one push's stamps across tabs. The driver reads them through the
 * DevTools protocol once the pushes are over, so nothing is sent during them.
 */

// Off globalThis: the repository's ESLint config gives bench/ Node globals only.
const { document, location } = globalThis;
await import(/** @type {string} */ ('/lib/ws-connection.js'));

const query = new URLSearchParams(location.search);
const element = /** @type {import('../../dist/ws-connection.js').WsConnection} */ (
  document.createElement('ws-connection')
);
const share = query.get('share') ?? '';
if (share) element.setAttribute('share', share);
element.setAttribute('url', `ws://${location.host}${query.get('ws') ?? '/ws/share'}`);

/** The push number of each frame received, and when its `message` was dispatched here (ms since the epoch). */
const received = { seq: /** @type {number[]} */ ([]), at: /** @type {number[]} */ ([]) };
element.addEventListener('message', (event) => {
  // Stamped first: the parse below is not part of the delivery being timed.
  const at = performance.timeOrigin + performance.now();
  received.seq.push(Number.parseInt(String(event.data), 10));
  received.at.push(at);
});
document.body.append(element);

Object.assign(globalThis, {
  sharePage: {
    /** @returns {string} the element's status */
    status: () => element.status,
    /** @returns {boolean} whether this tab holds the group's socket (always, unshared) */
    holdsSocket: () => element.socket !== null,
    /**
     * This tab's clock against the system's wall clock: the mean of
     * `timeOrigin + now() − Date.now()` over 20 ms of samples. `Date.now()`
     * reads the same system clock in every process but in whole ms, so the
     * mean is the offset + about 0.5 ms; between tabs, the differences of
     * these means show how far their stamps disagree.
     */
    clockOffset() {
      let sum = 0;
      let samples = 0;
      const end = performance.now() + 20;
      while (performance.now() < end) {
        sum += performance.timeOrigin + performance.now() - Date.now();
        samples++;
      }
      return sum / samples;
    },
    /** The stamps so far, then cleared (a warm-up's are dropped this way). */
    take: () => ({ seq: received.seq.splice(0), at: received.at.splice(0) }),
  },
});
