// @ts-check
// ws-connection/server against real ws sockets: sessions, resume and replay, dedupe, acknowledgements,
// expiry, overflow, users, takeover, end(). `npm run build` writes dist/server.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { ProtocolClient, collect, startSessionServer } from '../server/protocol-client.js';

/** @typedef {import('../../dist/server/index.js').ServerSession} ServerSession */

/** Runs `body` against a fresh server, closed afterwards however the test ends. */
async function withServer(
  /** @type {import('../../dist/server/index.js').SessionServerOptions} */ options,
  /** @type {(setup: Awaited<ReturnType<typeof startSessionServer>>) => Promise<void>} */ body,
) {
  const setup = await startSessionServer(options);
  try {
    await body(setup);
  } finally {
    await setup.close();
  }
}

/** A new session: the client's socket and welcome, and the server's session. */
async function openSession(
  /** @type {Awaited<ReturnType<typeof startSessionServer>>} */ { server, url },
  headers = {},
) {
  const created = once(server, 'session');
  const { client, welcome } = await ProtocolClient.open(url, { headers });
  const [session] = /** @type {[ServerSession]} */ (await created);
  return { client, welcome, session };
}

test('a hello starts a new session: welcome resumed:false, an id of at least 128 random bits', async () => {
  await withServer({}, async (setup) => {
    /** @type {unknown[]} */
    const sockets = [];
    // `socket` follows `session` at once: a listener added in the `session` listener sees it.
    const created = new Promise((resolve) =>
      setup.server.once('session', (session) => {
        session.on('socket', (socket) => sockets.push(socket));
        resolve(session);
      }),
    );
    const client = await ProtocolClient.connect(setup.url);
    client.hello(undefined);
    const session = /** @type {ServerSession} */ (await created);
    const welcome = await client.next();
    assert.deepEqual(welcome, { t: 'welcome', session: session.id, resumed: false, ack: 0 });
    assert.match(session.id, /^[A-Za-z0-9_-]+$/);
    assert.ok(Buffer.from(session.id, 'base64url').length * 8 >= 128, `${session.id} holds 128 bits`);
    assert.equal(sockets.length, 1);
    const other = await openSession(setup);
    assert.notEqual(other.session.id, session.id);
    assert.equal(setup.server.sessions.size, 2);
  });
});

test('client messages arrive once each, in order, and are acknowledged within 250 ms', async () => {
  await withServer({}, async (setup) => {
    const { client, session } = await openSession(setup);
    const messages = collect(session, 'message', 3);
    const sentAt = performance.now();
    client.message(1, 'one');
    client.message(2, { two: 2 });
    client.message(3, [3]);
    assert.deepEqual(await messages, ['one', { two: 2 }, [3]]);
    const ack = await client.next();
    const elapsed = performance.now() - sentAt;
    assert.deepEqual(ack, { t: 'a', ack: 3 }, 'one acknowledgement covers the three');
    assert.ok(elapsed < 250, `acknowledged after ${elapsed.toFixed(0)} ms`);
  });
});

test('send() numbers messages 1, 2, 3 and writes them to the socket', async () => {
  await withServer({}, async (setup) => {
    const { client, session } = await openSession(setup);
    assert.equal(session.send('a'), true);
    session.send({ b: 1 });
    assert.deepEqual(await client.data(2), [
      { t: 'm', s: 1, d: 'a' },
      { t: 'm', s: 2, d: { b: 1 } },
    ]);
    assert.equal(session.unacknowledged, 2);
    assert.throws(() => session.send(undefined), TypeError);
  });
});

test('a resume replays, in order, what the server holds above the client’s ack, then what is sent after', async () => {
  await withServer({}, async (setup) => {
    const { client, welcome, session } = await openSession(setup);
    session.send('one');
    session.send('two');
    session.send('three');
    await client.data(3);
    client.ack(1);
    await client.close();
    session.send('four'); // no socket: kept
    const resumedSocket = once(session, 'socket');
    const { client: again, welcome: welcomeAgain } = await ProtocolClient.open(setup.url, {
      session: String(welcome.session),
      ack: 2,
    });
    assert.deepEqual(welcomeAgain, { t: 'welcome', session: session.id, resumed: true, ack: 0 });
    await resumedSocket;
    session.send('five');
    assert.deepEqual(await again.data(3), [
      { t: 'm', s: 3, d: 'three' },
      { t: 'm', s: 4, d: 'four' },
      { t: 'm', s: 5, d: 'five' },
    ]);
    assert.equal(session.unacknowledged, 3, 'the hello’s ack 2 dropped one and two');
  });
});

test('a client’s replayed frames are acknowledged again and not delivered twice', async () => {
  await withServer({}, async (setup) => {
    const { client, welcome, session } = await openSession(setup);
    /** @type {unknown[]} */
    const delivered = [];
    session.on('message', (data) => delivered.push(data));
    client.message(1, 'one');
    client.message(2, 'two');
    assert.deepEqual(await client.next(), { t: 'a', ack: 2 });
    client.message(1, 'one'); // on the same socket
    assert.deepEqual(await client.next(), { t: 'a', ack: 2 });
    await client.close();

    const { client: again, welcome: welcomeAgain } = await ProtocolClient.open(setup.url, {
      session: String(welcome.session),
      ack: 0,
    });
    assert.equal(welcomeAgain.ack, 2);
    again.message(2, 'two'); // what a client that missed the acknowledgement writes again
    assert.deepEqual(await again.next(), { t: 'a', ack: 2 });
    const third = once(session, 'message');
    again.message(3, 'three');
    await third;
    assert.deepEqual(await again.next(), { t: 'a', ack: 3 });
    assert.deepEqual(delivered, ['one', 'two', 'three']);
  });
});

test('a session without a socket for ttl ends (expired) and a later resume gets a new session', async () => {
  await withServer({ ttl: 100 }, async (setup) => {
    const { client, welcome, session } = await openSession(setup);
    const ended = once(session, 'end');
    const closedAt = performance.now();
    await client.close();
    assert.deepEqual(await ended, ['expired']);
    assert.ok(performance.now() - closedAt >= 95, 'not before the ttl');
    assert.equal(session.ended, true);
    assert.equal(session.send('late'), false);
    assert.equal(setup.server.sessions.size, 0);
    assert.equal(/** @type {import('../../dist/server/index.js').MemorySessionStore} */ (setup.server.store).size, 0);

    const created = once(setup.server, 'session');
    const { welcome: welcomeAgain } = await ProtocolClient.open(setup.url, {
      session: String(welcome.session),
      ack: 0,
    });
    const [fresh] = /** @type {[ServerSession]} */ (await created);
    assert.deepEqual(welcomeAgain, { t: 'welcome', session: fresh.id, resumed: false, ack: 0 });
    assert.notEqual(fresh.id, welcome.session);
  });
});

test('a socket that resumes in time stops the expiry', async () => {
  await withServer({ ttl: 150 }, async (setup) => {
    const { client, welcome, session } = await openSession(setup);
    await client.close();
    const { welcome: welcomeAgain } = await ProtocolClient.open(setup.url, {
      session: String(welcome.session),
      ack: 0,
    });
    assert.equal(welcomeAgain.resumed, true);
    // Past the ttl the session still holds: the same socket carries a message and its ack.
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(session.ended, false);
  });
});

test('more than bufferLimit unacknowledged messages end the session (4003); a resume gets resumed:false', async () => {
  await withServer({ bufferLimit: 3 }, async (setup) => {
    const { client, welcome, session } = await openSession(setup);
    const ended = once(session, 'end');
    assert.equal(session.send(1), true);
    assert.equal(session.send(2), true);
    assert.equal(session.send(3), true);
    assert.equal(session.send(4), false, 'the fourth would overflow');
    assert.deepEqual(await ended, ['overflow']);
    const { code, reason } = await client.closed;
    assert.equal(code, 4003);
    assert.equal(reason, 'session buffer overflow');
    const { welcome: welcomeAgain } = await ProtocolClient.open(setup.url, {
      session: String(welcome.session),
      ack: 0,
    });
    assert.equal(welcomeAgain.resumed, false);
  });
});

test('acknowledgements free the buffer, so a client that acknowledges never overflows', async () => {
  await withServer({ bufferLimit: 3 }, async (setup) => {
    const { client, session } = await openSession(setup);
    // Each message is answered; the client acknowledges each answer before it sends the next message,
    // so the server has the acknowledgement by the time it answers again.
    session.on('message', (data) => assert.equal(session.send(data), true));
    for (let s = 1; s <= 9; s++) {
      client.message(s, s);
      assert.deepEqual(await client.data(1), [{ t: 'm', s, d: s }]);
      client.ack(s);
    }
    assert.equal(session.ended, false);
  });
});

test('identify(): a resume by another user is answered as an unknown session, and leaves the owner alone', async () => {
  const identify = (/** @type {import('node:http').IncomingMessage} */ request) =>
    Promise.resolve(String(request.headers['x-user']));
  await withServer({ identify }, async (setup) => {
    const alice = await openSession(setup, { 'x-user': 'alice' });
    assert.equal(alice.session.user, 'alice');
    const { client: mallory, welcome } = await ProtocolClient.open(setup.url, {
      session: alice.session.id,
      ack: 0,
      headers: { 'x-user': 'mallory' },
    });
    assert.equal(welcome.resumed, false);
    assert.notEqual(welcome.session, alice.session.id);
    // Alice's socket still holds her session.
    alice.session.send('still yours');
    assert.deepEqual(await alice.client.data(1), [{ t: 'm', s: 1, d: 'still yours' }]);
    await mallory.close();
    const { welcome: aliceAgain } = await ProtocolClient.open(setup.url, {
      session: alice.session.id,
      ack: 1,
      headers: { 'x-user': 'alice' },
    });
    assert.equal(aliceAgain.resumed, true);
  });
});

test('identify() that throws closes the socket with 1008', async () => {
  await withServer(
    {
      identify: () => {
        throw new Error('no cookie');
      },
    },
    async (setup) => {
      const client = await ProtocolClient.connect(setup.url);
      client.hello(undefined);
      assert.equal((await client.closed).code, 1008);
    },
  );
});

test('a newer socket resuming a session takes it over; the older one, still open, is closed with 1000', async () => {
  await withServer({}, async (setup) => {
    const { client: older, session } = await openSession(setup);
    const sockets = collect(session, 'socket', 1);
    const { client: newer, welcome } = await ProtocolClient.open(setup.url, { session: session.id, ack: 0 });
    assert.equal(welcome.resumed, true);
    assert.equal((await older.closed).code, 1000);
    await sockets;
    const message = once(session, 'message');
    newer.message(1, 'from the newer socket');
    assert.deepEqual(await message, ['from the newer socket']);
    session.send('to the newer socket');
    assert.deepEqual(await newer.data(1), [{ t: 'm', s: 1, d: 'to the newer socket' }]);
  });
});

test('end() closes the socket (1000 by default, or the code given) and forgets the session', async () => {
  await withServer({}, async (setup) => {
    const first = await openSession(setup);
    const ended = once(first.session, 'end');
    first.session.end();
    assert.deepEqual(await ended, ['ended']);
    assert.deepEqual(await first.client.closed, { code: 1000, reason: '' });
    const { welcome } = await ProtocolClient.open(setup.url, { session: first.session.id, ack: 0 });
    assert.equal(welcome.resumed, false);

    const second = await openSession(setup);
    second.session.end(4000, 'bye');
    assert.deepEqual(await second.client.closed, { code: 4000, reason: 'bye' });
  });
});

test('ping is answered with pong', async () => {
  await withServer({}, async (setup) => {
    const { client } = await openSession(setup);
    client.send({ t: 'ping' });
    assert.deepEqual(await client.next(), { t: 'pong' });
  });
});

test('close() closes every socket with 1001 and resolves with no session left in the process', async () => {
  const setup = await startSessionServer();
  const { client } = await openSession(setup);
  const waiting = await ProtocolClient.connect(setup.url); // no hello yet
  await setup.close();
  assert.equal((await client.closed).code, 1001);
  assert.equal((await waiting.closed).code, 1001);
  assert.equal(setup.server.sessions.size, 0);
});

test('close() does not wait for an identify() that never answers', async () => {
  const setup = await startSessionServer({ identify: () => new Promise(() => undefined) });
  const client = await ProtocolClient.connect(setup.url);
  client.hello(undefined);
  await setup.close();
  assert.equal((await client.closed).code, 1001);
});
