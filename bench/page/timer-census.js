// @ts-check
/**
 * Counts the page's live `setTimeout` timers by wrapping the global pair.
 * The element builds its core with the default clock, which calls the global
 * `setTimeout` at call time, and the element offers no hook to inject a
 * counting clock; wrapping the globals is the one way to count what a real
 * `<ws-connection>` leaves behind. It also sees the element's own detach
 * timer and any timer of the page itself.
 */

/**
 * @param {typeof globalThis} host
 * @returns {() => { live: number, set: number, liveDelays: number[] }}
 */
export function installTimerCensus(host) {
  const nativeSetTimeout = host.setTimeout.bind(host);
  const nativeClearTimeout = host.clearTimeout.bind(host);
  /** @type {Map<unknown, number>} live handle → its delay */
  const live = new Map();
  let set = 0;
  const counted = /** @type {typeof setTimeout} */ (
    /** @type {unknown} */ (
      (
        /** @type {(...args: unknown[]) => void} */ callback,
        /** @type {number} */ ms = 0,
        /** @type {unknown[]} */ ...args
      ) => {
        set++;
        const handle = nativeSetTimeout(() => {
          live.delete(handle);
          callback(...args);
        }, ms);
        live.set(handle, ms);
        return handle;
      }
    )
  );
  host.setTimeout = counted;
  host.clearTimeout = (handle) => {
    live.delete(handle);
    nativeClearTimeout(handle);
  };
  return () => ({ live: live.size, set, liveDelays: [...live.values()] });
}
