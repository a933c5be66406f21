import type { IncomingMessage } from 'node:http';
import type { RawData, WebSocket } from 'ws';

/** What a socket reports to the server that accepted it. */
export interface SocketLinkHandlers {
  text(link: SocketLink, text: string): void;
  binary(link: SocketLink): void;
  closed(link: SocketLink): void;
}

// ws's readyState for an open socket (WebSocket.OPEN); only types are imported from ws.
const OPEN = 1;

/**
 * One accepted `ws` socket, as the protocol sees it: text frames in, text
 * frames out, a close. The only module that calls `ws`'s API, so another
 * runtime (Bun, Deno, uWebSockets.js) needs only a link of its own.
 */
export class SocketLink {
  /** The highest client number this socket was told it has (`welcome`'s or an `a` frame's). */
  lastAck = 0;
  /** Resolves once the socket is closed (or closing), by either side. */
  readonly gone: Promise<void>;
  #closed = false;
  #resolveGone: () => void = () => undefined;
  readonly #handlers: SocketLinkHandlers;

  constructor(
    readonly socket: WebSocket,
    readonly request: IncomingMessage,
    handlers: SocketLinkHandlers,
  ) {
    this.#handlers = handlers;
    this.gone = new Promise((resolve) => (this.#resolveGone = resolve));
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (this.#closed) return;
      if (isBinary) handlers.binary(this);
      else handlers.text(this, textOf(data));
    });
    socket.once('close', () => {
      const wasClosed = this.#closed;
      this.#closed = true;
      this.#resolveGone();
      if (!wasClosed) handlers.closed(this);
    });
    // ws emits 'error' (an invalid frame, a reset) before 'close'; without a listener it would throw.
    socket.on('error', () => undefined);
  }

  /** Closed, or closing: nothing more is written to it or read from it. */
  get closed(): boolean {
    return this.#closed || this.socket.readyState !== OPEN;
  }

  write(text: string): void {
    if (!this.closed) this.socket.send(text);
  }

  /**
   * Closes the socket and reports it closed at once: what it still delivers is
   * ignored, so a replaced or refused socket cannot touch its session again.
   */
  close(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#resolveGone();
    this.socket.close(code, reason);
    this.#handlers.closed(this);
  }
}

/** A text frame's content; `RawData`'s shape depends on the socket's `binaryType`. */
function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return Buffer.from(data).toString('utf8');
}
