import { WsConnectionError } from './errors.js';

/** What a WebSocket can send. */
export type SocketData = string | ArrayBufferLike | ArrayBufferView | Blob;

/**
 * Messages held while the socket is not open, sent in order once it opens.
 * It refuses loudly rather than drop anything: a full queue throws.
 */
export class SendQueue {
  #items: SocketData[] = [];

  /** Most messages held; lowering it never drops what is already held. */
  constructor(public limit: number) {}

  get size(): number {
    return this.#items.length;
  }

  /** @throws {WsConnectionError} `not-open` when the limit is 0, `queue-full` when full. */
  push(data: SocketData): void {
    if (this.limit === 0) {
      throw new WsConnectionError('not-open', 'The connection is not open and queue-limit is 0.');
    }
    if (this.#items.length >= this.limit) {
      throw new WsConnectionError('queue-full', `The send queue is full (${this.limit} messages).`);
    }
    this.#items.push(data);
  }

  /** Empties the queue and returns what it held, oldest first. */
  clear(): SocketData[] {
    return this.#items.splice(0);
  }

  /**
   * Hands every message to `send`, oldest first. A message leaves the queue
   * only after `send` returned, so one that throws stays, with all after it.
   */
  drain(send: (data: SocketData) => void): void {
    let sent = 0;
    try {
      for (const data of this.#items) {
        send(data);
        sent++;
      }
    } finally {
      this.#items.splice(0, sent);
    }
  }
}
