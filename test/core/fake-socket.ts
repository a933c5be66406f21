import type { SocketData } from '../../src/core/send-queue.js';
import type { SocketLike } from '../../src/core/socket-like.js';

export interface CloseCall {
  readonly code: number | undefined;
  readonly reason: string | undefined;
}

/**
 * A WebSocket stand-in matching `SocketLike`. Every instance is recorded in
 * `FakeSocket.instances` (call `FakeSocket.reset()` before each test). The
 * `server*` methods simulate what the server or network does.
 */
export class FakeSocket implements SocketLike {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;

  static instances: FakeSocket[] = [];
  /** When set, the next constructions throw this. */
  static constructorError: Error | undefined;

  static reset(): void {
    FakeSocket.instances = [];
    FakeSocket.constructorError = undefined;
  }

  /** The most recently created socket; throws if none exists. */
  static get last(): FakeSocket {
    const socket = FakeSocket.instances[FakeSocket.instances.length - 1];
    if (!socket) throw new Error('No FakeSocket was created');
    return socket;
  }

  readonly url: string;
  readonly protocols: string | string[] | undefined;
  readyState = FakeSocket.CONNECTING;
  binaryType = 'blob';
  onopen: ((event: never) => unknown) | null = null;
  onmessage: ((event: never) => unknown) | null = null;
  onerror: ((event: never) => unknown) | null = null;
  onclose: ((event: never) => unknown) | null = null;
  readonly sent: SocketData[] = [];
  readonly closeCalls: CloseCall[] = [];

  constructor(url: string, protocols?: string | string[]) {
    if (FakeSocket.constructorError) throw FakeSocket.constructorError;
    this.url = url;
    this.protocols = protocols;
    FakeSocket.instances.push(this);
  }

  send(data: SocketData): void {
    // Like the browser: sending while connecting throws; after close it is discarded.
    if (this.readyState === FakeSocket.CONNECTING) {
      throw new DOMException('Still in CONNECTING state.', 'InvalidStateError');
    }
    if (this.readyState !== FakeSocket.OPEN) return;
    this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    this.closeCalls.push({ code, reason });
    if (this.readyState === FakeSocket.CONNECTING || this.readyState === FakeSocket.OPEN) {
      this.readyState = FakeSocket.CLOSING;
    }
  }

  /** Whether any handler is still attached (the connection detaches them when it drops a socket). */
  get attached(): boolean {
    return [this.onopen, this.onmessage, this.onerror, this.onclose].some((handler) => handler !== null);
  }

  serverOpen(): void {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.({ type: 'open' } as never);
  }

  serverMessage(data: unknown, origin = 'ws://fake.test'): void {
    this.onmessage?.({ type: 'message', data, origin } as never);
  }

  serverError(): void {
    this.onerror?.({ type: 'error' } as never);
  }

  serverClose(code = 1006, reason = '', wasClean = code !== 1006): void {
    this.readyState = FakeSocket.CLOSED;
    this.onclose?.({ type: 'close', code, reason, wasClean } as never);
  }
}
