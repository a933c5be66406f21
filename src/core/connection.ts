import { backoffDelay } from './backoff.js';
import { includesCloseCode } from './close-codes.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { WsConnectionError } from './errors.js';
import { HandshakeRun } from './handshake.js';
import { LazyModule } from './lazy-module.js';
import type { Session, SessionLost, SessionObserver, SessionState } from './session.js';
import { decodeSessionMessage, encodeSessionMessage } from './session-message.js';
import { HeartbeatMonitor } from './heartbeat.js';
import { lateTimerClock } from './late-timers.js';
import { errorMessage, parseMessage, serializeMessage } from './message-format.js';
import { hostNetwork, type NetworkStatus } from './network.js';
import { defaultOptions, type ConnectionOptions } from './options.js';
import { SendQueue, type SocketData } from './send-queue.js';
import { resolveSocketUrl } from './socket-url.js';
import { OPEN, type SocketClose, type SocketConstructor, type SocketLike, type SocketMessage } from './socket-like.js';
import type { Status } from './status.js';
import { hostWakeSignals, type WakeSignals } from './wake.js';

/** The side effects a connection needs, injected so tests control them. */
export interface ConnectionEnvironment {
  /** Defaults to the host's global `WebSocket`, looked up when connecting. */
  WebSocket?: SocketConstructor;
  clock?: Clock;
  /** Numbers in [0, 1) for jitter; defaults to `Math.random`. */
  random?: () => number;
  network?: NetworkStatus;
  /** Defaults to the document's `visibilitychange` (to visible) and `resume`. */
  wake?: WakeSignals;
  /** Where `resume`'s session comes from; defaults to its chunk, loaded on first use. */
  sessionModule?: LazyModule<SessionModule>;
  /** With `resume`: a session another tab held, to go on with here (`share="tabs"`). */
  sessionState?: SessionState;
}

export type SessionModule = typeof import('./session.js');

/**
 * `resume` is a chunk of its own (`resume.min.js` in the CDN build): pages
 * that never set it never fetch it. Until it is in, what is sent waits in
 * the connection's queue, encoded as a session would encode it.
 */
const sessionChunk = new LazyModule<SessionModule>(() => import('./session.js'));

/** What the connection tells its owner. Every callback may call back into the connection. */
export interface ConnectionCallbacks {
  status?(status: Status, previous: Status): void;
  open?(): void;
  message?(data: unknown, message: SocketMessage): void;
  close?(close: SocketClose): void;
  error?(error: WsConnectionError): void;
  /** A retry is scheduled after `delay` ms; return `false` to stop retrying instead. */
  retry?(attempt: number, delay: number): boolean;
  /** A heartbeat's reply arrived, `rtt` ms after the heartbeat was sent. */
  heartbeat?(rtt: number): void;
  /** With `resume`: every change to the session's state, for a copy in other tabs. */
  session?: SessionObserver;
}

export interface SendOptions {
  /** `false`: send only if open, never hold it (for what is worthless later: a cursor, "typing…"). */
  queue?: boolean;
}

const ACTIVE: ReadonlySet<Status> = new Set(['connecting', 'open', 'reconnecting']);

/**
 * One WebSocket kept alive: connects, retries with backoff, queues sends
 * while not open, and watches for half-open sockets. Framework-free; the
 * `<ws-connection>` element is a thin shell over it.
 *
 * Noticing a dead socket sooner: the page coming back (visible, resumed),
 * the network coming back, or a timer firing `heartbeatInterval` late (the
 * device or page was suspended) are reasons to doubt the socket. Each runs a
 * waiting retry at once and, with heartbeats on, probes an open socket
 * (`HeartbeatMonitor.probe`).
 *
 * Re-entrancy: every callback may call `connect()`, `close()` or
 * `reconnect()`. Each such call bumps `#run`, and code that continues after
 * a callback checks that `#run` is unchanged before acting on stale state.
 */
export class Connection {
  readonly #callbacks: ConnectionCallbacks;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #network: NetworkStatus;
  readonly #wake: WakeSignals;
  readonly #webSocket: SocketConstructor | undefined;
  readonly #sessionModule: LazyModule<SessionModule>;
  /** Used by the first session made, then let go. */
  #sessionState: SessionState | undefined;
  #options: ConnectionOptions;
  #queue: SendQueue;

  #status: Status = 'closed';
  #socket: SocketLike | null = null;
  #attempt = 0;
  #run = 0;
  #retryTimer: TimerHandle | undefined;
  #connectTimer: TimerHandle | undefined;
  #uptimeTimer: TimerHandle | undefined;
  #closingTimer: TimerHandle | undefined;
  #heartbeat: HeartbeatMonitor | null = null;
  #waitingForNetwork = false;
  /** An attempt is under way or its socket is open: from `#attemptNow` until `#teardown`. */
  #attempting = false;
  #stopListeningForSignals: (() => void) | undefined;
  /** The clean close `close()` started, owed to the owner if the socket is dropped before its own `close`. */
  #closeStarted: SocketClose | undefined;
  /** The current socket's handshake, from its `open` until the socket goes. */
  #handshake: HandshakeRun | undefined;
  #rtt: number | null = null;
  /** When the current socket's latest unanswered heartbeat was sent. */
  #pingSentAt: number | undefined;
  /** With `resume`: the session, across sockets. */
  #session: Session | null = null;
  /** With `resume`: the current socket said hello and its welcome has not come yet. */
  #awaitingWelcome = false;
  /** With `resume`: sockets in a row the server closed with 4002 before its welcome. */
  #refusedResumes = 0;

  constructor(
    options: Partial<ConnectionOptions> = {},
    callbacks: ConnectionCallbacks = {},
    environment: ConnectionEnvironment = {},
  ) {
    this.#options = { ...defaultOptions, ...options };
    this.#callbacks = callbacks;
    this.#clock = lateTimerClock(environment.clock ?? systemClock, this.#onTimerLate);
    this.#random = environment.random ?? Math.random;
    this.#network = environment.network ?? hostNetwork;
    this.#wake = environment.wake ?? hostWakeSignals;
    this.#webSocket = environment.WebSocket;
    this.#queue = new SendQueue(this.#options.queueLimit);
    this.#sessionModule = environment.sessionModule ?? sessionChunk;
    this.#sessionState = environment.sessionState;
    if (this.#options.resume) this.#startSession();
  }

  /** With `resume` and its module in: the session, taking over what the queue held for it. */
  #startSession(): Session | null {
    const module = this.#sessionModule.current;
    if (!module) return null;
    const session = new module.Session(this.#clock, this.#options.json, this.#callbacks.session, this.#sessionState);
    this.#sessionState = undefined;
    session.adopt(this.#queue.clear() as string[]);
    this.#session = session;
    return session;
  }

  /** With `resume` and no session yet, the queue holds encoded session messages. */
  get #awaitingSessionModule(): boolean {
    return this.#options.resume && !this.#session;
  }

  /** With `resume`: the current session's id, as the server named it. */
  get session(): string | null {
    return this.#session?.id ?? null;
  }

  /** With `resume`: whether the open socket continues the session of the socket before it. */
  get resumed(): boolean {
    return this.#session?.resumed ?? false;
  }

  get status(): Status {
    return this.#status;
  }

  get socket(): SocketLike | null {
    return this.#socket;
  }

  /** The number of the latest retry in the current run of failures. */
  get attempt(): number {
    return this.#attempt;
  }

  get queued(): number {
    return this.#session?.queued ?? this.#queue.size;
  }

  /** The latest heartbeat's round trip on the current socket, ms; `null` before one was answered. */
  get rtt(): number | null {
    return this.#rtt;
  }

  /** Empties the queue and returns what it held, oldest first, as it would have been written. */
  clearQueue(): SocketData[] {
    if (this.#session) return this.#session.clearPending();
    const held = this.#queue.clear();
    const { json } = this.#options;
    return this.#awaitingSessionModule ? held.map((d) => decodeSessionMessage(d as string, json)) : held;
  }

  /** Empties the queue into `take`, oldest first (an element that starts sharing hands its queue to the group). */
  handOverQueue(take: (payload: SocketData) => void): void {
    // A session's held messages leave as `clearQueue()` gives them (their text); written ones stay with it.
    if (this.#options.resume) for (const payload of this.clearQueue()) take(payload);
    else this.#queue.drain(take);
  }

  get options(): Readonly<ConnectionOptions> {
    return this.#options;
  }

  /**
   * Changes options. A new `url` while active connects to it at once; an
   * empty one closes. Heartbeat settings apply to an open socket at once.
   */
  configure(changes: Partial<ConnectionOptions>): void {
    const previous = this.#options;
    this.#options = { ...previous, ...changes };
    this.#queue.limit = this.#options.queueLimit;
    this.#configureSession(previous);
    if (this.#socket && changes.binaryType !== undefined) this.#socket.binaryType = changes.binaryType;
    if (changes.url !== undefined && changes.url !== previous.url && ACTIVE.has(this.#status)) {
      this.reconnect();
    } else if (this.#status === 'open' && this.#socket && this.#heartbeatChanged(previous)) {
      this.#startHeartbeat(this.#socket);
    }
  }

  /** `resume` switched, or a new endpoint: a new URL or protocols starts a new session. */
  #configureSession(previous: ConnectionOptions): void {
    const now = this.#options;
    if (now.resume !== previous.resume || (now.resume && now.json !== previous.json)) {
      // Switched while idle, as the element's attributes are set: what waited is carried over.
      const held = this.#queue.clear();
      const waiting =
        this.#session?.clearPending() ??
        (previous.resume ? held.map((d) => decodeSessionMessage(d as string, previous.json)) : held);
      this.#session = null;
      this.#queue = new SendQueue(now.queueLimit);
      const session = now.resume ? this.#startSession() : null;
      for (const payload of waiting) {
        try {
          if (session) session.send(payload, false, 0);
          else if (now.resume) this.#queue.push(encodeSessionMessage(payload, now.json));
          else this.#queue.push(payload);
        } catch (error) {
          // Binary data cannot go into a session: the owner hears of it rather than losing it silently.
          const { code, message } = error as WsConnectionError;
          this.#callbacks.error?.(new WsConnectionError(code, message, { cause: error, data: payload }));
        }
      }
    } else if (now.url !== previous.url || now.protocols.join() !== previous.protocols.join()) {
      this.#session?.restart();
    }
  }

  /** Starts connecting now, attempt count reset. No-op while open or on the first attempt. */
  connect(): void {
    // Status alone is not enough: inside a `close` callback it still reads `open`, yet nothing is left to keep.
    if (this.#attempting && (this.#status === 'open' || this.#status === 'connecting')) return;
    this.reconnect();
  }

  /** Drops the current socket and connects again now, attempt count reset. */
  reconnect(): void {
    if (!this.#drop(1000)) return;
    this.#attempt = 0;
    if (this.#options.url === '' && !this.#options.urlProvider) {
      this.#setStatus('closed');
      return;
    }
    this.#attempting = true;
    const run = this.#run;
    this.#setStatus('connecting');
    if (run === this.#run) this.#attemptNow();
  }

  /**
   * Closes and stops retrying. An open socket goes through the closing
   * handshake (status `closing` until its `close`); anything else stops now.
   * Throws, like `WebSocket.close`, for a code or reason the socket refuses.
   *
   * A peer that does not answer the closing handshake within
   * `heartbeatTimeout` is taken for dead: the socket is dropped with a close
   * of 1006. Browsers wait a full minute for it (Chromium: 60 s), and a
   * half-open connection would otherwise hold the status at `closing` so long.
   */
  close(code = 1000, reason = ''): void {
    const socket = this.#socket;
    if (socket?.readyState === OPEN && this.#status !== 'closing') {
      this.#session?.acknowledgeNow();
      socket.close(code, reason);
      this.#stopTimers();
      this.#closeStarted = { code, reason, wasClean: true };
      this.#closingTimer = this.#clock.setTimeout(() => {
        this.#closingTimer = undefined;
        if (this.#drop(1006)) this.#setStatus('closed');
      }, this.#options.heartbeatTimeout);
      this.#setStatus('closing');
      return;
    }
    if (this.#status === 'closing') return;
    if (this.#drop(code)) this.#setStatus('closed');
  }

  /**
   * Closes and stops retrying now, without waiting for an open socket's
   * closing handshake: the socket is closed with 1000 and reported at once
   * (`close` with 1000, `wasClean: false`, then status `closed`), as
   * `reconnect()` reports the socket it drops. An element that moves into a
   * shared group leaves its own socket so, before it reports the group's status.
   */
  closeNow(): void {
    if (this.#drop(1000)) this.#setStatus('closed');
  }

  /**
   * Sends now when open (returns `true`); otherwise queues (returns `false`),
   * or with `{ queue: false }` drops it and returns `false`.
   * @throws {WsConnectionError} `serialize`, `queue-full` or `not-open`.
   */
  send(data: unknown, options?: SendOptions): boolean {
    const socket = this.#socket;
    const open = socket !== null && this.#status === 'open' && socket.readyState === OPEN;
    if (this.#session) return this.#session.send(data, open, this.#options.queueLimit, options?.queue);
    const { json } = this.#options;
    const payload = this.#awaitingSessionModule ? encodeSessionMessage(data, json) : serializeMessage(data, json);
    if (socket && open) {
      socket.send(payload);
      return true;
    }
    if (options?.queue === false) return false;
    this.#queue.push(payload);
    return false;
  }

  #setStatus(status: Status): void {
    const previous = this.#status;
    if (previous === status) return;
    this.#status = status;
    this.#listenForSignals(ACTIVE.has(status));
    this.#callbacks.status?.(status, previous);
  }

  /** Only while active: a closed or failed connection has nothing to retry or probe. */
  #listenForSignals(listen: boolean): void {
    if (listen && !this.#stopListeningForSignals) {
      const stopOnline = this.#network.onOnline(this.#onReasonToDoubt);
      const stopWake = this.#wake.onWake(this.#onReasonToDoubt);
      this.#stopListeningForSignals = () => {
        stopOnline();
        stopWake();
      };
    } else if (!listen && this.#stopListeningForSignals) {
      this.#stopListeningForSignals();
      this.#stopListeningForSignals = undefined;
    }
  }

  /**
   * The network or the page came back, or time jumped: the waiting attempt,
   * held back while offline or by its backoff delay, runs at once, and an
   * open socket is probed (heartbeats on) rather than trusted until the
   * next idle interval.
   */
  #onReasonToDoubt = (): void => {
    if (this.#waitingForNetwork || this.#retryTimer !== undefined) {
      this.#clearTimer(this.#retryTimer);
      this.#retryTimer = undefined;
      this.#attemptNow();
    } else if (this.#status === 'open') {
      this.#heartbeat?.probe();
    }
  };

  /**
   * Without heartbeats there is no interval to measure lateness by (any
   * timer is late by 0), and nothing to probe: only the events count then.
   */
  #onTimerLate = (lateBy: number): void => {
    const { heartbeatInterval } = this.#options;
    if (heartbeatInterval > 0 && lateBy >= heartbeatInterval && ACTIVE.has(this.#status)) this.#onReasonToDoubt();
  };

  #attemptNow(): void {
    const run = ++this.#run;
    this.#attempting = true;
    // Offline, an attempt would only fail and count against max-retries.
    this.#waitingForNetwork = !this.#network.online;
    if (this.#waitingForNetwork) return;

    const { connectTimeout } = this.#options;
    if (connectTimeout > 0) {
      this.#connectTimer = this.#clock.setTimeout(() => {
        this.#connectTimer = undefined;
        this.#attemptFailed(
          new WsConnectionError('timeout', `The connection did not open within ${connectTimeout} ms.`),
        );
      }, connectTimeout);
    }
    if (!this.#awaitingSessionModule) {
      this.#resolveUrl(run);
      return;
    }
    // The session's chunk first, like an async urlProvider: status `connecting` meanwhile, counted by the timeout.
    this.#sessionModule.load().then(
      () => {
        if (run !== this.#run) return;
        if (!this.#session) this.#startSession();
        this.#resolveUrl(run);
      },
      (cause: unknown) => {
        if (run !== this.#run) return;
        const message = `The resume chunk did not load: ${errorMessage(cause)}`;
        this.#attemptFailed(new WsConnectionError('chunk-load', message, { cause }));
      },
    );
  }

  /** Opens the socket at `url`, or at what `urlProvider` gives. */
  #resolveUrl(run: number): void {
    const { urlProvider } = this.#options;
    if (!urlProvider) {
      this.#openSocket(this.#options.url, false);
      return;
    }
    const providerFailed = (cause: unknown): void => {
      if (run !== this.#run) return;
      this.#attemptFailed(
        new WsConnectionError('url-provider', `urlProvider failed: ${errorMessage(cause)}`, { cause }),
      );
    };
    let provided: string | Promise<string>;
    try {
      provided = urlProvider();
    } catch (cause) {
      providerFailed(cause);
      return;
    }
    if (typeof provided === 'string') {
      this.#openSocket(provided, true);
      return;
    }
    Promise.resolve(provided).then((url) => {
      if (run === this.#run) this.#openSocket(url, true);
    }, providerFailed);
  }

  /**
   * A URL or constructor error from the `url` option is the user's to fix, so
   * it is final; one from `urlProvider` may differ next time, so it is retried.
   */
  #openSocket(url: unknown, fromProvider: boolean): void {
    const failed = (error: WsConnectionError): void => {
      if (fromProvider) this.#attemptFailed(error);
      else this.#fail(error);
    };
    const resolved = typeof url === 'string' ? resolveSocketUrl(url, this.#options.baseUrl) : undefined;
    if (resolved === undefined) {
      failed(new WsConnectionError('invalid-url', `Not a WebSocket URL: "${String(url)}".`));
      return;
    }
    const { protocols } = this.#options;
    let socket: SocketLike;
    try {
      const WebSocket = this.#webSocket ?? globalThis.WebSocket;
      socket = new WebSocket(resolved, protocols.length > 0 ? [...protocols] : undefined);
    } catch (cause) {
      failed(new WsConnectionError('socket', `Cannot create the WebSocket: ${errorMessage(cause)}`, { cause }));
      return;
    }
    socket.binaryType = this.#options.binaryType;
    socket.onopen = () => this.#onOpen(socket);
    socket.onmessage = (message: SocketMessage) => this.#onMessage(message);
    socket.onerror = () => this.#callbacks.error?.(new WsConnectionError('socket', 'The WebSocket reported an error.'));
    socket.onclose = (close: SocketClose) => this.#onClose(close);
    this.#socket = socket;
  }

  /**
   * With a `handshake`, the socket counts as open only once it resolved:
   * until then the status stays, the queue waits and frames go to its
   * `receive()`. `connect-timeout` still runs.
   */
  #onOpen(socket: SocketLike): void {
    const session = this.#session;
    if (session) {
      // The session's welcome comes first; `connect-timeout` covers a server that never answers.
      this.#awaitingWelcome = true;
      session.hello((text) => socket.send(text));
      return;
    }
    this.#handshakeOrOpen(socket, false);
  }

  /**
   * A server that answers a resume with 4002 and no welcome (its numbers and ours disagree) would do so until the
   * session expires; after the second in a row the element starts a new session instead (`session-lost`).
   */
  #noteRefusedResume(code: number): void {
    if (!this.#awaitingWelcome || code !== 4002) return;
    if (++this.#refusedResumes < 2) return;
    this.#refusedResumes = 0;
    this.#session?.forget();
  }

  /** With `resume`: the server's first frame decides whether the session goes on. */
  #onWelcome(socket: SocketLike, session: Session, data: unknown): void {
    this.#awaitingWelcome = false;
    this.#refusedResumes = 0;
    let lost: SessionLost | undefined;
    try {
      lost = session.welcome(data);
    } catch (error) {
      this.#attemptFailed(error as WsConnectionError, 4002);
      return;
    }
    if (lost) {
      const run = this.#run;
      this.#callbacks.error?.(
        new WsConnectionError(
          'session-lost',
          `The server no longer has session ${lost.previous}; ${lost.unacknowledged} unacknowledged messages are sent again.`,
          { data: lost },
        ),
      );
      if (run !== this.#run || this.#socket !== socket) return;
    }
    if (session.resumed) this.#opened(socket, []);
    else this.#handshakeOrOpen(socket, false);
  }

  #handshakeOrOpen(socket: SocketLike, resumed: boolean): void {
    const { handshake, json } = this.#options;
    if (!handshake) {
      this.#opened(socket, []);
      return;
    }
    const session = this.#session;
    const run = new HandshakeRun(
      socket,
      session ? (data) => session.send(data, true, 0) : (data) => socket.send(serializeMessage(data, json)),
      session ? (data) => data : (data) => parseMessage(data, json),
      resumed,
    );
    this.#handshake = run;
    const done = (): void => {
      if (this.#handshake === run && this.#socket === socket) this.#opened(socket, run.finish());
    };
    const failed = (cause: unknown): void => {
      if (this.#handshake !== run) return;
      const error = new WsConnectionError('handshake', `The handshake failed: ${errorMessage(cause)}`, { cause });
      this.#attemptFailed(error, 1000);
    };
    let result: void | Promise<void>;
    try {
      result = handshake(run.context);
    } catch (cause) {
      failed(cause);
      return;
    }
    if (result === undefined) done();
    else Promise.resolve(result).then(done, failed);
  }

  /** The socket is ready: the queue goes first, then the owner hears `open`, then what the handshake left. */
  #opened(socket: SocketLike, unclaimed: readonly SocketMessage[]): void {
    this.#clearTimer(this.#connectTimer);
    this.#connectTimer = undefined;
    // Flushed before anyone hears of the open, so queued messages go before anything sent in reaction.
    try {
      if (this.#session) this.#session.flush();
      else this.#queue.drain((data) => socket.send(data));
    } catch (cause) {
      // What could not be sent stays queued for the next socket.
      this.#attemptFailed(
        new WsConnectionError('socket', `Sending the queue failed: ${errorMessage(cause)}`, { cause }),
      );
      return;
    }
    this.#startHeartbeat(socket);
    const { minUptime } = this.#options;
    if (minUptime > 0) {
      this.#uptimeTimer = this.#clock.setTimeout(() => {
        this.#uptimeTimer = undefined;
        this.#attempt = 0;
      }, minUptime);
    } else {
      this.#attempt = 0;
    }
    const run = this.#run;
    this.#setStatus('open');
    // A status listener may already have closed it again.
    if (run === this.#run && this.#status === 'open') this.#callbacks.open?.();
    for (const frame of unclaimed) {
      if (this.#socket !== socket) return;
      if (this.#session) this.#callbacks.message?.(frame.data, frame);
      else this.#dispatch(frame);
    }
  }

  #onMessage(message: SocketMessage): void {
    const session = this.#session;
    if (session) {
      this.#onSessionMessage(session, message);
      return;
    }
    const { heartbeatInterval, heartbeatReply } = this.#options;
    const handshake = this.#handshake;
    if (handshake?.receiving) {
      if (heartbeatInterval <= 0 || message.data !== heartbeatReply) handshake.take(message);
      return;
    }
    const heartbeat = this.#heartbeat;
    if (heartbeat) {
      heartbeat.received();
      if (message.data === heartbeatReply) {
        this.#heartbeatAnswered();
        return;
      }
    }
    this.#dispatch(message);
  }

  /** With `resume`: every frame is the protocol's; data frames reach the handshake or `message` once each. */
  #onSessionMessage(session: Session, message: SocketMessage): void {
    const socket = this.#socket;
    if (!socket) return;
    if (this.#awaitingWelcome) {
      this.#onWelcome(socket, session, message.data);
      return;
    }
    this.#heartbeat?.received();
    let frame;
    try {
      frame = session.receive(message.data);
    } catch (error) {
      this.#attemptFailed(error as WsConnectionError, 4002);
      return;
    }
    if (frame.kind === 'pong') this.#heartbeatAnswered();
    if (frame.kind !== 'data') return;
    const handshake = this.#handshake;
    // The message keeps the socket's event for its origin; its data is the session's.
    if (handshake?.receiving) handshake.take({ data: frame.data, origin: message.origin });
    else this.#callbacks.message?.(frame.data, message);
  }

  #heartbeatAnswered(): void {
    if (this.#pingSentAt === undefined) return;
    const rtt = this.#clock.now() - this.#pingSentAt;
    this.#pingSentAt = undefined;
    this.#rtt = rtt;
    this.#callbacks.heartbeat?.(rtt);
  }

  #dispatch(message: SocketMessage): void {
    let data = message.data;
    try {
      data = parseMessage(data, this.#options.json);
    } catch (error) {
      this.#callbacks.error?.(error as WsConnectionError);
      return;
    }
    this.#callbacks.message?.(data, message);
  }

  #onClose(close: SocketClose): void {
    const closing = this.#status === 'closing';
    this.#noteRefusedResume(close.code);
    this.#teardown();
    const run = this.#run;
    this.#callbacks.close?.({ code: close.code, reason: close.reason, wasClean: close.wasClean });
    if (run !== this.#run) return;
    if (closing) this.#setStatus('closed');
    else if (includesCloseCode(this.#options.stopCodes, close.code)) this.#setStatus('failed');
    else this.#scheduleRetry();
  }

  /** An attempt or an open socket failed without a close event of its own (timeout, heartbeat, provider). */
  #attemptFailed(error: WsConnectionError, closeCode = 1006): void {
    const dropped = this.#teardown(closeCode);
    const run = this.#run;
    this.#callbacks.error?.(error);
    // The dropped socket's close is owed even if the error listener moved on (closed, reconnected).
    if (dropped) this.#callbacks.close?.(dropped);
    if (run === this.#run) this.#scheduleRetry();
  }

  /**
   * Tears down and tells the owner of the socket it dropped, if any.
   * Returns `false` when a callback took over (called connect, close…).
   */
  #drop(closeCode: number): boolean {
    const dropped = this.#teardown(closeCode);
    if (!dropped) return true;
    const run = this.#run;
    this.#callbacks.close?.(dropped);
    return run === this.#run;
  }

  /** Gives up without retrying: the failure is one that retrying cannot fix. */
  #fail(error: WsConnectionError): void {
    this.#teardown(1006);
    const run = this.#run;
    this.#callbacks.error?.(error);
    if (run === this.#run) this.#setStatus('failed');
  }

  #scheduleRetry(): void {
    if (this.#attempt >= this.#options.maxRetries) {
      this.#setStatus('failed');
      return;
    }
    const attempt = ++this.#attempt;
    const delay = backoffDelay(attempt, this.#options, this.#random);
    const run = this.#run;
    const proceed = this.#callbacks.retry?.(attempt, delay) ?? true;
    if (run !== this.#run) return;
    if (!proceed) {
      this.#setStatus('closed');
      return;
    }
    this.#setStatus('reconnecting');
    if (run !== this.#run) return;
    this.#retryTimer = this.#clock.setTimeout(() => {
      this.#retryTimer = undefined;
      this.#attemptNow();
    }, delay);
  }

  #startHeartbeat(socket: SocketLike): void {
    this.#heartbeat?.stop();
    this.#heartbeat = null;
    const { heartbeatInterval, heartbeatTimeout } = this.#options;
    if (heartbeatInterval <= 0) return;
    this.#heartbeat = new HeartbeatMonitor(
      this.#clock,
      { interval: heartbeatInterval, timeout: heartbeatTimeout },
      () => {
        this.#pingSentAt = this.#clock.now();
        socket.send(this.#session ? '{"t":"ping"}' : this.#options.heartbeatMessage);
      },
      () =>
        this.#attemptFailed(
          new WsConnectionError('heartbeat', `No reply to a heartbeat within ${heartbeatTimeout} ms.`),
        ),
    );
    this.#heartbeat.start();
  }

  #heartbeatChanged(previous: ConnectionOptions): boolean {
    const now = this.#options;
    return (
      now.heartbeatInterval !== previous.heartbeatInterval ||
      now.heartbeatTimeout !== previous.heartbeatTimeout ||
      now.heartbeatReply !== previous.heartbeatReply
    );
  }

  #stopTimers(): void {
    this.#clearTimer(this.#retryTimer);
    this.#clearTimer(this.#connectTimer);
    this.#clearTimer(this.#uptimeTimer);
    this.#clearTimer(this.#closingTimer);
    this.#retryTimer = this.#connectTimer = this.#uptimeTimer = this.#closingTimer = undefined;
    this.#heartbeat?.stop();
    this.#heartbeat = null;
    this.#handshake?.abort();
    this.#handshake = undefined;
    this.#awaitingWelcome = false;
    this.#waitingForNetwork = false;
    this.#attempting = false;
  }

  /**
   * Stops every timer, invalidates pending async work and, when given a
   * close code, drops the socket: its handlers are detached first, so its
   * own late `close` cannot disturb the next attempt. Returns the close the
   * owner should hear about for a socket dropped that way.
   */
  #teardown(closeCode?: number): SocketClose | undefined {
    this.#stopTimers();
    this.#run++;
    const closeStarted = this.#closeStarted;
    this.#closeStarted = undefined;
    const socket = this.#socket;
    if (!socket) return undefined;
    this.#socket = null;
    this.#rtt = null;
    this.#pingSentAt = undefined;
    this.#session?.detach();
    socket.onopen = socket.onmessage = socket.onerror = socket.onclose = null;
    if (closeCode === undefined) return undefined;
    // Connecting again during our own closing handshake (a page back from the back/forward cache before the
    // browser delivered the socket's `close`): the peer got our close frame, so report the clean close we made.
    if (closeStarted && closeCode === 1000) return closeStarted;
    const wasOpen = socket.readyState === OPEN;
    try {
      // Browsers accept only 1000 and 3000–4999 from a client; anything else is our own bookkeeping.
      socket.close(wasOpen && (closeCode === 1000 || (closeCode >= 3000 && closeCode <= 4999)) ? closeCode : undefined);
    } catch {
      // Closing a socket that is already closing cannot fail in a way that matters here.
    }
    return { code: wasOpen ? closeCode : 1006, reason: '', wasClean: false };
  }

  #clearTimer(handle: TimerHandle | undefined): void {
    if (handle !== undefined) this.#clock.clearTimeout(handle);
  }
}
