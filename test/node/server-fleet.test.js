// @ts-check
// ws-connection/server/redis with real parts: Debian's redis-server (a free port, no persistence),
// two SessionServer processes sharing it (test/server/fleet-server.js), nginx in front of them with
// a plain round-robin upstream, and the core Connection (the element's own logic) with `resume` over
// the `ws` client. Without redis-server or nginx each test says so and is skipped; under CI=true
// that is a failure.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import WebSocket from 'ws';
import { Connection } from '../../dist/core/index.js';
import { ProtocolClient } from '../server/protocol-client.js';
import { fleetAvailable, startFleet } from '../server/fleet.js';

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `condition()` holds, checked every 10 ms; rejects with `what` after `timeoutMs`. */
async function until(/** @type {() => boolean} */ condition, /** @type {string} */ what, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(10);
  }
}

/**
 * The core Connection with resume and json over the `ws` client, recording what it gets.
 * @param {string} url
 */
function resumingClient(url) {
  /** @type {unknown[]} */
  const received = [];
  /** @type {import('../../dist/core/index.js').WsConnectionError[]} */
  const errors = [];
  let opens = 0;
  const connection = new Connection(
    { url, resume: true, json: true, retryDelay: 50, retryMaxDelay: 500, retryJitter: 0.5 },
    {
      open: () => opens++,
      message: (data) => received.push(data),
      error: (error) => errors.push(error),
    },
    {
      WebSocket: class extends WebSocket {
        /** @param {string} address @param {string | string[]} [protocols] */
        constructor(address, protocols) {
          super(address, protocols, { perMessageDeflate: false });
        }
      },
    },
  );
  return {
    connection,
    received,
    errors,
    get opens() {
      return opens;
    },
  };
}

/**
 * Runs `body` with a fresh fleet and a resuming client through its nginx, once the client opened and a
 * process holds its session; ends the client and the fleet whatever happens. Skips (or, under CI, fails)
 * without the fleet's programs.
 * @typedef {Awaited<ReturnType<typeof startFleet>>} Fleet
 * @param {import('node:test').TestContext} t
 * @param {{ ttl?: number }} options
 * @param {(open: { fleet: Fleet, client: ReturnType<typeof resumingClient>, id: string, holder: Fleet['servers'][number] }) => Promise<void>} body
 */
async function withOpenClient(t, options, body) {
  if (!fleetAvailable(t)) return;
  const fleet = await startFleet(options);
  const client = resumingClient(fleet.nginx.url);
  try {
    client.connection.connect();
    await until(() => client.opens === 1, 'first open');
    const id = /** @type {string} */ (client.connection.session);
    const holder = await fleet.holder(id);
    await body({ fleet, client, id, holder });
  } finally {
    client.connection.close();
    await fleet.close();
  }
}

/** The numbers 1…count. */
const range = (/** @type {number} */ count) => Array.from({ length: count }, (_, index) => index + 1);

test('the process holding the socket is SIGKILLed mid-stream both ways: the session resumes on the other through nginx, nothing lost or twice', (t) =>
  withOpenClient(t, {}, async ({ fleet, client, id, holder }) => {
    const other = /** @type {(typeof fleet.servers)[number]} */ (fleet.servers.find((server) => server !== holder));

    // Both ways at once: the client sends 1…300 every 2 ms; the other process sends ticks 1…300 in
    // the session (through Redis while the holder holds it, itself once it does); the holder is
    // killed after 100 of each.
    const COUNT = 300;
    let sent = 0;
    const sending = (async () => {
      for (const n of range(COUNT)) {
        client.connection.send({ n });
        sent = n;
        await sleep(2);
      }
    })();
    let ticks = 0;
    const ticking = (async () => {
      for (const n of range(COUNT)) {
        assert.equal(await other.send(id, { tick: n }), true, `tick ${n} accepted`);
        ticks = n;
        await sleep(2);
      }
    })();
    await until(() => sent >= 100 && ticks >= 100, '100 each way before the kill');
    await holder.kill();
    await Promise.all([sending, ticking]);

    // Up to the last message delivered, not COUNT of them: the one the crash window may cost (below) never comes.
    await until(
      () => client.received.length >= COUNT && fleet.delivered().some((entry) => entry.data.n === COUNT),
      'every message both ways after the kill',
      20000,
    );
    await sleep(300); // Time for a duplicate to show, if one were coming.
    assert.deepEqual(
      client.received.map((data) => /** @type {{ tick: number }} */ (data).tick),
      range(COUNT),
      'the client got every tick once, in order',
    );
    const delivered = fleet.delivered().filter((entry) => entry.id === id);
    const numbers = delivered.map((entry) => entry.data.n);
    // The server records a client frame before it hands it to the application (docs/fleet.md,
    // "What a crash can cost"): a SIGKILL after Redis recorded one and before the killed process
    // delivered it loses that one to the application, never more than one per session (a
    // session's store calls run one at a time), and only at the handover. Everything else: once, in order.
    const missing = range(COUNT).filter((n) => !numbers.includes(n));
    assert.deepEqual(
      numbers,
      [...new Set(numbers)].sort((x, y) => x - y),
      'once each, in order',
    );
    assert.ok(missing.length <= 1, `at most one lost in the crash window, not ${missing.length}`);
    const on = (/** @type {string} */ name) =>
      delivered.filter((entry) => entry.server === name).map((entry) => entry.data.n);
    const lastOnKilled = Math.max(...on(holder.name));
    const firstOnOther = Math.min(...on(other.name));
    assert.ok(
      lastOnKilled >= 90 && firstOnOther > lastOnKilled,
      'the killed process had the first ones, the other the rest',
    );
    for (const n of missing) assert.equal(n, lastOnKilled + 1, 'only the one the killed process had recorded');
    assert.equal(client.connection.session, id, 'the same session');
    assert.equal(client.connection.resumed, true);
    assert.equal(client.errors.filter((error) => error.code === 'session-lost').length, 0);
  }));

test('a session resumed on B while A still holds the old socket: A closes it with 1000; a send from either process reaches the client once', async (t) => {
  if (!fleetAvailable(t)) return;
  const fleet = await startFleet();
  const [a, b] = /** @type {[any, any]} */ (fleet.servers);
  try {
    const { client: first, welcome } = await ProtocolClient.open(`ws://127.0.0.1:${a.port}/`);
    const id = /** @type {string} */ (welcome.session);
    await a.next((event) => event.type === 'socket' && event.id === id);

    // B does not hold it: its send goes through Redis to A, which numbers and writes it.
    assert.equal(await b.send(id, 'from B'), true);
    assert.equal(await a.send(id, 'from A'), true);
    assert.deepEqual(
      (await first.data(2)).map((frame) => [frame.s, frame.d]),
      [
        [1, 'from B'],
        [2, 'from A'],
      ],
    );
    first.ack(1);
    first.message(1, 'one');
    assert.deepEqual(await first.nextOf('a'), { t: 'a', ack: 1 });

    const { client: second, welcome: resumed } = await ProtocolClient.open(`ws://127.0.0.1:${b.port}/`, {
      session: id,
      ack: 1,
    });
    assert.deepEqual(resumed, { t: 'welcome', session: id, resumed: true, ack: 1 });
    const closed = await first.closed;
    assert.equal(closed.code, 1000, 'A closed the older socket');
    assert.equal((await a.next((event) => event.type === 'end' && event.id === id)).reason, 'moved');
    assert.deepEqual(await second.data(1), [{ t: 'm', s: 2, d: 'from A' }], 'B replays what was not acknowledged');

    // Now A is the other process: its send goes through Redis to B.
    assert.equal(await a.send(id, 'from A again'), true);
    assert.equal(await b.send(id, 'from B again'), true);
    assert.deepEqual(
      (await second.data(2)).map((frame) => [frame.s, frame.d]),
      [
        [3, 'from A again'],
        [4, 'from B again'],
      ],
    );
    assert.equal(await b.send('no-such-session', 'x'), false, 'an unknown session');
    await second.close();
  } finally {
    await fleet.close();
  }
});

test('a session left without a socket past its ttl is gone: the client resumes into session-lost', (t) =>
  withOpenClient(t, { ttl: 300 }, async ({ fleet, client, id, holder }) => {
    client.connection.send({ n: 1 });
    await until(() => fleet.delivered().length === 1, 'the first message delivered');
    await sleep(100); // Its acknowledgement comes back within 50 ms.
    client.connection.close();
    const ended = await holder.next((event) => event.type === 'end' && event.id === id);
    assert.equal(ended.reason, 'expired');
    client.connection.send({ n: 2 });
    client.connection.connect();
    await until(() => client.opens === 2, 'second open');
    const lost = client.errors.filter((error) => error.code === 'session-lost');
    assert.equal(lost.length, 1, 'session-lost once');
    assert.equal(/** @type {{ previous: string } | undefined} */ (lost[0]?.data)?.previous, id);
    assert.notEqual(client.connection.session, id, 'a new session');
    assert.equal(client.connection.resumed, false);
    await until(() => fleet.delivered().length === 2, 'the message sent while closed delivered in the new session');
  }));

test('Redis restarted mid-run (its sessions gone): the server ends the session with a clear error, the client gets session-lost, never a silent gap', (t) =>
  withOpenClient(t, {}, async ({ fleet, client, id, holder }) => {
    assert.equal(await holder.send(id, { tick: 1 }), true);
    await until(() => client.received.length === 1, 'the first tick');

    await fleet.redis.restart();
    const ended = await holder.next((event) => event.type === 'end' && event.id === id);
    assert.equal(ended.reason, 'error');
    assert.match(ended.error, /Redis connection lost/);

    await until(() => client.opens === 2, 'open again once Redis is back', 20000);
    const lost = client.errors.filter((error) => error.code === 'session-lost');
    assert.equal(lost.length, 1, 'the client was told its session was lost');
    assert.equal(/** @type {{ previous: string } | undefined} */ (lost[0]?.data)?.previous, id);
    assert.equal(client.connection.resumed, false);
    assert.deepEqual(client.received, [{ tick: 1 }], 'nothing replayed from a session Redis no longer has');
  }));
