import type { Clock } from './clock.js';

/**
 * A clock whose timers report how late they fired. A timer that fires far
 * later than it was due means the page or the device was suspended (sleep,
 * a frozen tab, a main thread blocked): the only trace a suspension leaves
 * where no event announces it.
 *
 * `onLate` runs after the timer's own callback, so the callback finds the
 * state it was set for and the owner reacts to what the callback left.
 * Lateness is measured with `clock.now()`, wall-clock time for the system
 * clock: a monotonic clock stands still while some systems sleep, and would
 * hide exactly the suspension to be noticed.
 */
export function lateTimerClock(clock: Clock, onLate: (lateBy: number) => void): Clock {
  return {
    setTimeout(callback, ms) {
      const due = clock.now() + (Number.isFinite(ms) && ms > 0 ? ms : 0);
      return clock.setTimeout(() => {
        // Measured before the callback runs, so its own work does not count as lateness.
        const lateBy = clock.now() - due;
        callback();
        if (lateBy > 0) onLate(lateBy);
      }, ms);
    },
    clearTimeout: (handle) => clock.clearTimeout(handle),
    now: () => clock.now(),
  };
}
