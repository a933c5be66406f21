import type { SocketMessage } from './core/socket-like.js';

/**
 * The element's `message` event: a real `MessageEvent` whose `origin` is read
 * from the socket's own event only when asked for. Passing `origin` in the
 * init dictionary costs a string copy and a dictionary conversion on every
 * frame, measurable at tens of thousands of frames a second (bench/profile.js).
 */
export class SocketMessageEvent extends MessageEvent<unknown> {
  readonly #source: SocketMessage;

  constructor(data: unknown, source: SocketMessage) {
    super('message', { data });
    this.#source = source;
  }

  override get origin(): string {
    return this.#source.origin ?? '';
  }
}
