import type { Clock, TimerHandle } from '../../src/core/clock.js';
import type { ChannelLike, LockManagerLike, TabElectionEnvironment } from '../../src/share/tab-election.js';
import type { FakeClock } from '../core/fake-clock.js';

type LockOptions = Parameters<LockManagerLike['request']>[1];
type LockCallback = Parameters<LockManagerLike['request']>[2];

export type FreezeKind = 'page-lifecycle' | 'stalled';

function domError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/**
 * One browsing context ("tab") in a fake browser: everything that reaches it
 * (timers, channel messages, lock grants and the settling of lock requests)
 * arrives as a task on the shared fake clock. A frozen tab holds its tasks
 * back until it thaws, in order, as Chromium's frozen pages do; a closed tab
 * drops them and loses its locks.
 */
export class FakeTab {
  readonly name: string;
  readonly browser: FakeBrowser;
  #frozen: FreezeKind | undefined;
  #closed = false;
  #held: (() => void)[] = [];
  /** The shortest delay this tab's timers get, as in a hidden tab whose timers run once a second (0: none). */
  timerFloor = 0;

  constructor(name: string, browser: FakeBrowser) {
    this.name = name;
    this.browser = browser;
  }

  get frozen(): boolean {
    return this.#frozen !== undefined;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Queues `task` to run in this tab after `ms` on the shared clock; `message` tasks are channel messages. */
  task(task: () => void, ms = 0, kind: 'message' | 'other' = 'other'): TimerHandle {
    return this.browser.clock.setTimeout(() => this.browser.enqueue(() => this.#run(task, kind)), ms);
  }

  #run(task: () => void, kind: 'message' | 'other'): void {
    if (this.#closed) return;
    const runsWhileFrozen = this.#frozen === 'page-lifecycle' && kind === 'message';
    if (this.#frozen && !runsWhileFrozen) this.#held.push(task);
    else task();
  }

  /**
   * `page-lifecycle`: as Chromium freezes a page (CDP `Page.setWebLifecycleState`, seen in Chromium 156):
   * `BroadcastChannel` handlers still run, every other task waits. `stalled`: nothing runs (a hung main thread).
   */
  freeze(kind: FreezeKind = 'page-lifecycle'): void {
    this.#frozen = kind;
  }

  /** Resumes: the held tasks run as tasks again, in the order they arrived. */
  thaw(): void {
    this.#frozen = undefined;
    const held = this.#held;
    this.#held = [];
    for (const task of held) this.task(task);
  }

  /** Closed, crashed or navigated away: its locks go, its channels close, nothing more runs. */
  close(): void {
    this.#closed = true;
    this.#held = [];
    this.browser.locks.forget(this);
    this.browser.bus.forget(this);
  }

  /** This tab's view of the browser, for a `TabElection`. */
  environment(random: () => number = Math.random): TabElectionEnvironment {
    const clock: Clock = {
      setTimeout: (callback, ms) => this.task(callback, Math.max(ms, this.timerFloor)),
      // A timer that fired while frozen is already in `#held`; real engines cannot cancel it either once queued.
      clearTimeout: (handle) => this.browser.clock.clearTimeout(handle),
      now: () => this.browser.clock.now(),
    };
    return {
      locks: { request: (name, options, callback) => this.browser.locks.request(this, name, options, callback) },
      openChannel: (name) => this.browser.bus.open(this, name),
      clock,
      random,
      defer: (callback) => this.task(callback),
    };
  }
}

interface LockRequest {
  readonly tab: FakeTab;
  readonly name: string;
  readonly callback: LockCallback;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  /** Settled already (stolen, aborted): its callback's later result changes nothing. */
  done: boolean;
}

/**
 * The Web Locks of one origin, after the spec's "request a lock" algorithm for
 * exclusive locks: a FIFO queue per name, release when the callback's promise
 * settles, `steal` (the holder's request rejects with AbortError and the
 * stealer is granted at once), `ifAvailable` (callback with `null` when taken)
 * and `signal` (a queued request leaves the queue and rejects with AbortError).
 */
export class FakeLockManager {
  readonly #held = new Map<string, LockRequest>();
  readonly #queues = new Map<string, LockRequest[]>();
  /** Every grant, as `tab:name`, in order. */
  readonly grants: string[] = [];

  holder(name: string): FakeTab | undefined {
    return this.#held.get(name)?.tab;
  }

  queued(name: string): string[] {
    return (this.#queues.get(name) ?? []).map((request) => request.tab.name);
  }

  request(tab: FakeTab, name: string, options: LockOptions, callback: LockCallback): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (options.signal && (options.steal || options.ifAvailable)) {
        throw domError('NotSupportedError', 'signal cannot be combined with steal or ifAvailable');
      }
      if (options.steal && options.ifAvailable) throw domError('NotSupportedError', 'steal and ifAvailable');
      if (options.signal?.aborted) throw domError('AbortError', 'aborted');
      const request: LockRequest = { tab, name, callback, resolve, reject, done: false };
      const queue = this.#queues.get(name) ?? [];
      this.#queues.set(name, queue);
      if (options.steal) {
        const holder = this.#held.get(name);
        if (holder) {
          holder.done = true;
          holder.tab.task(() => holder.reject(domError('AbortError', 'The lock was stolen')));
        }
        this.#grant(request);
        return;
      }
      if (options.ifAvailable && (this.#held.has(name) || queue.length > 0)) {
        tab.task(() => this.#settleWith(request, callback(null)));
        return;
      }
      queue.push(request);
      options.signal?.addEventListener('abort', () => {
        const index = queue.indexOf(request);
        if (index < 0) return;
        queue.splice(index, 1);
        request.done = true;
        tab.task(() => reject(domError('AbortError', 'aborted')));
      });
      this.#next(name);
    });
  }

  /** A closed tab's locks are released and its queued requests dropped, with no callback. */
  forget(tab: FakeTab): void {
    for (const [name, queue] of this.#queues) {
      this.#queues.set(
        name,
        queue.filter((request) => request.tab !== tab),
      );
    }
    for (const [name, request] of [...this.#held]) {
      if (request.tab === tab) {
        this.#held.delete(name);
        this.#next(name);
      }
    }
  }

  #next(name: string): void {
    const queue = this.#queues.get(name) ?? [];
    if (this.#held.has(name)) return;
    const request = queue.shift();
    if (request) this.#grant(request);
  }

  #grant(request: LockRequest): void {
    this.#held.set(request.name, request);
    this.grants.push(`${request.tab.name}:${request.name}`);
    request.tab.task(() => {
      // Stolen before the callback ran: the real API still calls it (the grant task was queued), with a lock
      // already released.
      this.#settleWith(request, request.callback({ name: request.name }));
    });
  }

  #settleWith(request: LockRequest, result: Promise<unknown>): void {
    result.then(
      (value) => this.#finish(request, () => request.resolve(value)),
      (error: unknown) => this.#finish(request, () => request.reject(error)),
    );
  }

  #finish(request: LockRequest, settle: () => void): void {
    if (this.#held.get(request.name) === request) {
      this.#held.delete(request.name);
      this.#next(request.name);
    }
    if (request.done) return;
    request.done = true;
    request.tab.task(settle);
  }
}

/** `BroadcastChannel` for fake tabs: a message reaches every other open channel of the name, as a task, cloned. */
export class FakeBus {
  readonly #channels = new Set<{ tab: FakeTab; name: string; channel: ChannelLike }>();
  /** Every message posted, with the sending tab's name. */
  readonly posted: { from: string; data: unknown }[] = [];

  open(tab: FakeTab, name: string): ChannelLike {
    let open = true;
    const entry = {
      tab,
      name,
      channel: {
        onmessage: null,
        postMessage: (data: unknown) => {
          if (!open) throw domError('InvalidStateError', 'channel closed');
          // A frozen tab runs nothing, so it posts nothing; its held tasks post when it thaws.
          this.posted.push({ from: tab.name, data });
          for (const other of this.#channels) {
            if (other === entry || other.name !== name) continue;
            const copy = structuredClone(data);
            other.tab.task(
              () => {
                if (this.#channels.has(other)) other.channel.onmessage?.({ data: copy });
              },
              0,
              'message',
            );
          }
        },
        close: () => {
          open = false;
          this.#channels.delete(entry);
        },
      } satisfies ChannelLike as ChannelLike,
    };
    this.#channels.add(entry);
    return entry.channel;
  }

  forget(tab: FakeTab): void {
    for (const entry of [...this.#channels]) if (entry.tab === tab) this.#channels.delete(entry);
  }
}

/** Lets promise reactions (microtasks) run, as they do between two tasks of a real event loop. */
async function microtasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/**
 * Several fake tabs of one origin on one fake clock. Due timers only queue
 * their task here; `run(ms)` runs the tasks one at a time with microtasks in
 * between, so promise-based code sees a real event loop's order.
 */
export class FakeBrowser {
  readonly clock: FakeClock;
  readonly locks = new FakeLockManager();
  readonly bus = new FakeBus();
  readonly #tasks: (() => void)[] = [];
  /** Checked after every task (an invariant, say). */
  afterTask: (() => void) | undefined;

  constructor(clock: FakeClock) {
    this.clock = clock;
  }

  tab(name: string): FakeTab {
    return new FakeTab(name, this);
  }

  enqueue(task: () => void): void {
    this.#tasks.push(task);
  }

  /** Moves time forward by `ms`, running every task that falls due, in order. */
  async run(ms: number): Promise<void> {
    const end = this.clock.now() + ms;
    for (let turns = 0; ; turns++) {
      if (turns > 100_000) throw new Error(`FakeBrowser: runaway timers at ${this.clock.now()}`);
      await this.#drain();
      const next = this.clock.pendingDelays[0];
      if (next === undefined || this.clock.now() + next > end) break;
      this.clock.advance(next);
    }
    this.clock.advance(end - this.clock.now());
    await this.#drain();
  }

  async #drain(): Promise<void> {
    await microtasks();
    let ran = 0;
    for (let task = this.#tasks.shift(); task; task = this.#tasks.shift()) {
      if (++ran > 10_000) throw new Error(`FakeBrowser: runaway tasks at ${this.clock.now()}`);
      task();
      await microtasks();
      this.afterTask?.();
    }
  }
}
