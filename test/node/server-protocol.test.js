// @ts-check
// ws-connection/server and frames that break the protocol: the socket is closed with 4002 and the
// session, when there is one, is kept, so the client resumes it.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { ProtocolClient, startSessionServer } from '../server/protocol-client.js';

/** @typedef {import('../../dist/server/index.js').ServerSession} ServerSession */

/** A server with one open session; `body` breaks the protocol on its socket. */
async function withSession(
  /** @type {(setup: Awaited<ReturnType<typeof startSessionServer>> & { client: ProtocolClient, session: ServerSession }) => Promise<void>} */ body,
  /** @type {import('../../dist/server/index.js').SessionServerOptions} */ options = {},
) {
  const setup = await startSessionServer(options);
  try {
    const created = once(setup.server, 'session');
    const { client } = await ProtocolClient.open(setup.url);
    const [session] = /** @type {[ServerSession]} */ (await created);
    await body({ ...setup, client, session });
  } finally {
    await setup.close();
  }
}

/** Resumes `session` on a new socket and checks that the server still has it. */
async function assertKept(/** @type {string} */ url, /** @type {ServerSession} */ session, ack = 0) {
  const { client, welcome } = await ProtocolClient.open(url, { session: session.id, ack });
  assert.equal(welcome.resumed, true, 'the session is kept');
  assert.equal(welcome.session, session.id);
  assert.equal(session.ended, false);
  return { client, welcome };
}

test('a gap in the client’s numbers closes the socket with 4002 and keeps the session', async () => {
  await withSession(async ({ url, client, session }) => {
    /** @type {unknown[]} */
    const delivered = [];
    session.on('message', (data) => delivered.push(data));
    client.message(1, 'one');
    client.message(3, 'three');
    const { code, reason } = await client.closed;
    assert.equal(code, 4002);
    assert.equal(reason, 'gap in frame numbers');
    const { client: again, welcome } = await assertKept(url, session);
    assert.equal(welcome.ack, 1, 'frame 1 was delivered, frame 3 was not');
    const second = once(session, 'message');
    again.message(2, 'two');
    await second;
    assert.deepEqual(delivered, ['one', 'two']);
  });
});

for (const [name, text, reason] of [
  ['JSON that does not parse', '{"t":"m",', 'frame is not JSON'],
  ['a frame that is not an object', '[1,2]', 'frame is not a JSON object'],
  ['an unknown frame type', '{"t":"nope"}', 'unknown frame type'],
  ['a data frame without a number', '{"t":"m","d":1}', 'malformed data frame'],
  ['a second hello', '{"t":"hello","v":1}', 'second hello'],
]) {
  test(`${name} closes the socket with 4002 and keeps the session`, async () => {
    await withSession(async ({ url, client, session }) => {
      client.socket.send(text);
      assert.deepEqual(await client.closed, { code: 4002, reason });
      await assertKept(url, session);
    });
  });
}

test('a binary frame closes the socket with 4002 and keeps the session', async () => {
  await withSession(async ({ url, client, session }) => {
    client.socket.send(Buffer.from([1, 2, 3]));
    assert.deepEqual(await client.closed, { code: 4002, reason: 'binary frame' });
    await assertKept(url, session);
  });
});

test('an acknowledgement above what the server sent closes the socket with 4002', async () => {
  await withSession(async ({ url, client, session }) => {
    session.send('one');
    await client.data(1);
    client.ack(2);
    assert.equal((await client.closed).code, 4002);
    await assertKept(url, session, 1);
  });
});

test('a hello whose ack is above what the server ever sent is a protocol error (4002); the session is kept', async () => {
  await withSession(async ({ url, session }) => {
    session.send('one');
    const client = await ProtocolClient.connect(url);
    client.hello(session.id, 5);
    assert.deepEqual(await client.closed, {
      code: 4002,
      reason: 'hello acknowledges frames the session does not hold',
    });
    const { client: again } = await assertKept(url, session, 0);
    assert.deepEqual(await again.data(1), [{ t: 'm', s: 1, d: 'one' }]);
  });
});

test('a frame before hello closes the socket with 4002', async () => {
  const setup = await startSessionServer();
  try {
    const client = await ProtocolClient.connect(setup.url);
    client.send({ t: 'ping' });
    assert.deepEqual(await client.closed, { code: 4002, reason: 'first frame is not hello' });
  } finally {
    await setup.close();
  }
});

for (const [name, hello, reason] of [
  ['another protocol version', { t: 'hello', v: 2 }, 'unsupported protocol version'],
  ['a resume without an ack', { t: 'hello', v: 1, session: 'abc' }, 'malformed hello'],
]) {
  test(`a hello with ${name} closes the socket with 4002`, async () => {
    const setup = await startSessionServer();
    try {
      const client = await ProtocolClient.connect(setup.url);
      client.send(hello);
      assert.deepEqual(await client.closed, { code: 4002, reason });
    } finally {
      await setup.close();
    }
  });
}

test('a socket that sends no hello within helloTimeout is closed with 4002', async () => {
  const setup = await startSessionServer({ helloTimeout: 50 });
  try {
    const client = await ProtocolClient.connect(setup.url);
    assert.deepEqual(await client.closed, { code: 4002, reason: 'no hello within 50 ms' });
    assert.equal(setup.server.sessions.size, 0);
  } finally {
    await setup.close();
  }
});
