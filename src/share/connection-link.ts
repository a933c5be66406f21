import type { SendOptions } from '../core/connection.js';
import type { ConnectionOptions } from '../core/options.js';
import type { SocketData } from '../core/send-queue.js';
import type { SocketLike } from '../core/socket-like.js';
import type { Status } from '../core/status.js';

/**
 * What the element drives: a `Connection` of its own, or its membership of
 * a shared group. The element maps attributes to `configure()`, methods to
 * methods, and hears back through the `ConnectionCallbacks` it gave.
 */
export interface ConnectionLink {
  /** The share key, for a membership of a group (or one waiting for the share chunk). */
  readonly key?: string;
  readonly status: Status;
  readonly socket: SocketLike | null;
  readonly attempt: number;
  readonly queued: number;
  readonly rtt: number | null;
  readonly session: string | null;
  readonly resumed: boolean;
  configure(changes: Partial<ConnectionOptions>): void;
  send(data: unknown, options?: SendOptions): boolean;
  clearQueue(): SocketData[];
  connect(): void;
  reconnect(): void;
  close(code?: number, reason?: string): void;
}
