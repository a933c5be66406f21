import type { ConnectionCallbacks, SendOptions } from '../core/connection.js';
import { WsConnectionError } from '../core/errors.js';
import type { Handshake } from '../core/handshake.js';
import { isBinary, parseMessage, serializeMessage } from '../core/message-format.js';
import type { ConnectionOptions } from '../core/options.js';
import type { SocketData } from '../core/send-queue.js';
import type { SocketLike, SocketMessage } from '../core/socket-like.js';
import type { Status } from '../core/status.js';
import { warnAboutGroupOptions } from './group-options.js';

/**
 * The connection a group's members use: one `Connection` for `page`, a
 * cross-tab relay for `tabs`. It is created for the group with the group's
 * callbacks, sends what members already serialized, and never parses:
 * each member parses by its own `json`.
 */
export interface GroupConnection {
  readonly status: Status;
  readonly socket: SocketLike | null;
  readonly attempt: number;
  readonly queued: number;
  readonly rtt: number | null;
  readonly session: string | null;
  readonly resumed: boolean;
  /** What a member serialized; with `resume`, the message as a JSON value (see `ConnectionGroup.resume`). */
  send(payload: unknown, options?: SendOptions): boolean;
  clearQueue(): SocketData[];
  connect(): void;
  reconnect(): void;
  close(code?: number, reason?: string): void;
}

export type GroupConnectionFactory = (options: ConnectionOptions, callbacks: ConnectionCallbacks) => GroupConnection;

/** One element in a group: its own options (for `json` and the warning) and where its events go. */
export interface GroupMember {
  readonly options: Readonly<ConnectionOptions>;
  readonly callbacks: ConnectionCallbacks;
  /** Warned about its group options already: it connected while the share chunk loaded (src/loading-link.ts). */
  readonly warned?: boolean;
}

/**
 * Elements that share one connection. Every callback of the connection
 * reaches every member; a member that joins takes the group's status at
 * once; one that leaves hears a clean `close` (if the group was open) and
 * goes to `closed`, without touching the socket while others remain. The
 * last one to leave closes it (1000) and the group ends.
 */
export class ConnectionGroup {
  readonly #members = new Set<GroupMember>();
  readonly #options: Readonly<ConnectionOptions>;
  readonly #connection: GroupConnection;
  readonly #ended: () => void;
  /** Every member cancelled its retry: they go to `closed` with the connection, and the group ends. */
  #ending = false;

  constructor(options: Readonly<ConnectionOptions>, createConnection: GroupConnectionFactory, ended: () => void) {
    this.#options = options;
    this.#ended = ended;
    this.#connection = createConnection(
      // The connection sends what members serialized and parses nothing; the starter's handshake keeps its `json`.
      // A session carries JSON values instead: members hand it values, and each reads what arrives by its `json`.
      options.resume
        ? { ...options, json: true, handshake: withSessionFormat(options.handshake, options.json) }
        : { ...options, json: false, handshake: withFormat(options.handshake, options.json) },
      {
        status: (status, previous) => {
          this.#each((member) => member.callbacks.status?.(status, previous));
          if (this.#ending && status === 'closed') {
            this.#members.clear();
            this.#ended();
          }
        },
        open: () => this.#each((member) => member.callbacks.open?.()),
        message: options.resume
          ? (data, message) => this.#each((member) => member.callbacks.message?.(fromSession(data, member), message))
          : (data, message) => this.#each((member) => deliver(member, data, message)),
        close: (close) => this.#each((member) => member.callbacks.close?.(close)),
        error: (error) => this.#each((member) => member.callbacks.error?.(error)),
        retry: (attempt, delay) => this.#retry(attempt, delay),
        heartbeat: (rtt) => this.#each((member) => member.callbacks.heartbeat?.(rtt)),
      },
    );
  }

  get connection(): GroupConnection {
    return this.#connection;
  }

  /** With `resume`, members send JSON values (`toSessionValue`), not serialized text. */
  get resume(): boolean {
    return this.#options.resume;
  }

  get size(): number {
    return this.#members.size;
  }

  has(member: GroupMember): boolean {
    return this.#members.has(member);
  }

  /** Adds `member`, which at once takes the group's status (and hears `open` if it is open). */
  join(member: GroupMember): void {
    if (this.#members.has(member)) return;
    this.#members.add(member);
    if (!member.warned) warnAboutGroupOptions(member.options, this.#options);
    const { status } = this.#connection;
    if (status !== 'closed') member.callbacks.status?.(status, 'closed');
    if (status === 'open' && this.#members.has(member)) member.callbacks.open?.();
  }

  /**
   * Removes `member`: a clean `close` if the group was open (unless the
   * member already heard the socket close), then `closed`. The last one
   * closes the socket.
   */
  leave(member: GroupMember, farewell = true): void {
    if (!this.#members.delete(member)) return;
    const { status } = this.#connection;
    if (this.#members.size === 0) {
      this.#ended();
      this.#connection.close();
    }
    if (farewell && status === 'open') member.callbacks.close?.({ code: 1000, reason: '', wasClean: true });
    if (status !== 'closed') member.callbacks.status?.('closed', status);
  }

  /** Members in the order they joined; a snapshot, so a callback may join or leave. */
  #each(call: (member: GroupMember) => void): void {
    for (const member of [...this.#members]) if (this.#members.has(member)) call(member);
  }

  /** Each member decides for itself: one that cancels leaves; the group retries while any member stays. */
  #retry(attempt: number, delay: number): boolean {
    const leaving: GroupMember[] = [];
    this.#each((member) => {
      if (member.callbacks.retry?.(attempt, delay) === false) leaving.push(member);
    });
    if (this.#members.size > leaving.length) {
      // It already heard the socket's own close.
      for (const member of leaving) this.leave(member, false);
      return true;
    }
    // Nobody stays: the connection stops retrying and goes to `closed`, which every member hears.
    this.#ending = true;
    return false;
  }
}

function deliver(member: GroupMember, data: unknown, message: SocketMessage): void {
  let parsed: unknown;
  try {
    parsed = parseMessage(data, member.options.json);
  } catch (error) {
    member.callbacks.error?.(error as WsConnectionError);
    return;
  }
  member.callbacks.message?.(parsed, message);
}

/** A handshake that serializes and parses by `json` itself, for a connection that does neither. */
function withFormat(handshake: Handshake | null, json: boolean): Handshake | null {
  if (!handshake || !json) return handshake;
  return (context) =>
    handshake({
      send: (data) => context.send(serializeMessage(data, json)),
      receive: async () => parseMessage(await context.receive(), json),
      signal: context.signal,
      resumed: context.resumed,
    });
}

/** A session's message as a member reads it: the value with `json`, else the text (binary as it is). */
function fromSession(data: unknown, member: GroupMember): unknown {
  return member.options.json || typeof data === 'string' || isBinary(data) ? data : JSON.stringify(data);
}

/**
 * What a member serialized, as the group's session takes it: with `json` the value its text holds (text that is
 * not JSON stays a string, as the member's own session would send it), without it the text.
 */
export function toSessionValue(payload: SocketData, json: boolean): unknown {
  if (!json || typeof payload !== 'string') return payload;
  try {
    return JSON.parse(payload) as unknown;
  } catch {
    return payload;
  }
}

/** The starter's handshake on a session that carries values: without `json` it sends and reads text. */
function withSessionFormat(handshake: Handshake | null, json: boolean): Handshake | null {
  if (!handshake || json) return handshake;
  return (context) =>
    handshake({
      send: (data) => context.send(typeof data === 'string' ? data : String(data)),
      receive: async () => {
        const data = await context.receive();
        return typeof data === 'string' ? data : JSON.stringify(data);
      },
      signal: context.signal,
      resumed: context.resumed,
    });
}
