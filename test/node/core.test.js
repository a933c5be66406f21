// @ts-check
// ws-connection/core without a DOM: the `ws` package's client against the real fault server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { Connection } from '../../dist/core/index.js';
import { startFaultServer } from '../server/fault-server.js';

/** @type {Awaited<ReturnType<typeof startFaultServer>>} */
let server;
before(async () => {
  server = await startFaultServer();
});
after(() => server.close());

/**
 * A connection to a fresh scope that records what it is told, with a helper to await the next callback.
 * @param {string} scope
 * @param {Partial<import('../../dist/core/index.js').ConnectionOptions>} options
 */
function connect(scope, options = {}) {
  /** @type {{ type: string, value?: unknown }[]} */
  const log = [];
  /** @type {((entry: { type: string, value?: unknown }) => void)[]} */
  let waiters = [];
  const note = (/** @type {string} */ type, /** @type {unknown} */ value) => {
    const entry = { type, value };
    log.push(entry);
    const pending = waiters;
    waiters = [];
    for (const waiter of pending) waiter(entry);
  };
  const connection = new Connection(
    {
      url: /** @type {string} */ (server.control({ scope, action: 'url' })),
      retryDelay: 20,
      retryJitter: 0,
      ...options,
    },
    {
      status: (status) => note('status', status),
      open: () => note('open'),
      message: (data) => note('message', data),
      close: (close) => note('close', close.code),
      error: (error) => note('error', error.code),
      retry: (attempt) => {
        note('retry', attempt);
        return true;
      },
    },
    { WebSocket },
  );
  /** Resolves with the next entry of `type` (and `value`, when given). */
  const next = (/** @type {string} */ type, /** @type {unknown} */ value) =>
    new Promise((resolve) => {
      const wait = (/** @type {{ type: string, value?: unknown }} */ entry) => {
        if (entry.type === type && (value === undefined || entry.value === value)) resolve(entry);
        else waiters.push(wait);
      };
      waiters.push(wait);
    });
  return { connection, log, next };
}

test('connects, sends, receives JSON, and reconnects after the server kills the socket', async () => {
  const { connection, log, next } = connect('node-basic', { json: true });
  const opened = next('open');
  connection.connect();
  await opened;
  const echo = next('message');
  assert.equal(connection.send({ from: 'node' }), true);
  assert.deepEqual(/** @type {{ value: unknown }} */ (await echo).value, { from: 'node' });

  const reopened = next('open');
  server.control({ scope: 'node-basic', action: 'kill' });
  await reopened;
  assert.deepEqual(
    log
      .filter((entry) => entry.type !== 'message')
      .map((entry) => `${entry.type}${entry.value === undefined ? '' : ` ${entry.value}`}`),
    ['status connecting', 'status open', 'open', 'close 1006', 'retry 1', 'status reconnecting', 'status open', 'open'],
  );
  const closed = next('status', 'closed');
  connection.close();
  await closed;
});

test('queues while not open and flushes in order on open', async () => {
  const { connection, next } = connect('node-queue');
  connection.send('first');
  connection.send('second');
  assert.equal(connection.queued, 2);
  const opened = next('open');
  connection.connect();
  await opened;
  const echoes = [next('message', 'first'), next('message', 'second')];
  await Promise.all(echoes);
  assert.deepEqual(server.control({ scope: 'node-queue', action: 'received' }), [
    { data: 'first', binary: false },
    { data: 'second', binary: false },
  ]);
  connection.close();
});

test('detects a half-open connection with the heartbeat and reconnects', async () => {
  const { connection, next } = connect('node-silent', { heartbeatInterval: 50, heartbeatTimeout: 100 });
  const opened = next('open');
  connection.connect();
  await opened;
  const dead = next('error', 'heartbeat');
  server.control({ scope: 'node-silent', action: 'silent' });
  await dead;
  await next('open');
  assert.equal(connection.status, 'open');
  connection.close();
});

test('a stop code is final', async () => {
  const { connection, next } = connect('node-stop');
  const opened = next('open');
  connection.connect();
  await opened;
  const failed = next('status', 'failed');
  server.control({ scope: 'node-stop', action: 'close', code: 1008 });
  await failed;
  assert.equal(connection.socket, null);
});
