import type { Clock, TimerHandle } from '../../src/core/clock.js';

interface PendingTimer {
  readonly id: number;
  readonly due: number;
  readonly callback: () => void;
}

/**
 * A hand-driven `Clock`: time stands still until `advance(ms)`, which fires
 * every timer that falls due within the window in time order (timers due at
 * the same moment fire in the order they were set), including timers set by
 * callbacks during the advance. Never touches the host's timers.
 */
export class FakeClock implements Clock {
  #now: number;
  #nextId = 1;
  readonly #timers = new Map<number, PendingTimer>();
  /** Every delay passed to `setTimeout`, in call order. */
  readonly requested: number[] = [];

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.#nextId++;
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
    this.requested.push(ms);
    this.#timers.set(id, { id, due: this.#now + delay, callback });
    return id as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers.delete(handle as unknown as number);
  }

  /** How many timers are set and not yet fired or cleared. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Delays until each pending timer falls due, soonest first. */
  get pendingDelays(): number[] {
    return [...this.#timers.values()].map((t) => t.due - this.#now).sort((a, b) => a - b);
  }

  /** Moves time forward by `ms`, firing due timers in order; returns how many fired. */
  advance(ms: number): number {
    if (!(ms >= 0)) throw new RangeError(`FakeClock.advance: bad duration ${ms}`);
    const target = this.#now + ms;
    let fired = 0;
    for (;;) {
      const next = this.#earliest();
      if (!next || next.due > target) break;
      if (++fired > 100_000) throw new Error('FakeClock.advance: runaway timers');
      this.#timers.delete(next.id);
      // A timer overdue since a `suspend()` fires late, at the current time: time never runs backwards.
      this.#now = Math.max(this.#now, next.due);
      next.callback();
    }
    this.#now = target;
    return fired;
  }

  /**
   * The host was suspended (the device slept, the page was frozen): time
   * moves on by `ms` and no timer fires. The timers now overdue fire late,
   * at the next `advance()` or `tick()`, as the host's timers do on waking.
   */
  suspend(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`FakeClock.suspend: bad duration ${ms}`);
    this.#now += ms;
  }

  /** Fires only the timers already due now (after `advance(0)`-like semantics). */
  tick(): number {
    return this.advance(0);
  }

  #earliest(): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const timer of this.#timers.values()) {
      if (!best || timer.due < best.due || (timer.due === best.due && timer.id < best.id)) best = timer;
    }
    return best;
  }
}
