import type { Clock, TimerHandle } from './clock.js';

export interface HeartbeatOptions {
  /** Idle time (nothing received) before a ping is sent, ms. */
  interval: number;
  /** Time after a ping within which something must arrive, ms. */
  timeout: number;
}

/** A socket heard from this recently is alive: a probe would only add traffic. */
const RECENTLY_HEARD_MS = 1000;

/**
 * Detects half-open connections: the network died without a close frame,
 * so the socket looks open forever. After `interval` with nothing received
 * it calls `ping`; if nothing arrives within `timeout` after that, `dead`.
 *
 * `received()` runs for every frame, so while no ping is outstanding it
 * only stores a time stamp; the one pending timer checks that stamp when it
 * fires instead of being reset per message.
 *
 * `probe()` pings at once when there is reason to doubt the socket; the
 * probe takes the place of the next regular ping, so the idle wait starts
 * over from its reply.
 */
export class HeartbeatMonitor {
  readonly #clock: Clock;
  readonly #options: HeartbeatOptions;
  readonly #ping: () => void;
  readonly #dead: () => void;
  #lastReceived = 0;
  #awaitingReply = false;
  #timer: TimerHandle | undefined;

  constructor(clock: Clock, options: HeartbeatOptions, ping: () => void, dead: () => void) {
    this.#clock = clock;
    this.#options = options;
    this.#ping = ping;
    this.#dead = dead;
  }

  start(): void {
    this.stop();
    this.#lastReceived = this.#clock.now();
    this.#schedule(this.#checkIdle, this.#options.interval);
  }

  stop(): void {
    this.#awaitingReply = false;
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Pings now, unless a ping is already outstanding (its reply timer
   * already watches the socket) or a frame arrived, or `start()` ran, within
   * the last second. Returns whether it pinged.
   */
  probe(): boolean {
    if (this.#awaitingReply || this.#clock.now() - this.#lastReceived < RECENTLY_HEARD_MS) return false;
    this.stop();
    this.#awaitPing();
    return true;
  }

  received(): void {
    this.#lastReceived = this.#clock.now();
    // The answer to a ping: the idle wait starts over from here, not after the reply timeout.
    if (this.#awaitingReply) {
      this.#awaitingReply = false;
      this.stop();
      this.#schedule(this.#checkIdle, this.#options.interval);
    }
  }

  #schedule(check: () => void, ms: number): void {
    this.#timer = this.#clock.setTimeout(check, ms);
  }

  #checkIdle = (): void => {
    const idle = this.#clock.now() - this.#lastReceived;
    if (idle < this.#options.interval) {
      this.#schedule(this.#checkIdle, this.#options.interval - idle);
      return;
    }
    this.#awaitPing();
  };

  #awaitPing(): void {
    this.#awaitingReply = true;
    this.#schedule(this.#replyOverdue, this.#options.timeout);
    this.#ping();
  }

  #replyOverdue = (): void => {
    this.#timer = undefined;
    this.#awaitingReply = false;
    this.#dead();
  };
}
