// @ts-check
/**
 * A clock for the core that counts its timers: the core's `Clock` is
 * injectable for exactly this, so after a run "no timers left" is a number,
 * not a guess.
 */

/**
 * @typedef {object} TimerCounts
 * @property {number} live set and neither fired nor cleared yet
 * @property {number} set
 * @property {number} fired
 * @property {number} cleared
 */

/** @returns {import('../../dist/core/index.js').Clock & { counts(): TimerCounts }} */
export function countingClock() {
  /** @type {Set<ReturnType<typeof setTimeout>>} */
  const live = new Set();
  let set = 0;
  let fired = 0;
  let cleared = 0;
  return {
    setTimeout(callback, ms) {
      set++;
      const handle = setTimeout(() => {
        live.delete(handle);
        fired++;
        callback();
      }, ms);
      live.add(handle);
      return handle;
    },
    clearTimeout(handle) {
      if (live.delete(handle)) cleared++;
      clearTimeout(handle);
    },
    now: () => Date.now(),
    counts: () => ({ live: live.size, set, fired, cleared }),
  };
}
