import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { closeCodes } from './close-codes.js';
import { ackFrame, type ClientFrame, dataFrame, pongFrame, welcomeFrame } from './frames.js';
import type { SessionRecord, SessionStore, StoredFrame } from './session-store.js';
import type { SocketLink } from './socket-link.js';

/**
 * Why a session ended in this process:
 * - `expired`: no socket for `ttl` ms; the session is forgotten.
 * - `overflow`: more than `bufferLimit` messages unacknowledged; forgotten.
 * - `ended`: `end()` was called; forgotten.
 * - `moved`: another socket took the session over through the store, in
 *   another process (or the store no longer has it); it lives on there.
 * - `closed`: `SessionServer.close()`; the store keeps it for `ttl`, so a
 *   client can resume it on another process sharing the store.
 * - `error`: the store failed; the second argument of `end` is its error.
 */
export type EndReason = 'expired' | 'overflow' | 'ended' | 'moved' | 'closed' | 'error';

export interface ServerSessionEvents {
  /** A client message, each once, in the order the client sent them. */
  message: [data: unknown];
  /** A socket now holds the session: the first, or one that resumed it. */
  socket: [socket: WebSocket, request: IncomingMessage];
  /**
   * The session is over in this process (`ended` is true from the moment it
   * is decided); emitted once its last store write is done and the server no
   * longer lists it. It emits nothing after.
   */
  end: [reason: EndReason, error?: unknown];
}

/** What a session needs from the server that holds it. */
export interface SessionContext {
  readonly store: SessionStore;
  readonly ttl: number;
  readonly bufferLimit: number;
  /** Called once the session is over and its last store write is done. */
  gone(session: ServerSession): void;
}

/**
 * Coalescing window for acknowledgements: well inside the protocol's 250 ms
 * (which also has to cover the store's write before delivery), long enough
 * that one `a` frame covers a burst.
 */
const ACK_DELAY = 50;
/** Acknowledge at once after this many unacknowledged frames, so a client's outbox never waits on the timer alone. */
const ACK_EVERY = 64;

/** Outcome of a resume the server asked this session to take. */
export type TakeOver = 'attached' | 'refused' | 'gone';

/**
 * One session, held by this process: numbers both ways, the messages the
 * client has not acknowledged, and at most one socket.
 *
 * Every change goes through the store before it shows (a message is stored
 * before it is written, a client frame is recorded before it is delivered and
 * acknowledged), and every store call for a session runs after the one before
 * it (`#serially`), so delivery and acknowledgements keep their order however
 * slow or uneven the store is.
 */
export class ServerSession extends EventEmitter<ServerSessionEvents> {
  /** The session id, as the client sees it in `welcome`. */
  readonly id: string;
  /** The user `identify()` named when the session opened. */
  readonly user: string;

  readonly #context: SessionContext;
  #epoch: number;
  /** The highest number given to a message: stored, or being stored. */
  #numbered: number;
  /** Messages `send()` took that their queued step has not numbered yet. */
  #pending = 0;
  #acknowledged: number;
  #received: number;
  /** Stored, unacknowledged frames, in order: `#acknowledged + 1` … */
  #frames: StoredFrame[];
  #link: SocketLink | undefined;
  #expiresAt: number | null;
  #ended = false;
  #ackDue = false;
  #ackTimer: NodeJS.Timeout | undefined;
  #ttlTimer: NodeJS.Timeout | undefined;
  #unwatch: (() => void) | undefined;
  #unwatchQueued: (() => void) | undefined;
  #takeDue = false;
  #endReason: EndReason | undefined;
  #queue: Promise<void> = Promise.resolve();

  /** Sessions are made by `SessionServer`; an application never constructs one. */
  constructor(record: SessionRecord, context: SessionContext) {
    super();
    this.id = record.id;
    this.user = record.user;
    this.#context = context;
    this.#epoch = record.epoch;
    this.#numbered = record.sent;
    this.#acknowledged = record.acknowledged;
    this.#received = record.received;
    this.#frames = [...record.unacknowledged];
    this.#expiresAt = record.expiresAt;
    this.#watch();
  }

  /** Whether the session is over in this process (see `end`). */
  get ended(): boolean {
    return this.#ended;
  }

  /** Whether a socket holds the session now. */
  get connected(): boolean {
    return this.#link !== undefined;
  }

  /** How many messages sent are not acknowledged by the client yet. */
  get unacknowledged(): number {
    return this.#numbered + this.#pending - this.#acknowledged;
  }

  /**
   * Sends a message: any value `JSON.stringify` accepts (the client's `json`
   * decides whether it reads it as JSON or as a string). Written as soon as
   * the store has it when a socket holds the session, kept otherwise, and
   * written again on resume until the client acknowledges it.
   *
   * Returns `false`, sending nothing, once the session is over. A message
   * that would make more than `bufferLimit` unacknowledged ends the session
   * (`overflow`, close 4003) instead, because skipping it would break the
   * numbering. Throws `TypeError` for a value JSON cannot hold.
   */
  send(data: unknown): boolean {
    if (this.#ended) return false;
    const json = JSON.stringify(data) as string | undefined;
    if (json === undefined) throw new TypeError('ServerSession.send: the message is not a JSON value');
    if (this.unacknowledged >= this.#context.bufferLimit) {
      this.#finish('overflow', closeCodes.overflow, 'session buffer overflow', () => this.#forget());
      return false;
    }
    // Numbered when its turn comes, not now: messages another process queued
    // (`#takeQueued`) take their numbers in the same order of steps.
    this.#pending++;
    void this.#serially(async () => {
      this.#pending--;
      if (this.#ended) return this.#reroute(json);
      const s = this.#numbered + 1;
      const frame: StoredFrame = { s, frame: dataFrame(s, json) };
      if (!(await this.#context.store.append(this.id, this.#epoch, frame))) {
        this.#moved();
        return this.#reroute(json);
      }
      this.#numbered = s;
      this.#frames.push(frame);
      this.#link?.write(frame.frame);
    });
    return true;
  }

  /**
   * A message this session took while another process was taking it over:
   * handed to that process through the store when it can (`enqueue`), so it
   * is not lost; dropped otherwise, as any message sent after the end.
   */
  async #reroute(json: string): Promise<void> {
    if (this.#endReason !== 'moved') return;
    await this.#context.store.enqueue?.(this.id, json, this.#context.bufferLimit);
  }

  /**
   * Takes what other processes queued for the session (`SessionStore.enqueue`),
   * as a step of its own: numbered after everything sent before it.
   */
  #takeQueued(): void {
    const store = this.#context.store;
    if (!store.takeQueued || this.#takeDue || this.#ended) return;
    this.#takeDue = true;
    void this.#serially(() => {
      this.#takeDue = false;
      return this.#takeQueuedNow();
    });
  }

  /** The step itself, also run inside a resume's step, so that what was queued follows the replay at once. */
  async #takeQueuedNow(): Promise<void> {
    const store = this.#context.store;
    if (!store.takeQueued || this.#ended) return;
    const room = Math.max(0, this.#context.bufferLimit - (this.#numbered - this.#acknowledged));
    const taken = await store.takeQueued(this.id, this.#epoch, this.#numbered, room);
    if (!taken) return this.#moved();
    for (const frame of taken.frames) {
      this.#numbered = frame.s;
      this.#frames.push(frame);
      this.#link?.write(frame.frame);
    }
    if (taken.overflow) this.#finish('overflow', closeCodes.overflow, 'session buffer overflow', () => this.#forget());
  }

  /**
   * Ends the session: closes its socket with `code` (1000 by default) and
   * `reason`, and forgets it, so a later resume is answered `resumed: false`.
   */
  end(code: number = closeCodes.normal, reason = ''): void {
    this.#finish('ended', code, reason, () => this.#forget());
  }

  /**
   * @internal A new session's first socket: `welcome` now, so it precedes
   * anything sent from a `session` listener (`announce`), then `socket`.
   */
  attachFirst(link: SocketLink, announce: () => void): void {
    this.#link = link;
    this.#expiresAt = null;
    link.write(welcomeFrame(this.id, false, 0));
    announce();
    if (this.#link === link) emitSafely(this, 'socket', link.socket, link.request);
    if (link.closed) this.detach(link);
  }

  /**
   * @internal A socket resumes the session, which this process holds: takes
   * it in the store, closes the older socket (1000), then `welcome` and the
   * replay. `gone`: the session is no longer here (ended, or moved to
   * another process), the server looks further.
   */
  takeOver(link: SocketLink, ack: number, claimed = false): Promise<TakeOver> {
    return this.#serially(async (): Promise<TakeOver> => {
      if (this.#ended) return 'gone';
      if (!this.#accepts(ack)) {
        link.close(closeCodes.protocol, 'hello acknowledges frames the session does not hold');
        return 'refused';
      }
      if (!claimed) {
        // Our own claim would otherwise notify our own watcher.
        this.#unwatch?.();
        const record = await this.#context.store.claim(this.id, this.#epoch);
        if (!record) {
          this.#moved();
          return 'gone';
        }
        this.#epoch = record.epoch;
        this.#watch();
      }
      if (link.closed) {
        this.#link ??= link;
        this.detach(link);
        return 'attached';
      }
      clearTimeout(this.#ttlTimer);
      this.#expiresAt = null;
      const older = this.#link;
      this.#link = link;
      this.#stopAcks();
      older?.close(closeCodes.normal, 'session resumed on a newer socket');
      if (ack > this.#acknowledged) await this.#drop(ack);
      if (this.#link !== link) return 'attached';
      link.write(welcomeFrame(this.id, true, this.#received));
      link.lastAck = this.#received;
      for (const frame of this.#frames) if (frame.s > ack) link.write(frame.frame);
      emitSafely(this, 'socket', link.socket, link.request);
      // What other processes queued while no process held the session comes next, before anything sent after.
      await this.#takeQueuedNow();
      return 'attached';
    }, 'gone');
  }

  /** @internal A frame from a socket after its hello. */
  receive(link: SocketLink, frame: ClientFrame): void {
    switch (frame.t) {
      case 'ping':
        link.write(pongFrame);
        return;
      case 'hello':
        link.close(closeCodes.protocol, 'second hello');
        return;
      case 'a':
        void this.#serially(async () => {
          if (link !== this.#link) return;
          if (frame.ack > this.#stored()) {
            link.close(closeCodes.protocol, 'acknowledgement above what was sent');
            return;
          }
          if (frame.ack > this.#acknowledged) await this.#drop(frame.ack);
        });
        return;
      case 'm':
        void this.#serially(async () => {
          if (link !== this.#link) return;
          if (frame.s <= this.#received) {
            // A replay: the client did not see our acknowledgement. Say it again; deliver nothing.
            this.#ackDue = true;
            this.#scheduleAck();
            return;
          }
          if (frame.s > this.#received + 1) {
            link.close(closeCodes.protocol, 'gap in frame numbers');
            return;
          }
          if (!(await this.#context.store.receive(this.id, this.#epoch, frame.s))) return this.#moved();
          this.#received = frame.s;
          this.#ackDue = true;
          this.#scheduleAck();
          emitSafely(this, 'message', frame.d);
        });
        return;
    }
  }

  /** @internal Its socket went (or closed while attaching): the `ttl` starts. */
  detach(link: SocketLink): void {
    if (link !== this.#link || this.#ended) return;
    this.#link = undefined;
    clearTimeout(this.#ttlTimer);
    this.#stopAcks();
    const expiresAt = Date.now() + this.#context.ttl;
    this.#expiresAt = expiresAt;
    void this.#serially(async () => {
      if (this.#ended || this.#link) return;
      if (!(await this.#context.store.release(this.id, this.#epoch, expiresAt))) this.#moved();
    });
    this.#ttlTimer = setTimeout(() => {
      void this.#serially(async () => {
        if (this.#ended || this.#link) return;
        const deleted = await this.#context.store.delete(this.id, this.#epoch);
        this.#finish(deleted ? 'expired' : 'moved', closeCodes.normal, '');
      });
    }, this.#context.ttl).unref();
  }

  /**
   * @internal `SessionServer.close()`: closes the socket (1001) and leaves the
   * session in the store for `ttl`, for another process to resume. Resolves
   * once its store writes are done.
   */
  shutdown(): Promise<void> {
    const expiresAt = this.#expiresAt ?? Date.now() + this.#context.ttl;
    this.#finish('closed', closeCodes.goingAway, 'server closing', () =>
      this.#context.store.release(this.id, this.#epoch, expiresAt),
    );
    return this.#queue;
  }

  /** The highest number stored, so written (or writable) to the client. */
  #stored(): number {
    return this.#frames.at(-1)?.s ?? this.#acknowledged;
  }

  /** A resume's `ack` must lie between what the client acknowledged and what it could have received. */
  #accepts(ack: number): boolean {
    return ack >= this.#acknowledged && ack <= this.#stored();
  }

  async #drop(ack: number): Promise<void> {
    if (!(await this.#context.store.acknowledge(this.id, this.#epoch, ack))) return this.#moved();
    this.#acknowledged = Math.max(this.#acknowledged, ack);
    const kept = this.#frames.findIndex((frame) => frame.s > ack);
    this.#frames.splice(0, kept === -1 ? this.#frames.length : kept);
  }

  #scheduleAck(): void {
    const link = this.#link;
    if (!link) return;
    if (this.#received - link.lastAck >= ACK_EVERY) {
      this.#flushAck();
      return;
    }
    this.#ackTimer ??= setTimeout(() => {
      this.#ackTimer = undefined;
      this.#flushAck();
    }, ACK_DELAY).unref();
  }

  #flushAck(): void {
    clearTimeout(this.#ackTimer);
    this.#ackTimer = undefined;
    const link = this.#link;
    if (!link || !this.#ackDue) return;
    this.#ackDue = false;
    link.lastAck = this.#received;
    link.write(ackFrame(this.#received));
  }

  #stopAcks(): void {
    clearTimeout(this.#ackTimer);
    this.#ackTimer = undefined;
    this.#ackDue = false;
  }

  #watch(): void {
    const epoch = this.#epoch;
    this.#unwatch = this.#context.store.watchTakeover?.(this.id, epoch, () => {
      if (this.#epoch === epoch) this.#moved();
    });
    this.#unwatchQueued ??= this.#context.store.watchQueued?.(this.id, () => this.#takeQueued());
  }

  /** @internal `SessionServer.send()`: what other processes queued goes before what is sent next. */
  takeQueuedFirst(): void {
    this.#takeQueued();
  }

  /** @internal Resolves once every store call queued so far is done. */
  settled(): Promise<void> {
    return this.#queue;
  }

  /** @internal The store failed as a whole (`watchFailure`): the session ends with `error`. */
  fail(error: Error): void {
    this.#finish('error', closeCodes.internal, 'session store failed', undefined, error);
  }

  /** The store refused a write or reported a claim: another socket holds the session now. */
  #moved(): void {
    this.#finish('moved', closeCodes.normal, 'session resumed on a newer socket');
  }

  #forget(): Promise<unknown> {
    return this.#context.store.delete(this.id, this.#epoch);
  }

  /**
   * Over in this process: timers stopped and socket closed now; `last` (the
   * final store write) runs after every write before it, then the server
   * forgets the session and `end` is emitted.
   */
  #finish(reason: EndReason, code: number, closeReason: string, last?: () => Promise<unknown>, error?: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#endReason = reason;
    clearTimeout(this.#ttlTimer);
    this.#stopAcks();
    this.#unwatch?.();
    this.#unwatchQueued?.();
    const link = this.#link;
    this.#link = undefined;
    link?.close(code, closeReason);
    void this.#serially(async () => {
      try {
        await last?.();
      } finally {
        this.#context.gone(this);
        if (reason === 'error') emitSafely(this, 'end', reason, error);
        else emitSafely(this, 'end', reason);
      }
    });
  }

  /**
   * Runs `step` after every step queued before it. A store that rejects ends
   * the session (`error`, close 1011): it can no longer keep its promises.
   */
  #serially<T>(step: () => Promise<T>, failed?: T): Promise<T> {
    const run = this.#queue.then(step).catch((error: unknown) => {
      if (!this.#ended) this.#finish('error', closeCodes.internal, 'session store failed', undefined, error);
      else this.#context.gone(this);
      return failed as T;
    });
    this.#queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}

/**
 * Emits outside the session's queue's error handling: a listener that throws
 * surfaces as an uncaught exception, as it would from any Node event, rather
 * than being taken for a store failure.
 */
function emitSafely<K extends keyof ServerSessionEvents>(
  session: ServerSession,
  event: K,
  ...args: ServerSessionEvents[K]
): void {
  try {
    (session.emit as (event: K, ...args: ServerSessionEvents[K]) => boolean)(event, ...args);
  } catch (error) {
    process.nextTick(() => {
      throw error;
    });
  }
}
