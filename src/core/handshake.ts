import { WsConnectionError } from './errors.js';
import { OPEN, type SocketLike, type SocketMessage } from './socket-like.js';

/** What a `handshake` gets: the one socket it runs on, before anyone else may use it. */
export interface HandshakeContext {
  /**
   * Writes to this socket now, ahead of the queue, serialized like `send()`.
   * @throws {WsConnectionError} `not-open` once this socket is gone; `serialize` as `send()`.
   */
  send(data: unknown): void;
  /**
   * The next frame on this socket, parsed as a `message` event's `data` would be.
   * Rejects with `handshake` when the socket goes first, `parse` for a `json` frame that is not JSON.
   */
  receive(): Promise<unknown>;
  /** Aborted when this socket closes or its attempt is abandoned. */
  readonly signal: AbortSignal;
  /** With `resume`: whether this socket continues the previous session. */
  readonly resumed: boolean;
}

/** An application protocol's first exchange, run on every socket before it counts as open. */
export type Handshake = (context: HandshakeContext) => void | Promise<void>;

interface Waiter {
  resolve(data: unknown): void;
  reject(error: unknown): void;
}

/**
 * One socket's handshake: the context handed to the user's function, and the
 * frames that arrive while it runs. Frames go to `receive()` callers in
 * order; the ones nobody asked for are kept for the connection to dispatch
 * once the socket counts as open, so none is lost.
 */
export class HandshakeRun {
  readonly context: HandshakeContext;
  readonly #controller = new AbortController();
  readonly #unclaimed: SocketMessage[] = [];
  readonly #waiters: Waiter[] = [];
  readonly #parse: (data: unknown) => unknown;
  /** Frames go to `receive()` until the handshake settles; then to `message` again. */
  #receiving = true;

  /**
   * `write` sends one message as `send()` would on an open socket (a session numbers it); `parse` turns a
   * frame's data into what `message` would carry.
   */
  constructor(socket: SocketLike, write: (data: unknown) => void, parse: (data: unknown) => unknown, resumed: boolean) {
    this.#parse = parse;
    const signal = this.#controller.signal;
    this.context = {
      send: (data) => {
        if (signal.aborted || socket.readyState !== OPEN) {
          throw new WsConnectionError('not-open', 'The socket of this handshake is gone.');
        }
        write(data);
      },
      receive: () =>
        new Promise((resolve, reject) => {
          if (!this.#receiving) {
            reject(this.#closedError(signal.aborted ? 'The socket closed.' : 'The handshake is over.'));
            return;
          }
          const frame = this.#unclaimed.shift();
          if (frame) this.#settle({ resolve, reject }, frame);
          else this.#waiters.push({ resolve, reject });
        }),
      signal,
      resumed,
    };
  }

  /** Whether frames still belong to the handshake. */
  get receiving(): boolean {
    return this.#receiving;
  }

  /** A frame that arrived while the handshake runs. */
  take(frame: SocketMessage): void {
    const waiter = this.#waiters.shift();
    if (waiter) this.#settle(waiter, frame);
    else this.#unclaimed.push(frame);
  }

  /** The handshake resolved: returns the frames nobody claimed, oldest first, for `message`. */
  finish(): SocketMessage[] {
    this.#stopReceiving('The handshake is over.');
    return this.#unclaimed.splice(0);
  }

  /** The socket is gone or its attempt abandoned: pending `receive()` calls reject, the signal aborts. */
  abort(): void {
    this.#stopReceiving('The socket closed.');
    this.#controller.abort(new WsConnectionError('handshake', 'The socket closed.'));
  }

  #stopReceiving(why: string): void {
    this.#receiving = false;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(this.#closedError(why));
  }

  #settle(waiter: Waiter, frame: SocketMessage): void {
    try {
      waiter.resolve(this.#parse(frame.data));
    } catch (error) {
      waiter.reject(error);
    }
  }

  #closedError(why: string): WsConnectionError {
    return new WsConnectionError('handshake', `receive(): ${why}`);
  }
}
