import type { SocketData } from './send-queue.js';

export interface SocketMessage {
  readonly data: unknown;
  readonly origin?: string;
}

export interface SocketClose {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
}

/**
 * The part of a WebSocket the core uses: the browser's, Node 22's global one
 * and the `ws` package's client all fit.
 *
 * Handlers take `never` so that any of those classes, whose handler types
 * name their own event classes, is assignable here; the core reads only the
 * fields of `SocketMessage` and `SocketClose`.
 */
export interface SocketLike {
  readonly readyState: number;
  binaryType: string;
  onopen: ((event: never) => unknown) | null;
  onmessage: ((event: never) => unknown) | null;
  onerror: ((event: never) => unknown) | null;
  onclose: ((event: never) => unknown) | null;
  send(data: SocketData): void;
  close(code?: number, reason?: string): void;
}

export type SocketConstructor = new (url: string, protocols?: string | string[]) => SocketLike;

/** `WebSocket.OPEN`, spelled out so the core needs no global at import. */
export const OPEN = 1;
