import { backoffDelay } from './core/backoff.js';
import { systemClock, type Clock, type TimerHandle } from './core/clock.js';
import type { Connection, ConnectionCallbacks, SendOptions } from './core/connection.js';
import { WsConnectionError } from './core/errors.js';
import { LazyModule } from './core/lazy-module.js';
import { errorMessage } from './core/message-format.js';
import type { ConnectionOptions } from './core/options.js';
import type { SocketData } from './core/send-queue.js';
import type { Status } from './core/status.js';
import type { ConnectionLink } from './share/connection-link.js';
import { warnAboutGroupOptions } from './share/group-options.js';

/** What the share chunk (src/share/sharing.ts) gives the element. */
export type ShareModule = typeof import('./share/sharing.js');

/**
 * The share chunk, imported on the first use of `share`; the CDN build
 * writes it as `share.min.js` beside `ws-connection.min.js` (rollup.config.js).
 *
 * The pattern for any opt-in part (docs/architecture.md, "Chunks"): one
 * `LazyModule` whose `import()` names the chunk's entry module, a stand-in
 * that reads `connecting` while the chunk loads and turns a failed load into
 * an `error` with code `chunk-load` followed by the normal backoff, and the
 * synchronous path once `current` is set. `resume` follows it inside the
 * core: `Connection` keeps `new LazyModule(() => import('./session.js'))`
 * and, with `resume` on and the module not yet loaded, awaits `load()` as
 * the first step of an attempt (as it awaits an async `urlProvider`), the
 * queue waiting meanwhile; a rejection fails that attempt with `chunk-load`,
 * so its own retry loop is the backoff, and rollup names the chunk `resume`.
 */
export const shareChunk = new LazyModule<ShareModule>(() => import('./share/sharing.js'));

/**
 * The links asked to connect while the chunk loads, in the order asked: the
 * first of a key will start its group, so a later one is warned against it
 * now, as it would be on joining.
 */
const waiting = new Set<LoadingLink>();

/**
 * What an element with `share` drives until the share chunk is in. Asked
 * to connect, it reads `connecting`; what is sent meanwhile waits in the
 * element's own (idle) connection's queue, handed to the membership when the
 * element moves there (`loaded`, called once the chunk arrived). A chunk
 * that fails to load is an `error` (`chunk-load`) and a retry after the
 * element's backoff, as a failed attempt would be: `retry` (cancelable),
 * `reconnecting`, and `failed` once `max-retries` are spent.
 */
export class LoadingLink implements ConnectionLink {
  readonly key: string;
  readonly socket = null;
  readonly rtt = null;
  readonly session = null;
  readonly resumed = false;
  /** It was warned about its group options (see `waiting`); its membership is not warned again. */
  warned = false;
  readonly #callbacks: ConnectionCallbacks;
  readonly #own: Connection;
  readonly #chunk: LazyModule<unknown>;
  readonly #clock: Clock;
  readonly #random: () => number;
  #options: ConnectionOptions;
  #loaded: (() => void) | undefined;
  #status: Status = 'closed';
  #attempt = 0;
  #run = 0;
  #timer: TimerHandle | undefined;

  constructor(
    key: string,
    options: Readonly<ConnectionOptions>,
    callbacks: ConnectionCallbacks,
    own: Connection,
    loaded: () => void,
    {
      chunk = shareChunk,
      clock = systemClock,
      random = Math.random,
    }: { chunk?: LazyModule<unknown>; clock?: Clock; random?: () => number } = {},
  ) {
    this.key = key;
    this.#options = options;
    this.#callbacks = callbacks;
    this.#own = own;
    this.#loaded = loaded;
    this.#chunk = chunk;
    this.#clock = clock;
    this.#random = random;
    // Fetched now, connecting or not, so that a later connect() finds it in; a failure here counts only once
    // the element connects. Links that connect hand over from `#load`, in the order they connected.
    chunk.load().then(
      () => {
        if (this.#status === 'closed' || this.#status === 'failed') this.#arrived();
      },
      () => undefined,
    );
  }

  get status(): Status {
    return this.#status;
  }

  get attempt(): number {
    return this.#attempt;
  }

  get queued(): number {
    return this.#own.queued;
  }

  configure(changes: Partial<ConnectionOptions>): void {
    this.#options = { ...this.#options, ...changes };
  }

  send(data: unknown, options?: SendOptions): boolean {
    return this.#own.send(data, options);
  }

  clearQueue(): SocketData[] {
    return this.#own.clearQueue();
  }

  connect(): void {
    if (this.#status !== 'connecting') this.reconnect();
  }

  reconnect(): void {
    this.#stop();
    this.#attempt = 0;
    const { url, urlProvider } = this.#options;
    if (url === '' && !urlProvider) return this.#setStatus('closed');
    this.#setStatus('connecting');
    if (this.#status !== 'connecting') return;
    waiting.delete(this);
    const starter = [...waiting].find((link) => link.key === this.key);
    waiting.add(this);
    if (starter && !this.warned) this.warned = warnAboutGroupOptions(this.#options, starter.#options);
    this.#load();
  }

  close(): void {
    this.#stop();
    this.#setStatus('closed');
  }

  /**
   * Stops for good, for the membership that takes over now that the chunk is in, and returns the callbacks to
   * give it: its first status report continues from this link's, so an element that read `connecting` does not
   * hear `connecting` again, and one that read `reconnecting` hears `connecting` after it.
   */
  handOver(callbacks: ConnectionCallbacks): ConnectionCallbacks {
    this.#stop();
    this.#loaded = undefined;
    let shown: Status | undefined = this.#status;
    return {
      ...callbacks,
      status: (status, previous) => {
        const from = shown;
        shown = undefined;
        if (status !== from) callbacks.status?.(status, from ?? previous);
      },
    };
  }

  #stop(): void {
    waiting.delete(this);
    this.#run++;
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arrived = (): void => {
    const loaded = this.#loaded;
    this.#loaded = undefined;
    loaded?.();
  };

  #load(): void {
    const run = this.#run;
    this.#chunk.load().then(
      () => {
        if (run === this.#run) this.#arrived();
      },
      (cause: unknown) => {
        if (run === this.#run) this.#failed(cause);
      },
    );
  }

  /** As `Connection` schedules a retry; every callback may call back in, which bumps `#run`. */
  #failed(cause: unknown): void {
    const run = this.#run;
    this.#callbacks.error?.(
      new WsConnectionError('chunk-load', `The share chunk did not load: ${errorMessage(cause)}`, { cause }),
    );
    if (run !== this.#run) return;
    if (this.#attempt >= this.#options.maxRetries) return this.#setStatus('failed');
    const attempt = ++this.#attempt;
    const delay = backoffDelay(attempt, this.#options, this.#random);
    const proceed = this.#callbacks.retry?.(attempt, delay) ?? true;
    if (run !== this.#run) return;
    if (!proceed) return this.#setStatus('closed');
    this.#setStatus('reconnecting');
    if (run !== this.#run) return;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#load();
    }, delay);
  }

  #setStatus(status: Status): void {
    const previous = this.#status;
    if (previous === status) return;
    this.#status = status;
    if (status === 'closed' || status === 'failed') waiting.delete(this);
    this.#callbacks.status?.(status, previous);
  }
}
