import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { closeCodes } from './close-codes.js';
import { type ClientFrame, FrameError, parseClientFrame } from './frames.js';
import { MemorySessionStore } from './memory-session-store.js';
import { newSessionId } from './session-id.js';
import type { SessionRecord, SessionStore } from './session-store.js';
import { ServerSession, type SessionContext } from './session.js';
import { SocketLink } from './socket-link.js';

export interface SessionServerOptions {
  /** How long, in ms, a session without a socket is kept for a resume. Default 120000. */
  ttl?: number;
  /** Most messages a session keeps unacknowledged; one more ends it (`overflow`). Default 1000. */
  bufferLimit?: number;
  /**
   * The user a socket's session belongs to, from its upgrade request (a
   * cookie, a token). A resume by another user is answered as an unknown
   * session. Default: everyone is the same user. Throwing or rejecting
   * closes the socket with 1008.
   */
  identify?: (request: IncomingMessage) => string | Promise<string>;
  /** Where sessions live between sockets. Default: a new `MemorySessionStore`. */
  store?: SessionStore;
  /** How long, in ms, a socket may take to send its `hello` before it is closed (4002). Default 10000. */
  helloTimeout?: number;
}

export interface SessionServerEvents {
  /**
   * A session comes to life in this process: a new one, or one resumed from
   * the store that this process did not hold (opened by another process
   * sharing the store).
   */
  session: [session: ServerSession];
}

/** How often a resume retries when another process claims the same session between its load and its claim. */
const CLAIM_ATTEMPTS = 3;

/** Where a socket is in its life: before `hello`, while its session is found or made, then with a session. */
interface SocketState {
  user: Promise<string>;
  helloTimer: NodeJS.Timeout | undefined;
  phase: 'hello' | 'opening' | 'attached';
  /** Frames that came while the session was being found, delivered in order once it is. */
  pending: ClientFrame[];
  session: ServerSession | undefined;
}

/**
 * The server side of the `resume` protocol (the contract's "The wire
 * protocol, version 1") for sockets of the `ws` package:
 *
 * ```js
 * const server = new SessionServer();
 * wss.on('connection', (socket, request) => server.accept(socket, request));
 * server.on('session', (session) => session.on('message', (data) => session.send(data)));
 * ```
 *
 * It numbers, stores, acknowledges and replays; the application sees each
 * client message once, in order, and `send()`s without caring whether a
 * socket is there.
 */
export class SessionServer extends EventEmitter<SessionServerEvents> {
  /** The store the sessions live in. */
  readonly store: SessionStore;
  readonly #ttl: number;
  readonly #bufferLimit: number;
  readonly #helloTimeout: number;
  readonly #identify: (request: IncomingMessage) => string | Promise<string>;
  readonly #sessions = new Map<string, ServerSession>();
  readonly #sockets = new Map<SocketLink, SocketState>();
  readonly #opening = new Set<Promise<void>>();
  readonly #context: SessionContext;
  #closed = false;
  readonly #unwatchFailure: (() => void) | undefined;
  /** Per session id, the last `send()` still on its way through the store. */
  readonly #sending = new Map<string, Promise<unknown>>();

  constructor(options: SessionServerOptions = {}) {
    super();
    this.#ttl = checkedCount('ttl', options.ttl ?? 120_000);
    this.#bufferLimit = checkedCount('bufferLimit', options.bufferLimit ?? 1000);
    this.#helloTimeout = checkedCount('helloTimeout', options.helloTimeout ?? 10_000);
    this.#identify = options.identify ?? (() => '');
    this.store = options.store ?? new MemorySessionStore();
    this.#context = {
      store: this.store,
      ttl: this.#ttl,
      bufferLimit: this.#bufferLimit,
      gone: (session) => {
        if (this.#sessions.get(session.id) === session) this.#sessions.delete(session.id);
      },
    };
    // A store that lost its database may have forgotten every session: none goes on as if it had not.
    this.#unwatchFailure = this.store.watchFailure?.((error) => {
      for (const session of [...this.#sessions.values()]) session.fail(error);
    });
  }

  /** The sessions this process holds, by id. */
  get sessions(): ReadonlyMap<string, ServerSession> {
    return this.#sessions;
  }

  /**
   * Sends `data` in session `id`, from whichever process runs this: the
   * session's own `send()` when this process holds it, else through the
   * store (`SessionStore.enqueue`) to the process that holds it, or to the
   * next one to resume it. Either way the client gets it once, numbered in
   * order with the session's other messages. Resolves `false` when there is
   * no such session (or it is over, or this message overflowed it), or when
   * the store cannot reach other processes and this one does not hold it.
   * Throws `TypeError` for a value JSON cannot hold.
   */
  send(id: string, data: unknown): Promise<boolean> {
    const json = JSON.stringify(data) as string | undefined;
    if (json === undefined) throw new TypeError('SessionServer.send: the message is not a JSON value');
    const held = this.#sessions.get(id);
    const before = this.#sending.get(id);
    if (!before && held && !held.ended) return Promise.resolve(held.send(data));
    // Messages for one session leave this process in the order they were sent, whichever way each goes.
    const sent = (before ?? Promise.resolve()).then(() => this.#sendThrough(id, data, json));
    const settled = sent.catch(() => undefined);
    this.#sending.set(id, settled);
    void settled.then(() => {
      if (this.#sending.get(id) === settled) this.#sending.delete(id);
    });
    return sent;
  }

  async #sendThrough(id: string, data: unknown, json: string): Promise<boolean> {
    const held = this.#sessions.get(id);
    if (held && !held.ended) {
      // What this process queued for it before it came here is numbered first.
      held.takeQueuedFirst();
      return held.send(data);
    }
    // A copy giving the session up hands what it still had to the store first.
    await held?.settled();
    if (!this.store.enqueue) return false;
    return (await this.store.enqueue(id, json, this.#bufferLimit)) === 'queued';
  }

  /** Takes a new `ws` connection: `wss.on('connection', (socket, request) => server.accept(socket, request))`. */
  accept(socket: WebSocket, request: IncomingMessage): void {
    if (this.#closed) {
      socket.close(closeCodes.goingAway, 'server closing');
      return;
    }
    const link = new SocketLink(socket, request, {
      text: (link, text) => this.#text(link, text),
      binary: (link) => link.close(closeCodes.protocol, 'binary frame'),
      closed: (link) => this.#socketClosed(link),
    });
    // identify() starts now, so its latency overlaps the wait for hello; a rejection is read in #open.
    const user = Promise.resolve().then(() => this.#identify(request));
    user.catch(() => undefined);
    this.#sockets.set(link, {
      user,
      helloTimer: setTimeout(
        () => link.close(closeCodes.protocol, `no hello within ${this.#helloTimeout} ms`),
        this.#helloTimeout,
      ).unref(),
      phase: 'hello',
      pending: [],
      session: undefined,
    });
  }

  /**
   * Closes every socket (1001) and stops every timer; the sessions stay in
   * the store for `ttl`, so a shared store lets their clients resume on
   * another process. Resolves once the store writes are done. `accept()`
   * refuses sockets after.
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.#unwatchFailure?.();
    for (const [link, state] of this.#sockets) {
      if (!state.session) link.close(closeCodes.goingAway, 'server closing');
    }
    await Promise.all([...this.#opening]);
    await Promise.all([...this.#sessions.values()].map((session) => session.shutdown()));
  }

  #text(link: SocketLink, text: string): void {
    const state = this.#sockets.get(link);
    if (!state) return;
    let frame: ClientFrame;
    try {
      frame = parseClientFrame(text);
    } catch (error) {
      link.close(closeCodes.protocol, error instanceof FrameError ? error.message : 'malformed frame');
      return;
    }
    switch (state.phase) {
      case 'hello':
        if (frame.t !== 'hello') {
          link.close(closeCodes.protocol, 'first frame is not hello');
          return;
        }
        clearTimeout(state.helloTimer);
        state.phase = 'opening';
        this.#track(this.#open(link, state, frame.resume));
        return;
      case 'opening':
        state.pending.push(frame);
        return;
      case 'attached':
        state.session?.receive(link, frame);
        return;
    }
  }

  #socketClosed(link: SocketLink): void {
    const state = this.#sockets.get(link);
    if (!state) return;
    this.#sockets.delete(link);
    clearTimeout(state.helloTimer);
    state.session?.detach(link);
  }

  /** The socket went, or the server is closing, while a hello was being answered. */
  #unwanted(link: SocketLink): boolean {
    return link.closed || this.#closed;
  }

  #track(opening: Promise<void>): void {
    this.#opening.add(opening);
    void opening.finally(() => this.#opening.delete(opening));
  }

  /** Finds the session a hello resumes, or makes a new one, and hands the socket to it. */
  async #open(
    link: SocketLink,
    state: SocketState,
    resume: { session: string; ack: number } | undefined,
  ): Promise<void> {
    let user: string | undefined;
    try {
      // A socket that goes while identify() is pending needs no answer (and close() need not wait for one).
      user = await Promise.race([state.user, link.gone.then(() => undefined)]);
    } catch {
      link.close(closeCodes.policy, 'identify failed');
      return;
    }
    if (user === undefined) return;
    try {
      const session =
        (resume && (await this.#resume(link, user, resume.session, resume.ack))) ?? (await this.#create(link, user));
      if (!session || link.closed) return;
      state.session = session;
      state.phase = 'attached';
      for (const frame of state.pending.splice(0)) session.receive(link, frame);
    } catch {
      // The store failed before any session held this socket; the client retries with backoff.
      link.close(closeCodes.internal, 'session store failed');
    }
  }

  /**
   * The session `id` for this socket, when it exists and is `user`'s:
   * `undefined` to answer with a new session, `null` when the socket was
   * refused (closed) instead.
   */
  async #resume(link: SocketLink, user: string, id: string, ack: number): Promise<ServerSession | null | undefined> {
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      if (this.#unwanted(link)) return null;
      const held = this.#sessions.get(id);
      if (held) {
        if (held.user !== user) return undefined;
        const outcome = await held.takeOver(link, ack);
        if (outcome === 'attached') return held;
        if (outcome === 'refused') return null;
        this.#context.gone(held);
        continue;
      }
      const record = await this.store.load(id);
      if (record?.user !== user) return undefined;
      if (!acceptsAck(record, ack)) {
        link.close(closeCodes.protocol, 'hello acknowledges frames the session does not hold');
        return null;
      }
      const claimed = await this.store.claim(id, record.epoch);
      if (!claimed) continue;
      const session = new ServerSession(claimed, this.#context);
      const older = this.#sessions.get(id);
      this.#sessions.set(id, session);
      // A copy another hello of this process adopted meanwhile; the claim above outdated it.
      older?.shutdown().catch(() => undefined);
      // Queued before `session` listeners run, so their sends follow the welcome and the replay.
      const attached = session.takeOver(link, ack, true);
      this.emit('session', session);
      return (await attached) === 'attached' ? session : null;
    }
    link.close(closeCodes.tryAgain, 'session busy');
    return null;
  }

  async #create(link: SocketLink, user: string): Promise<ServerSession | undefined> {
    if (this.#unwanted(link)) return undefined;
    const record: SessionRecord = {
      id: newSessionId(),
      user,
      epoch: 1,
      sent: 0,
      acknowledged: 0,
      received: 0,
      unacknowledged: [],
      expiresAt: null,
    };
    await this.store.create(record);
    if (this.#unwanted(link)) {
      // Nobody learned this id: nothing can resume it.
      await this.store.delete(record.id, record.epoch);
      return undefined;
    }
    const session = new ServerSession(record, this.#context);
    this.#sessions.set(session.id, session);
    session.attachFirst(link, () => this.emit('session', session));
    return session;
  }
}

/** The same rule as `ServerSession`'s, on a record loaded from the store. */
function acceptsAck(record: SessionRecord, ack: number): boolean {
  return ack >= record.acknowledged && ack <= record.sent;
}

function checkedCount(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`SessionServer: ${name} must be a whole number ≥ 0, not ${value}`);
  }
  return value;
}
