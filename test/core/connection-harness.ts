import { Connection, type ConnectionCallbacks, type ConnectionEnvironment } from '../../src/core/connection.js';
import { LazyModule } from '../../src/core/lazy-module.js';
import * as sessionModule from '../../src/core/session.js';
import type { WsConnectionError } from '../../src/core/errors.js';
import type { ConnectionOptions } from '../../src/core/options.js';
import type { SocketClose, SocketMessage } from '../../src/core/socket-like.js';
import type { Status } from '../../src/core/status.js';
import { FakeClock } from './fake-clock.js';
import { FakeNetwork } from './fake-network.js';
import { FakeSocket } from './fake-socket.js';
import { FakeWake } from './fake-wake.js';

export const URL_A = 'ws://a.example.test/live';
export const URL_B = 'wss://b.example.test/other';

/** Extra behaviour run after the harness recorded a callback (for re-entrancy tests). */
export interface Hooks {
  status?(status: Status, previous: Status): void;
  open?(): void;
  message?(data: unknown, message: SocketMessage): void;
  close?(close: SocketClose): void;
  error?(error: WsConnectionError): void;
  /** A boolean result is what the retry callback returns; anything else defers to `retryAnswer`. */
  retry?(attempt: number, delay: number): unknown;
}

export interface Harness {
  readonly conn: Connection;
  readonly clock: FakeClock;
  readonly network: FakeNetwork;
  readonly wake: FakeWake;
  /** What the injected random() returns (0 by default: the full, unjittered delay). */
  random: number;
  /** What the retry callback answers when no hook decides. */
  retryAnswer: boolean;
  readonly hooks: Hooks;
  /** Every callback in order: `status:new<old`, `open`, `close:code`, `error:code`, `retry:n:delay`, `message:json`, `heartbeat:rtt`. */
  readonly log: string[];
  readonly statuses: [Status, Status][];
  readonly errors: WsConnectionError[];
  readonly closes: SocketClose[];
  readonly messages: { data: unknown; message: SocketMessage }[];
  readonly retries: { attempt: number; delay: number }[];
  /** The round trip of each answered heartbeat. */
  readonly heartbeats: number[];
  readonly sockets: FakeSocket[];
  /** The latest socket; throws when none was made. */
  readonly socket: FakeSocket;
  opens: number;
}

/** The session's module already loaded, so tests with the fake clock stay synchronous. */
export function loadedSessionModule(): LazyModule<typeof sessionModule> {
  const module = new LazyModule(() => Promise.resolve(sessionModule));
  module.current = sessionModule;
  return module;
}

export function setup(
  options: Partial<ConnectionOptions> = {},
  hooks: Hooks = {},
  environment: Partial<ConnectionEnvironment> = {},
): Harness {
  FakeSocket.reset();
  const clock = new FakeClock(1_000_000);
  const network = new FakeNetwork();
  const wake = new FakeWake();
  const h = {
    clock,
    network,
    wake,
    random: 0,
    retryAnswer: true,
    hooks,
    log: [] as string[],
    statuses: [] as [Status, Status][],
    errors: [] as WsConnectionError[],
    closes: [] as SocketClose[],
    messages: [] as { data: unknown; message: SocketMessage }[],
    retries: [] as { attempt: number; delay: number }[],
    heartbeats: [] as number[],
    opens: 0,
    get sockets(): FakeSocket[] {
      return FakeSocket.instances;
    },
    get socket(): FakeSocket {
      return FakeSocket.last;
    },
  } as Omit<Harness, 'conn'> & { conn: Connection };

  const callbacks: ConnectionCallbacks = {
    status(status, previous) {
      h.log.push(`status:${status}<${previous}`);
      h.statuses.push([status, previous]);
      hooks.status?.(status, previous);
    },
    open() {
      h.log.push('open');
      h.opens++;
      hooks.open?.();
    },
    message(data, message) {
      h.log.push(`message:${safeJson(data)}`);
      h.messages.push({ data, message });
      hooks.message?.(data, message);
    },
    close(close) {
      h.log.push(`close:${close.code}`);
      h.closes.push(close);
      hooks.close?.(close);
    },
    error(error) {
      h.log.push(`error:${error.code}`);
      h.errors.push(error);
      hooks.error?.(error);
    },
    retry(attempt, delay) {
      h.log.push(`retry:${attempt}:${delay}`);
      h.retries.push({ attempt, delay });
      const answer = hooks.retry?.(attempt, delay);
      return typeof answer === 'boolean' ? answer : h.retryAnswer;
    },
    heartbeat(rtt) {
      h.log.push(`heartbeat:${rtt}`);
      h.heartbeats.push(rtt);
    },
  };

  h.conn = new Connection({ url: URL_A, ...options }, callbacks, {
    WebSocket: FakeSocket,
    clock,
    network,
    wake,
    random: () => h.random,
    sessionModule: loadedSessionModule(),
    ...environment,
  });
  return h;
}

/** Connects and opens the first socket. */
export function openConnection(options: Partial<ConnectionOptions> = {}, hooks: Hooks = {}): Harness {
  const h = setup(options, hooks);
  h.conn.connect();
  h.socket.serverOpen();
  return h;
}

/** Lets promise callbacks (an async urlProvider) run. */
export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** Runs `fn` and returns what it threw. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw, nothing was thrown');
}

// JSON.stringify returns undefined for undefined, functions and symbols, whatever lib.d.ts says.
const stringify: (value: unknown) => string | undefined = JSON.stringify;

function safeJson(value: unknown): string {
  try {
    return stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
