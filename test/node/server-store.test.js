// @ts-check
// ws-connection/server's store: order holds with a slow, uneven store, and two servers sharing one
// store behave like two processes sharing a database (a session resumes on the other one).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { MemorySessionStore } from '../../dist/server/index.js';
import { ProtocolClient, collect, startSessionServer } from '../server/protocol-client.js';

/** @typedef {import('../../dist/server/index.js').ServerSession} ServerSession */
/** @typedef {import('../../dist/server/index.js').SessionStore} SessionStore */

/** A small seeded generator (mulberry32), so a failing run can be replayed. */
function random(/** @type {number} */ seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A MemorySessionStore whose every call resolves after a random 0–4 ms, so calls made one after the
 * other would finish out of order if the server did not wait for each.
 * @returns {SessionStore}
 */
function unevenStore(/** @type {number} */ seed) {
  const store = new MemorySessionStore();
  const next = random(seed);
  /** @template T @param {() => Promise<T>} call @returns {Promise<T>} */
  const later = (call) => new Promise((resolve) => setTimeout(resolve, Math.floor(next() * 5))).then(call);
  return {
    create: (record) => later(() => store.create(record)),
    load: (id) => later(() => store.load(id)),
    claim: (id, epoch) => later(() => store.claim(id, epoch)),
    append: (id, epoch, frame) => later(() => store.append(id, epoch, frame)),
    acknowledge: (id, epoch, ack) => later(() => store.acknowledge(id, epoch, ack)),
    receive: (id, epoch, received) => later(() => store.receive(id, epoch, received)),
    release: (id, epoch, expiresAt) => later(() => store.release(id, epoch, expiresAt)),
    delete: (id, epoch) => later(() => store.delete(id, epoch)),
  };
}

const range = (/** @type {number} */ count) => Array.from({ length: count }, (_, index) => index + 1);

test('with a slow, uneven store, messages both ways keep their order, across a resume', async () => {
  const setup = await startSessionServer({ store: unevenStore(7) });
  try {
    const created = once(setup.server, 'session');
    const { client } = await ProtocolClient.open(setup.url);
    const [session] = /** @type {[ServerSession]} */ (await created);
    const delivered = collect(session, 'message', 200);
    for (const n of range(100)) {
      client.message(n, n);
      session.send(n);
    }
    const firstHalf = await client.data(100);
    assert.deepEqual(
      firstHalf.map((frame) => [frame.s, frame.d]),
      range(100).map((n) => [n, n]),
    );
    client.ack(60);
    await client.close();

    // The client missed the server's acknowledgements after 40 and writes 41…100 again, then 101…200.
    const { client: again, welcome } = await ProtocolClient.open(setup.url, { session: session.id, ack: 60 });
    assert.equal(welcome.resumed, true);
    const from = Math.min(Number(welcome.ack), 40) + 1;
    for (let n = from; n <= 200; n++) again.message(n, n);
    for (const n of range(100)) session.send(100 + n);
    const replayed = await again.data(140);
    assert.deepEqual(
      replayed.map((frame) => frame.s),
      range(140).map((n) => 60 + n),
    );
    assert.deepEqual(await delivered, range(200), 'each client message once, in order');
  } finally {
    await setup.close();
  }
});

test('two servers sharing one store: a session resumes on the other, which replays; the first gives its socket up (1000)', async () => {
  const store = new MemorySessionStore();
  const first = await startSessionServer({ store });
  const second = await startSessionServer({ store });
  try {
    const created = once(first.server, 'session');
    const { client } = await ProtocolClient.open(first.url);
    const [session] = /** @type {[ServerSession]} */ (await created);
    const message = once(session, 'message');
    client.message(1, 'to the first');
    await message;
    session.send('one');
    session.send('two');
    await client.data(2);
    client.ack(1);
    assert.deepEqual(await client.next(), { t: 'a', ack: 1 });

    const ended = once(session, 'end');
    const adopted = once(second.server, 'session');
    const { client: moved, welcome } = await ProtocolClient.open(second.url, { session: session.id, ack: 1 });
    assert.deepEqual(welcome, { t: 'welcome', session: session.id, resumed: true, ack: 1 });
    assert.equal((await client.closed).code, 1000, 'the first server closed the older socket');
    assert.deepEqual(await ended, ['moved']);
    const [there] = /** @type {[ServerSession]} */ (await adopted);
    assert.equal(there.id, session.id);
    assert.deepEqual(await moved.data(1), [{ t: 'm', s: 2, d: 'two' }]);
    assert.equal(session.send('stale'), false, 'the first server no longer sends in it');

    const next = once(there, 'message');
    moved.message(2, 'to the second');
    assert.deepEqual(await next, ['to the second']);
    there.send('three');
    assert.deepEqual(await moved.data(1), [{ t: 'm', s: 3, d: 'three' }]);
    assert.equal(first.server.sessions.size, 0);
  } finally {
    await first.close();
    await second.close();
  }
});

test('a server that closes leaves its sessions in a shared store, to be resumed on another', async () => {
  const store = new MemorySessionStore();
  const first = await startSessionServer({ store });
  const second = await startSessionServer({ store });
  try {
    const created = once(first.server, 'session');
    const { client } = await ProtocolClient.open(first.url);
    const [session] = /** @type {[ServerSession]} */ (await created);
    session.send('kept');
    await client.data(1);
    const ended = once(session, 'end');
    await first.close();
    assert.deepEqual(await ended, ['closed']);
    assert.equal((await client.closed).code, 1001);
    const { client: again, welcome } = await ProtocolClient.open(second.url, { session: session.id, ack: 0 });
    assert.equal(welcome.resumed, true);
    assert.deepEqual(await again.data(1), [{ t: 'm', s: 1, d: 'kept' }]);
  } finally {
    await second.close();
  }
});
