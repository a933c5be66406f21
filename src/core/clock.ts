/** An opaque timer handle, whatever the host's `setTimeout` returns. */
export type TimerHandle = ReturnType<typeof setTimeout>;

/**
 * Time as the core sees it. Injected so tests can drive time by hand and a
 * leak check can count live timers; the default uses the host's timers.
 */
export interface Clock {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  now(): number;
}

// Resolved at call time, never at import, so importing in Node touches nothing.
export const systemClock: Clock = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle),
  now: () => Date.now(),
};
