import type { ConnectionCallbacks, SendOptions } from '../core/connection.js';
import { WsConnectionError, type ErrorCode } from '../core/errors.js';
import { isBinary } from '../core/message-format.js';
import type { ConnectionOptions } from '../core/options.js';
import type { SocketData } from '../core/send-queue.js';
import type { SocketClose, SocketLike } from '../core/socket-like.js';
import type { Status } from '../core/status.js';
import type { SessionState } from '../core/session.js';
import type { GroupConnection } from './connection-group.js';
import { SessionMirror, type SessionEvent } from './session-mirror.js';

/** The part of `BroadcastChannel` the relay uses: every other channel of the same name hears a message. */
export interface RelayChannel {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  close(): void;
}

/** Which tab holds the socket (`TabElection`); this tab takes part between `start()` and `stop()`. */
export interface Election {
  /** Whether this tab holds the lock as far as it knows: a stolen holder learns otherwise when it next runs. */
  readonly leading: boolean;
  start(): void;
  stop(): void;
}

export interface ElectionCallbacks {
  lead(epoch: number): void;
  follow(): void;
}

/** What a tab's share needs from its host, injected so tests can run several "tabs" in one page. */
export interface TabRelayEnvironment {
  /** This tab's participant id, unique among the tabs. */
  readonly tab: string;
  elect(key: string, callbacks: ElectionCallbacks): Election;
  openChannel(name: string): RelayChannel;
  /**
   * The socket itself, for the leading tab: a `Connection` with the group's options; with `resume`, going on
   * with the session another tab held (`sessionState`).
   */
  connect(options: ConnectionOptions, callbacks: ConnectionCallbacks, sessionState?: SessionState): GroupConnection;
  /** The page is about to be frozen, or resumed (Page Lifecycle, Chromium); returns an unsubscribe function. */
  onLifecycle?(listener: (change: 'freeze' | 'resume') => void): () => void;
}

/** What the relay says on its channel. Every leader message carries its term; older terms are ignored. */
type RelayMessage =
  | {
      readonly kind: 'status';
      readonly epoch: number;
      readonly status: Status;
      readonly attempt: number;
      /** The answer to a `hello`: a tab that joins an open group hears `open` too. */
      readonly sync?: boolean;
    }
  | { readonly kind: 'open'; readonly epoch: number }
  | { readonly kind: 'message'; readonly epoch: number; readonly data: unknown; readonly origin: string | undefined }
  | { readonly kind: 'close'; readonly epoch: number; readonly close: SocketClose }
  | {
      readonly kind: 'error';
      readonly epoch: number;
      readonly code: ErrorCode;
      readonly message: string;
      readonly data: unknown;
    }
  | { readonly kind: 'retry'; readonly epoch: number; readonly attempt: number; readonly delay: number }
  | { readonly kind: 'heartbeat'; readonly epoch: number; readonly rtt: number }
  | { readonly kind: 'session'; readonly epoch: number; readonly event: SessionEvent }
  | { readonly kind: 'written'; readonly epoch: number; readonly to: string; readonly id: number }
  | {
      readonly kind: 'refused';
      readonly epoch: number;
      readonly to: string;
      readonly id: number;
      readonly code: ErrorCode;
      readonly message: string;
    }
  | { readonly kind: 'hello'; readonly from: string }
  | { readonly kind: 'send'; readonly from: string; readonly id: number; readonly payload: unknown }
  | { readonly kind: 'connect' | 'reconnect'; readonly from: string };

/** Connections made in this realm, for unique sender names on the channel. */
let connections = 0;

/**
 * The connection of a `share="tabs"` group in one tab. The tab that wins
 * the election holds the socket and relays everything it hears to the
 * others over a `BroadcastChannel`; the others mirror its status and hand
 * their sends to it.
 *
 * - A follower keeps each message it sends until the holder says it wrote
 *   it to the socket, and hands it again to the next holder, in order, so a
 *   holder that vanishes loses nothing it had not written. Ids per sender
 *   let a holder write a message resent after an open only once.
 * - A follower holds its messages while the group is not open (its own
 *   queue, with the group's `queueLimit`), and hands them over on `open`.
 * - A tab that takes over from a holder that vanished tells its members
 *   what any drop tells them: `close` (1006), `retry`, `reconnecting`, `open`.
 * - A tab whose last member leaves stops taking part: a holder closes its
 *   socket (1000) and another tab with members takes over, as above.
 */
export class TabConnection implements GroupConnection {
  readonly #key: string;
  readonly #options: ConnectionOptions;
  readonly #callbacks: ConnectionCallbacks;
  readonly #environment: TabRelayEnvironment;
  #election: Election | undefined;
  #channel: RelayChannel | undefined;

  /** Set while this tab holds the socket. */
  #socket: GroupConnection | undefined;
  #epoch = 0;
  /** The group's status as this tab's members know it (mirrored from the holder while following). */
  #status: Status = 'closed';
  #attempt = 0;
  /** With `resume`: this tab's copy of the group's session, kept from what the holder relays. */
  readonly #mirror = new SessionMirror();
  /** A follower's copy of the holder's latest round trip, `null` until one is heard on the current socket. */
  #rtt: number | null = null;
  /** A follower's messages not yet written by a holder, oldest first, by id. */
  readonly #unwritten = new Map<number, unknown>();
  #nextId = 1;
  /** A holder's highest id written per sender, so a message handed over twice is written once. */
  readonly #written = new Map<string, number>();
  /** This connection's name on the channel: ids restart with each connection, even in one tab. */
  readonly #sender: string;
  /** Whether the members last heard `open` and no `close` since, for a takeover's own `close`. */
  #socketOpen = false;
  /** This holder's members all left from inside a retry: its last status reaches only them. */
  #resigning = false;
  /** Set while this tab takes part (from the first `connect()` to `close()`). */
  #stopLifecycle: (() => void) | undefined;

  constructor(
    key: string,
    options: ConnectionOptions,
    callbacks: ConnectionCallbacks,
    environment: TabRelayEnvironment,
  ) {
    this.#key = key;
    this.#options = options;
    this.#callbacks = callbacks;
    this.#environment = environment;
    this.#sender = `${environment.tab}:${++connections}`;
  }

  /** As the members know it: through a takeover's handshake it reads `reconnecting`, as any retry's does. */
  get status(): Status {
    return this.#status;
  }

  get socket(): SocketLike | null {
    return this.#socket?.socket ?? null;
  }

  get attempt(): number {
    return this.#attempt;
  }

  get queued(): number {
    return this.#socket ? this.#socket.queued : this.#unwritten.size + this.#mirror.unacknowledged;
  }

  get rtt(): number | null {
    return this.#socket ? this.#socket.rtt : this.#rtt;
  }

  /** The group's session: the holder's, as every tab's copy knows it. */
  get session(): string | null {
    return this.#socket ? this.#socket.session : this.#mirror.id;
  }

  get resumed(): boolean {
    return this.#socket ? this.#socket.resumed : this.#status === 'open' && this.#mirror.resumed;
  }

  /**
   * The holder's queue in the holding tab; in another tab, what this tab's
   * members handed over that no holder has written yet.
   */
  clearQueue(): SocketData[] {
    if (this.#socket) return this.#socket.clearQueue();
    const held = [...this.#unwritten.values()];
    this.#unwritten.clear();
    // With `resume` members hand over JSON values: they come back as the text a socket would have carried.
    return held.map((message) =>
      typeof message === 'string' || isBinary(message) ? message : JSON.stringify(message),
    );
  }

  /**
   * A follower's message waits in this tab until written; while the group is
   * not open that wait counts against the group's `queueLimit`, with the
   * errors `send()` gives in the holding tab.
   */
  send(payload: unknown, options?: SendOptions): boolean {
    if (this.#socket) return this.#socket.send(payload, options);
    const keep = options?.queue !== false;
    if (!keep && this.#status !== 'open') return false;
    if (this.#status !== 'open') {
      const { queueLimit } = this.#options;
      if (queueLimit === 0) {
        throw new WsConnectionError('not-open', 'The connection is not open and queue-limit is 0.');
      }
      if (this.#unwritten.size >= queueLimit) {
        throw new WsConnectionError('queue-full', `The send queue is full (${queueLimit} messages).`);
      }
    }
    const id = this.#nextId++;
    // Not kept: a holder that vanishes before writing it takes it along, as a socket that dies would.
    if (keep) this.#unwritten.set(id, payload);
    if (this.#status !== 'open') return false;
    this.#post({ kind: 'send', from: this.#sender, id, payload });
    return true;
  }

  connect(): void {
    this.#takePart();
    if (this.#socket) this.#socket.connect();
    else this.#post({ kind: 'connect', from: this.#sender });
  }

  reconnect(): void {
    this.#takePart();
    if (this.#socket) this.#socket.reconnect();
    else this.#post({ kind: 'reconnect', from: this.#sender });
  }

  /** This tab has no member left: it stops taking part, and a holder closes its socket. */
  close(): void {
    this.#stopLifecycle?.();
    this.#stopLifecycle = undefined;
    this.#resigning = false;
    this.#socketOpen = false;
    this.#part();
    this.#status = 'closed';
  }

  /** Every member here cancelled its retry: they go to `closed`, and this tab stops taking part. */
  #leaveGroup(): void {
    this.#setStatus('closed');
    this.close();
  }

  #takePart(): void {
    if (this.#stopLifecycle) return;
    this.#stopLifecycle =
      this.#environment.onLifecycle?.((change) => {
        if (change === 'freeze') this.#part();
        else this.#join();
      }) ?? (() => undefined);
    if (this.#status === 'closed') this.#setStatus('connecting');
    this.#join();
  }

  /**
   * Enters the election and the relay. A page about to be frozen leaves
   * both (`#part`) and joins again on `resume`: a frozen holder keeps its
   * Web Lock and, in Chromium, still answers on its channel while its
   * timers stand still, so it would hold the socket without retrying or
   * beating. Leaving first hands the socket over at once.
   */
  #join(): void {
    if (this.#election) return;
    this.#channel = this.#environment.openChannel(`ws-connection-relay:${this.#key}`);
    this.#channel.onmessage = (event) => this.#onMessage(event.data as RelayMessage);
    this.#election = this.#environment.elect(this.#key, {
      lead: (epoch) => this.#lead(epoch),
      follow: () => this.#follow(),
    });
    this.#election.start();
    this.#post({ kind: 'hello', from: this.#sender });
  }

  /** Leaves the election and the relay; a holder's socket closes (1000) without a word to the members. */
  #part(): void {
    const socket = this.#socket;
    this.#socket = undefined;
    this.#election?.stop();
    this.#election = undefined;
    this.#channel?.close();
    this.#channel = undefined;
    socket?.close();
  }

  #lead(epoch: number): void {
    this.#epoch = epoch;
    const tookOver = this.#status !== 'connecting' && this.#status !== 'closed';
    // With `resume` the session goes on from this tab's copy: what the vanished holder wrote is written again.
    const state = this.#options.resume ? this.#mirror.state() : undefined;
    const socket = this.#environment.connect(this.#options, this.#relayingCallbacks(tookOver), state);
    this.#socket = socket;
    if (tookOver) {
      // The tab that held the socket vanished: to the members this is a drop like any other.
      if (this.#socketOpen) this.#relay({ kind: 'close', epoch, close: { code: 1006, reason: '', wasClean: false } });
      const attempt = this.#attempt + 1;
      this.#attempt = attempt;
      this.#post({ kind: 'retry', epoch, attempt, delay: 0 });
      if (this.#callbacks.retry?.(attempt, 0) === false) {
        this.#leaveGroup();
        return;
      }
      if (this.#socket !== socket) return;
      this.#relay({ kind: 'status', epoch, status: 'reconnecting', attempt });
    }
    socket.connect();
    // What this tab handed to the old holder and it never wrote goes through this tab's own socket, first.
    for (const payload of this.#unwritten.values()) {
      try {
        socket.send(payload);
      } catch (error) {
        this.#callbacks.error?.(error as WsConnectionError);
      }
    }
    this.#unwritten.clear();
  }

  #follow(): void {
    const socket = this.#socket;
    this.#socket = undefined;
    // A newer holder speaks for the group now; this tab's socket goes quietly.
    socket?.close();
  }

  /** The holder's callbacks: each tells this tab's members and is relayed to the others. */
  #relayingCallbacks(takingOver: boolean): ConnectionCallbacks {
    const epoch = this.#epoch;
    const current = (): boolean => this.#epoch === epoch && this.#socket !== undefined;
    return {
      status: (status) => {
        if (this.#resigning) {
          // Only this tab's members hear it; the other tabs take over the group.
          this.#apply({ kind: 'status', epoch, status, attempt: this.#attempt });
          if (status === 'closed') this.close();
          return;
        }
        if (!current()) return;
        // Through a takeover the members already read `reconnecting`: its handshake keeps it, as any retry's does.
        if (takingOver && status === 'connecting') return;
        takingOver = false;
        this.#relay({ kind: 'status', epoch, status, attempt: this.#socket?.attempt ?? this.#attempt });
      },
      open: () => current() && this.#relay({ kind: 'open', epoch }),
      message: (data, message) => current() && this.#relay({ kind: 'message', epoch, data, origin: message.origin }),
      close: (close) => current() && this.#relay({ kind: 'close', epoch, close }),
      error: (error) =>
        current() && this.#relay({ kind: 'error', epoch, code: error.code, message: error.message, data: error.data }),
      heartbeat: (rtt) => current() && this.#relay({ kind: 'heartbeat', epoch, rtt }),
      // Relayed before the frame or write they describe reaches anyone, so every tab's copy is never behind.
      session: {
        welcome: (id, resumed) => this.#relaySession(epoch, { kind: 'welcome', id, resumed }),
        sent: (s, d) => this.#relaySession(epoch, { kind: 'sent', s, d }),
        acknowledged: (ack) => this.#relaySession(epoch, { kind: 'acknowledged', ack }),
        received: (s) => this.#relaySession(epoch, { kind: 'received', s }),
      },
      retry: (attempt, delay) => {
        if (!current()) return false;
        this.#attempt = attempt;
        this.#post({ kind: 'retry', epoch, attempt, delay });
        if (this.#callbacks.retry?.(attempt, delay) !== false) return true;
        // Every member here cancelled: this tab stops holding the socket and another tab with members takes over.
        this.#resigning = true;
        return false;
      },
    };
  }

  /** A change to the session, for every tab's copy (this one's too). */
  #relaySession(epoch: number, event: SessionEvent): void {
    if (this.#epoch === epoch && this.#socket !== undefined) this.#relay({ kind: 'session', epoch, event });
  }

  /** Tells this tab's members, then the other tabs. */
  #relay(message: RelayMessage): void {
    this.#post(message);
    this.#apply(message);
  }

  #onMessage(message: RelayMessage): void {
    switch (message.kind) {
      case 'hello': {
        if (!this.#socket) return;
        // A tab that joins later gets the session's copy first, so it could take over at once.
        const state = this.#options.resume ? this.#mirror.state() : undefined;
        if (state) {
          const event: SessionEvent = { kind: 'state', state, resumed: this.#mirror.resumed };
          this.#post({ kind: 'session', epoch: this.#epoch, event });
        }
        this.#post({ kind: 'status', epoch: this.#epoch, status: this.#status, attempt: this.#attempt, sync: true });
        return;
      }
      case 'send':
        this.#write(message.from, message.id, message.payload);
        return;
      case 'connect':
        this.#socket?.connect();
        return;
      case 'reconnect':
        this.#socket?.reconnect();
        return;
      default:
        if (this.#socket || message.epoch < this.#epoch) return;
        this.#epoch = message.epoch;
        this.#apply(message);
    }
  }

  /** A holder writes a follower's message, once, and says so; what it cannot take goes back as an error. */
  #write(from: string, id: number, payload: unknown): void {
    const socket = this.#socket;
    // Not open: the follower keeps it and hands it over on the next open, so it is not queued twice. Not leading
    // any more: Chromium runs a frozen page's channel handlers, and a holder frozen and replaced would write too.
    if (socket?.status !== 'open' || !this.#election?.leading) return;
    if (id <= (this.#written.get(from) ?? 0)) {
      this.#post({ kind: 'written', epoch: this.#epoch, to: from, id });
      return;
    }
    try {
      socket.send(payload);
    } catch (error) {
      const { code, message } = error as WsConnectionError;
      this.#post({ kind: 'refused', epoch: this.#epoch, to: from, id, code, message });
      return;
    }
    this.#written.set(from, id);
    this.#post({ kind: 'written', epoch: this.#epoch, to: from, id });
  }

  /** A holder's word, for this tab's members. */
  #apply(message: RelayMessage): void {
    const callbacks = this.#callbacks;
    switch (message.kind) {
      case 'status': {
        this.#attempt = message.attempt;
        const joining = message.sync === true && this.#status !== 'open';
        this.#setStatus(message.status);
        if (message.status !== 'open') return;
        if (joining) this.#apply({ kind: 'open', epoch: message.epoch });
        this.#handOver();
        return;
      }
      case 'open':
        this.#socketOpen = true;
        callbacks.open?.();
        return;
      case 'message':
        callbacks.message?.(message.data, { data: message.data, origin: message.origin });
        return;
      case 'close':
        this.#socketOpen = false;
        this.#rtt = null;
        callbacks.close?.(message.close);
        return;
      case 'heartbeat':
        this.#rtt = message.rtt;
        callbacks.heartbeat?.(message.rtt);
        return;
      case 'session':
        this.#mirror.apply(message.event);
        return;
      case 'error':
        callbacks.error?.(new WsConnectionError(message.code, message.message, { data: message.data }));
        return;
      case 'retry':
        this.#attempt = message.attempt;
        // Members that cancel leave the group; when none is left here, this tab stops taking part.
        if (callbacks.retry?.(message.attempt, message.delay) === false) this.#leaveGroup();
        return;
      case 'written':
        if (message.to === this.#sender) this.#unwritten.delete(message.id);
        return;
      case 'refused':
        if (message.to !== this.#sender) return;
        {
          const payload = this.#unwritten.get(message.id);
          this.#unwritten.delete(message.id);
          callbacks.error?.(new WsConnectionError(message.code, message.message, { data: payload }));
        }
        return;
      default:
        return;
    }
  }

  /** On open, a follower hands the holder everything it has not seen written, in order. */
  #handOver(): void {
    if (this.#socket) return;
    for (const [id, payload] of this.#unwritten) this.#post({ kind: 'send', from: this.#sender, id, payload });
  }

  #setStatus(status: Status): void {
    const previous = this.#status;
    if (previous === status) return;
    this.#status = status;
    this.#callbacks.status?.(status, previous);
  }

  #post(message: RelayMessage): void {
    this.#channel?.postMessage(message);
  }
}
