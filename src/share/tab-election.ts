import { systemClock, type Clock, type TimerHandle } from '../core/clock.js';

/**
 * The part of the Web Locks API the election uses (`navigator.locks`).
 * `callback` receives the lock, or `null` when `ifAvailable` found it taken.
 */
export interface LockManagerLike {
  request(
    name: string,
    options: { signal?: AbortSignal; steal?: boolean; ifAvailable?: boolean },
    callback: (lock: unknown) => Promise<unknown>,
  ): Promise<unknown>;
}

/** The part of `BroadcastChannel` the election uses: every other channel of the same name hears a message. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  close(): void;
}

/** The side effects of an election, injected so tests can run several "tabs" in one page. */
export interface TabElectionEnvironment {
  locks: LockManagerLike;
  /** Opens a channel that reaches the channels of the same name in every other context of this origin. */
  openChannel(name: string): ChannelLike;
  clock: Clock;
  /** Numbers in [0, 1), for the participant id and the steal jitter. */
  random: () => number;
  /**
   * Runs `callback` soon, in a task that is neither a timer nor a `BroadcastChannel` message: one that a
   * frozen page holds back (Chromium runs `BroadcastChannel` handlers in a frozen page, but nothing else) and
   * that hidden-tab timer throttling does not delay. The host's is a `MessageChannel` posting to itself.
   */
  defer(callback: () => void): void;
}

export interface TabElectionCallbacks {
  /** This context now holds the lock: it is the leader, for term `epoch`. */
  lead(epoch: number): void;
  /** This context stopped leading: the lock was stolen, a newer leader spoke, or `release()` was called. */
  follow(): void;
  /** The lock manager refused a request (an opaque origin, say): this context cannot take part. */
  failed?(error: unknown): void;
}

export interface TabElectionTiming {
  /** How often the leader says it is alive, ms. */
  beat: number;
  /** Silence from the leader after which a follower probes it; a probe left unanswered for `beat` ends in a steal, ms. */
  deadAfter: number;
}

export const defaultTabElectionTiming: TabElectionTiming = { beat: 250, deadAfter: 500 };

/** What the participants say on the channel. */
interface ElectionMessage {
  readonly election: 'ws-connection';
  /** `beat`: the leader is alive (sent on a timer and in answer to a probe). `probe`: a follower asks. */
  readonly type: 'beat' | 'probe';
  /** The sender's term when leading, else the highest term it has heard of. */
  readonly epoch: number;
  readonly id: string;
}

function isElectionMessage(data: unknown): data is ElectionMessage {
  if (typeof data !== 'object' || data === null) return false;
  const message = data as Partial<ElectionMessage>;
  return (
    message.election === 'ws-connection' &&
    (message.type === 'beat' || message.type === 'probe') &&
    typeof message.epoch === 'number' &&
    typeof message.id === 'string'
  );
}

/** Which of two leaders' claims is newer: the higher term, and between equal terms the higher id. */
function newer(a: { epoch: number; id: string }, b: { epoch: number; id: string }): boolean {
  return a.epoch > b.epoch || (a.epoch === b.epoch && a.id > b.id);
}

/** The Web Lock (and the channel) of one share key. */
export function tabLockName(key: string): string {
  return `ws-connection:${key}`;
}

/** One lock request of ours; the `.then` of a request that is no longer current is ignored. */
interface LockTicket {
  /** Aborts the request while it waits in the queue (a stealing request has none: the API forbids both). */
  readonly abort: AbortController | undefined;
  /** Ends our lock callback's promise, which releases the lock; set once granted. */
  release?: () => void;
}

/**
 * Decides which of the contexts (tabs, windows, frames) of one origin that
 * share `key` holds the socket: the holder of the Web Lock
 * `ws-connection:<key>` leads, the others wait in that lock's queue.
 *
 * - A context that closes, navigates, crashes or is removed loses its locks,
 *   so the next one in the queue is granted the lock at once.
 * - A context that is frozen (Chromium's Page Lifecycle) or hung keeps its
 *   lock. The leader therefore beats on a `BroadcastChannel` every `beat` ms
 *   and answers each probe in a deferred task (see `defer`: a frozen page
 *   runs none, a hidden one runs it at once while its timers may run once a
 *   second or less). A follower that hears nothing for `deadAfter` probes;
 *   still nothing after a further `beat / 2` to `beat` (jittered so followers
 *   do not steal together), it takes the lock with `steal`. The stolen
 *   context learns it as soon as it hears a beat of a newer term (Chromium
 *   runs a frozen page's `BroadcastChannel` handlers, so often while still
 *   frozen) or runs again and sees its lock request reject with
 *   `AbortError`, whichever comes first; it steps down (`follow()`) and
 *   queues again.
 * - Every leadership gets a term, `epoch`, higher than any this context has
 *   heard of (and not lower than the wall clock in ms, so that a new leader
 *   that never heard its predecessor still numbers above it). Followers
 *   ignore the beats of older terms; the group layer should stamp what the
 *   leader relays with it and drop what comes from an older term.
 *
 * `release()` leaves (lock, queue, channel, timers) and `start()` joins
 * again: call them on `pagehide` and on `pageshow` when `persisted`. Seen in
 * Chromium 156: a cached page that holds the lock is evicted only when a new
 * request for it arrives, so tabs already queued wait until something evicts
 * it; a queued request of a cached page is granted only once it is shown
 * again; a `BroadcastChannel` message evicts a cached page. Firefox ESR 153
 * caches no page that holds or waits for a Web Lock, whatever `pagehide` does
 * (the decision comes first); WebKitGTK 2.50 releases a cached page's locks.
 *
 * Limits: a leader frozen while every follower is hidden is found only as
 * often as hidden timers run (about once a second in Chromium); a context
 * granted the lock while frozen and stolen from before it runs leads for the
 * moment between running its grant and its rejection; terms assume the
 * system clock does not step back by more than the time between leaderships.
 */
export class TabElection {
  readonly #lockName: string;
  readonly #environment: TabElectionEnvironment;
  readonly #callbacks: TabElectionCallbacks;
  readonly #timing: TabElectionTiming;
  readonly #id: string;

  #joined = false;
  #stopped = false;
  #leading = false;
  #epoch = 0;
  #channel: ChannelLike | undefined;
  #ticket: LockTicket | undefined;
  /** When the leader was last heard from (followers). */
  #lastHeard = 0;
  /** When an unanswered probe went out, if one did (followers). */
  #probeSent: number | undefined;
  #timer: TimerHandle | undefined;
  /** Bumped by `#clearTimer`, so a `#scheduleFromTimer` still on its way does not set a timer after all. */
  #generation = 0;

  constructor(
    key: string,
    environment: TabElectionEnvironment,
    callbacks: TabElectionCallbacks,
    timing: TabElectionTiming = defaultTabElectionTiming,
  ) {
    this.#lockName = tabLockName(key);
    this.#environment = environment;
    this.#callbacks = callbacks;
    this.#timing = timing;
    this.#id = Math.floor(environment.random() * 2 ** 52)
      .toString(36)
      .padStart(11, '0');
  }

  /** Whether this context holds the lock, as far as it knows (a frozen ex-leader learns otherwise on waking). */
  get leading(): boolean {
    return this.#leading;
  }

  /** This context's term while leading; while following, the highest term heard of (0: none yet). */
  get epoch(): number {
    return this.#epoch;
  }

  /** Joins: queues for the lock and listens for the leader. Joins again after `release()`. */
  start(): void {
    if (this.#stopped) throw new Error('TabElection: start() after stop()');
    if (this.#joined) return;
    this.#joined = true;
    const channel = this.#environment.openChannel(this.#lockName);
    channel.onmessage = (event) => this.#heard(event.data);
    this.#channel = channel;
    this.#follow();
  }

  /** Leaves until the next `start()`: lets go of the lock or the place in its queue; `follow()` if leading. */
  release(): void {
    if (!this.#joined) return;
    this.#joined = false;
    const wasLeading = this.#leading;
    this.#leading = false;
    this.#clearTimer();
    this.#dropTicket();
    if (this.#channel) {
      this.#channel.onmessage = null;
      this.#channel.close();
      this.#channel = undefined;
    }
    if (wasLeading) this.#callbacks.follow();
  }

  /** Leaves for good, without callbacks. */
  stop(): void {
    this.#stopped = true;
    this.#leading = false;
    this.release();
  }

  /** Queues for the lock as a follower, probing at once so a newcomer learns the term without waiting a beat. */
  #follow(): void {
    this.#clearTimer();
    this.#dropTicket();
    this.#lastHeard = this.#environment.clock.now();
    this.#probeSent = undefined;
    this.#post('probe');
    this.#request(false);
    this.#schedule(this.#timing.deadAfter);
  }

  #request(steal: boolean): void {
    const ticket: LockTicket = { abort: steal ? undefined : new AbortController() };
    this.#ticket = ticket;
    const options = steal ? { steal: true } : { signal: ticket.abort?.signal };
    let request: Promise<unknown>;
    try {
      request = this.#environment.locks.request(
        this.#lockName,
        options,
        (lock) =>
          new Promise<void>((release) => {
            ticket.release = () => release();
            // Granted after we moved on (aborted too late to stop the grant, or left): hand it straight back.
            if (this.#ticket !== ticket || lock === null) release();
            else this.#lead();
          }),
      );
    } catch (error) {
      this.#refused(ticket, error);
      return;
    }
    request.then(
      () => this.#lockEnded(ticket),
      (error: unknown) => {
        if (this.#ticket !== ticket) return; // Our own abort of a ticket we replaced.
        if (this.#leading) this.#lockEnded(ticket);
        // Stolen before our callback ran (engines queue the callback first, but nothing promises it): queue again.
        else if (error instanceof Error && error.name === 'AbortError') this.#follow();
        else this.#refused(ticket, error);
      },
    );
  }

  /** The request of the current ticket settled while we hold it: the lock was stolen (or ended under us). */
  #lockEnded(ticket: LockTicket): void {
    if (this.#ticket !== ticket || !this.#leading) return;
    this.#stepDown();
  }

  #refused(ticket: LockTicket, error: unknown): void {
    if (this.#ticket !== ticket) return;
    this.#ticket = undefined;
    this.#clearTimer();
    this.#callbacks.failed?.(error);
  }

  #lead(): void {
    this.#clearTimer();
    this.#leading = true;
    this.#epoch = Math.max(this.#epoch + 1, Math.floor(this.#environment.clock.now()));
    this.#post('beat');
    this.#schedule(this.#timing.beat);
    this.#callbacks.lead(this.#epoch);
  }

  /** Stops leading (stolen, or a newer leader spoke) and queues again. */
  #stepDown(): void {
    this.#leading = false;
    this.#follow();
    this.#callbacks.follow();
  }

  #heard(data: unknown): void {
    if (!isElectionMessage(data) || !this.#joined) return;
    const now = this.#environment.clock.now();
    if (this.#leading) {
      const mine = { epoch: this.#epoch, id: this.#id };
      if (data.type === 'beat' && newer(data, mine)) {
        this.#epoch = data.epoch;
        this.#stepDown();
        this.#lastHeard = now;
      } else if (data.type === 'probe' && data.epoch > this.#epoch) {
        // Someone knows of a newer term than ours: ours was taken while we were not running.
        this.#epoch = data.epoch;
        this.#stepDown();
      } else if (data.type === 'probe') {
        // Answered from a deferred task, not from this handler: Chromium runs BroadcastChannel handlers in a frozen
        // page but holds every other task (timers, its sockets' events), so only a held-while-frozen task proves
        // this context can still act as leader. Not a timer either: a hidden tab runs timers once a second.
        this.#environment.defer(() => {
          if (this.#leading) this.#post('beat');
        });
      } else if (newer(mine, data)) {
        // An older leader that has not yet learned it was replaced: tell it now. Only a strictly older claim is
        // answered, so two leaders can never keep answering each other.
        this.#post('beat');
      }
      return;
    }
    if (data.type !== 'beat' || data.epoch < this.#epoch) return;
    this.#epoch = data.epoch;
    this.#lastHeard = now;
  }

  #post(type: ElectionMessage['type']): void {
    const message: ElectionMessage = { election: 'ws-connection', type, epoch: this.#epoch, id: this.#id };
    this.#channel?.postMessage(message);
  }

  #schedule(ms: number): void {
    const generation = this.#generation;
    // A timer that fired while this page was frozen may run after `#clearTimer`: only the current one ticks.
    this.#timer = this.#environment.clock.setTimeout(() => {
      if (generation === this.#generation) this.#tick();
    }, ms);
  }

  /**
   * `#schedule` from within the timer's own callback, by way of a deferred task: a timer set by a timer
   * callback is "chained", and Chromium runs a hidden page's chained timers once a minute after five minutes
   * (https://developer.chrome.com/blog/timer-throttling-in-chrome-88); one set from another task is not.
   */
  #scheduleFromTimer(ms: number): void {
    const generation = this.#generation;
    this.#environment.defer(() => {
      if (generation === this.#generation && this.#joined) this.#schedule(ms);
    });
  }

  #clearTimer(): void {
    this.#generation++;
    if (this.#timer !== undefined) this.#environment.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** The one timer: the leader's beat, or the follower's watch over the leader's silence. */
  #tick(): void {
    this.#timer = undefined;
    if (!this.#joined) return;
    const { beat, deadAfter } = this.#timing;
    if (this.#leading) {
      this.#post('beat');
      this.#scheduleFromTimer(beat);
      return;
    }
    const now = this.#environment.clock.now();
    if (this.#probeSent !== undefined) {
      if (this.#lastHeard >= this.#probeSent) {
        this.#probeSent = undefined;
      } else {
        this.#probeSent = undefined;
        this.#steal();
        return;
      }
    }
    const silence = now - this.#lastHeard;
    if (silence < deadAfter) {
      this.#scheduleFromTimer(deadAfter - silence);
      return;
    }
    // Probe before stealing: a hidden leader beats late (throttled timers) but answers a probe at once, and a
    // follower that was itself asleep may have beats still queued. The jitter spreads followers' steals apart.
    this.#probeSent = now;
    this.#post('probe');
    this.#scheduleFromTimer(beat / 2 + (this.#environment.random() * beat) / 2);
  }

  /** Takes the lock from a leader that does not answer. */
  #steal(): void {
    this.#dropTicket();
    this.#request(true);
    // Until granted (at once, unless the lock manager refuses) the watch goes on.
    if (!this.#leading && this.#ticket) this.#scheduleFromTimer(this.#timing.deadAfter);
  }

  #dropTicket(): void {
    const ticket = this.#ticket;
    this.#ticket = undefined;
    if (!ticket) return;
    ticket.abort?.abort();
    ticket.release?.();
  }
}

interface TabHost {
  navigator?: { locks?: Partial<LockManagerLike> };
  MessageChannel?: typeof MessageChannel;
  BroadcastChannel?: new (name: string) => {
    postMessage(message: unknown): void;
    onmessage: ((event: MessageEvent) => void) | null;
    close(): void;
  };
}

/**
 * Whether this context has what `share="tabs"` needs: the Web Locks API
 * (secure contexts only, so `http:` pages other than localhost lack it) and
 * `BroadcastChannel`. Feature detection, read when called.
 */
export function tabsSupported(): boolean {
  const host = globalThis as TabHost;
  return (
    typeof host.navigator?.locks?.request === 'function' &&
    typeof host.BroadcastChannel === 'function' &&
    typeof host.MessageChannel === 'function'
  );
}

/** `defer` over one `MessageChannel` that posts to itself: callbacks run in order, one task each. */
function messageChannelDefer(Channel: typeof MessageChannel): (callback: () => void) => void {
  const waiting: (() => void)[] = [];
  let ports: MessageChannel | undefined;
  return (callback) => {
    if (!ports) {
      ports = new Channel();
      ports.port1.onmessage = () => waiting.shift()?.();
    }
    waiting.push(callback);
    ports.port2.postMessage(null);
  };
}

/** The host's locks, channels, clock and randomness, or `undefined` where `tabsSupported()` is false. */
export function hostTabEnvironment(): TabElectionEnvironment | undefined {
  if (!tabsSupported()) return undefined;
  const host = globalThis as Required<TabHost> & { navigator: { locks: LockManagerLike } };
  const locks = host.navigator.locks;
  const Channel = host.BroadcastChannel;
  const defer = messageChannelDefer(host.MessageChannel);
  return {
    locks: { request: (name, options, callback) => locks.request(name, options, callback) },
    openChannel(name) {
      const channel = new Channel(name);
      // An adapter, not the channel itself: `MessageEvent` handlers and `{ data }` handlers differ in type only.
      const adapter: ChannelLike = {
        onmessage: null,
        postMessage: (message) => channel.postMessage(message),
        close: () => channel.close(),
      };
      channel.onmessage = (event) => adapter.onmessage?.(event);
      return adapter;
    },
    clock: systemClock,
    random: Math.random,
    defer,
  };
}
