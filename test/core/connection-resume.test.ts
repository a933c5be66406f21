/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { WsConnectionError } from '../../src/core/errors.js';
import { LazyModule } from '../../src/core/lazy-module.js';
import * as sessionModule from '../../src/core/session.js';
import type { FakeSocket } from './fake-socket.js';
import { flushMicrotasks, setup, thrown, type Harness } from './connection-harness.js';

const hello = '{"t":"hello","v":1}';

function welcome(socket: FakeSocket, session: string, resumed: boolean, ack = 0): void {
  socket.serverMessage(JSON.stringify({ t: 'welcome', session, resumed, ack }));
}

function data(socket: FakeSocket, s: number, d: unknown): void {
  socket.serverMessage(JSON.stringify({ t: 'm', s, d }));
}

/** Connects, says hello, and opens a new session `S1`. */
function openSession(options: Parameters<typeof setup>[0] = {}): Harness {
  const h = setup({ resume: true, ...options });
  h.conn.connect();
  h.socket.serverOpen();
  welcome(h.socket, 'S1', false);
  return h;
}

/** Drops the socket and lets the retry open the next one (hello written, welcome not yet). */
function dropAndReopen(h: Harness): FakeSocket {
  h.socket.serverClose(1006);
  h.clock.advance(1000);
  h.socket.serverOpen();
  return h.socket;
}

function code(error: unknown): string | undefined {
  return error instanceof WsConnectionError ? error.code : undefined;
}

describe('Connection: resume (the session protocol)', () => {
  it('says hello first and counts as open only after the welcome', () => {
    const h = setup({ resume: true });
    h.conn.send('queued');
    h.conn.connect();
    h.socket.serverOpen();
    expect(h.socket.sent).to.deep.equal([hello]);
    expect(h.conn.status).to.equal('connecting');
    welcome(h.socket, 'S1', false);
    expect(h.conn.status).to.equal('open');
    expect(h.conn.session).to.equal('S1');
    expect(h.conn.resumed).to.equal(false);
    expect(h.socket.sent).to.deep.equal([hello, '{"t":"m","s":1,"d":"queued"}']);
  });

  it('numbers data frames; json sends the value itself as d and delivers d as the message', () => {
    const h = openSession({ json: true });
    h.conn.send({ a: 1 });
    h.conn.send('text');
    expect(h.socket.sent.slice(1)).to.deep.equal(['{"t":"m","s":1,"d":{"a":1}}', '{"t":"m","s":2,"d":"text"}']);
    data(h.socket, 1, { b: 2 });
    expect(h.messages.map((m) => m.data)).to.deep.equal([{ b: 2 }]);
  });

  it('keeps every message until acknowledged: queued counts written ones, an ack drops them', () => {
    const h = openSession();
    h.conn.send('a');
    h.conn.send('b');
    expect(h.conn.queued).to.equal(2);
    h.socket.serverMessage('{"t":"a","ack":1}');
    expect(h.conn.queued).to.equal(1);
  });

  it('resumes: hello names the session and the highest number received; the welcome ack drops what the server has, the rest is written again first', () => {
    const h = openSession();
    h.conn.send('a');
    h.conn.send('b');
    h.conn.send('c');
    data(h.socket, 1, 'x');
    data(h.socket, 2, 'y');
    const next = dropAndReopen(h);
    expect(h.conn.send('d')).to.equal(false);
    expect(next.sent).to.deep.equal(['{"t":"hello","v":1,"session":"S1","ack":2}']);
    welcome(next, 'S1', true, 1);
    expect(h.conn.resumed).to.equal(true);
    expect(h.conn.status).to.equal('open');
    expect(next.sent.slice(1)).to.deep.equal([
      '{"t":"m","s":2,"d":"b"}',
      '{"t":"m","s":3,"d":"c"}',
      '{"t":"m","s":4,"d":"d"}',
    ]);
  });

  it('drops a replayed server frame and acknowledges it again', () => {
    const h = openSession();
    data(h.socket, 1, 'x');
    h.clock.advance(250);
    expect(h.socket.sent.at(-1)).to.equal('{"t":"a","ack":1}');
    data(h.socket, 1, 'x');
    data(h.socket, 2, 'y');
    h.clock.advance(250);
    expect(h.messages.map((m) => m.data)).to.deep.equal(['x', 'y']);
    expect(h.socket.sent.at(-1)).to.equal('{"t":"a","ack":2}');
  });

  it('acknowledges within 250 ms, one frame for many, and before a clean close', () => {
    const h = openSession();
    data(h.socket, 1, 'x');
    data(h.socket, 2, 'y');
    h.clock.advance(249);
    expect(h.socket.sent).to.deep.equal([hello]);
    h.clock.advance(1);
    expect(h.socket.sent).to.deep.equal([hello, '{"t":"a","ack":2}']);
    data(h.socket, 3, 'z');
    h.conn.close();
    expect(h.socket.sent.at(-1)).to.equal('{"t":"a","ack":3}');
    expect(h.socket.closeCalls).to.deep.equal([{ code: 1000, reason: '' }]);
  });

  it('a gap in the server numbers: error protocol, close 4002, then resume on a new socket', () => {
    const h = openSession();
    data(h.socket, 1, 'x');
    const first = h.socket;
    data(first, 3, 'z');
    expect(h.errors.map((e) => e.code)).to.deep.equal(['protocol']);
    expect(first.closeCalls).to.deep.equal([{ code: 4002, reason: undefined }]);
    expect(h.closes.map((c) => c.code)).to.deep.equal([4002]);
    expect(h.messages.map((m) => m.data)).to.deep.equal(['x']);
    h.clock.advance(1000);
    h.socket.serverOpen();
    expect(h.socket.sent).to.deep.equal(['{"t":"hello","v":1,"session":"S1","ack":1}']);
  });

  it('a frame that is not JSON, or an unknown kind, is a protocol error', () => {
    const h = openSession();
    h.socket.serverMessage('{oops');
    expect(h.errors.map((e) => e.code)).to.deep.equal(['protocol']);
    const next = dropAndReopenAfterRetry(h);
    welcome(next, 'S1', true, 0);
    next.serverMessage('{"t":"what"}');
    expect(h.errors.map((e) => e.code)).to.deep.equal(['protocol', 'protocol']);
  });

  it('a first frame that is not a welcome is a protocol error', () => {
    const h = setup({ resume: true });
    h.conn.connect();
    h.socket.serverOpen();
    h.socket.serverMessage('hello there');
    expect(h.errors.map((e) => e.code)).to.deep.equal(['protocol']);
    expect(h.conn.status).to.equal('reconnecting');
  });

  it('a server that never answers the hello: timeout', () => {
    const h = setup({ resume: true, connectTimeout: 2000 });
    h.conn.connect();
    h.socket.serverOpen();
    h.clock.advance(2000);
    expect(h.errors.map((e) => e.code)).to.deep.equal(['timeout']);
    expect(h.conn.status).to.equal('reconnecting');
  });

  it('a welcome that acknowledges more than was sent is a protocol error', () => {
    const h = openSession();
    h.conn.send('a');
    const next = dropAndReopen(h);
    welcome(next, 'S1', true, 5);
    expect(h.errors.map((e) => e.code)).to.deep.equal(['protocol']);
    expect(h.opens).to.equal(1);
  });

  it('an acknowledgement of more than was sent is a protocol error', () => {
    const h = openSession();
    h.socket.serverMessage('{"t":"a","ack":1}');
    expect(h.errors.map((e) => e.code)).to.deep.equal(['protocol']);
  });

  it('the lost session: session-lost with { previous, unacknowledged } before open; those go first in the new session', () => {
    const h = openSession();
    h.conn.send('a');
    h.conn.send('b');
    h.socket.serverMessage('{"t":"a","ack":1}');
    const next = dropAndReopen(h);
    h.conn.send('c');
    welcome(next, 'S2', false);
    const lost = h.errors.find((e) => e.code === 'session-lost');
    expect(lost?.data).to.deep.equal({ previous: 'S1', unacknowledged: 1 });
    expect(h.log.lastIndexOf('error:session-lost')).to.be.lessThan(h.log.lastIndexOf('open'));
    expect(h.conn.session).to.equal('S2');
    expect(h.conn.resumed).to.equal(false);
    expect(next.sent.slice(1)).to.deep.equal(['{"t":"m","s":1,"d":"b"}', '{"t":"m","s":2,"d":"c"}']);
  });

  it('a welcome resuming a session the client did not ask for is a lost session', () => {
    const h = openSession();
    h.conn.send('a');
    const next = dropAndReopen(h);
    welcome(next, 'OTHER', true, 0);
    expect(h.errors.map((e) => e.code)).to.deep.equal(['session-lost']);
    expect(h.conn.session).to.equal('OTHER');
    expect(next.sent.slice(1)).to.deep.equal(['{"t":"m","s":1,"d":"a"}']);
  });

  it('the handshake runs after the welcome of a new session only, its frames numbered ahead of the outbox', async () => {
    const runs: boolean[] = [];
    const h = setup({
      resume: true,
      json: true,
      handshake: async ({ send, receive, resumed }) => {
        runs.push(resumed);
        send({ type: 'init' });
        expect(await receive()).to.deep.equal({ type: 'ack' });
      },
    });
    h.conn.send('queued');
    h.conn.connect();
    h.socket.serverOpen();
    welcome(h.socket, 'S1', false);
    expect(h.socket.sent.slice(1)).to.deep.equal(['{"t":"m","s":1,"d":{"type":"init"}}']);
    data(h.socket, 1, { type: 'ack' });
    await flushMicrotasks();
    expect(h.conn.status).to.equal('open');
    expect(h.socket.sent.slice(2)).to.deep.equal(['{"t":"m","s":2,"d":"queued"}']);
    const next = dropAndReopen(h);
    welcome(next, 'S1', true, 2);
    expect(h.conn.status).to.equal('open');
    expect(runs).to.deep.equal([false]);
  });

  it('queue-limit counts unacknowledged messages also while open', () => {
    const h = openSession({ queueLimit: 2 });
    h.conn.send('a');
    h.conn.send('b');
    expect(code(thrown(() => h.conn.send('c')))).to.equal('queue-full');
    h.socket.serverMessage('{"t":"a","ack":2}');
    expect(h.conn.send('c')).to.equal(true);
  });

  it('binary data is refused with serialize; a binary server frame is passed on', () => {
    const h = openSession();
    expect(code(thrown(() => h.conn.send(new ArrayBuffer(2))))).to.equal('serialize');
    const buffer = new ArrayBuffer(1);
    h.socket.serverMessage(buffer);
    expect(h.messages.map((m) => m.data)).to.deep.equal([buffer]);
  });

  it('heartbeats are the protocol ping and pong, with rtt', () => {
    const h = openSession({ heartbeatInterval: 1000, heartbeatTimeout: 500 });
    h.clock.advance(1000);
    expect(h.socket.sent.at(-1)).to.equal('{"t":"ping"}');
    h.clock.advance(12);
    h.socket.serverMessage('{"t":"pong"}');
    expect(h.heartbeats).to.deep.equal([12]);
    expect(h.messages).to.deep.equal([]);
  });

  it('clearQueue() empties what was not written; written messages stay for the server', () => {
    const h = openSession();
    h.conn.send('written');
    h.socket.serverClose(1006);
    h.conn.send('waiting');
    expect(h.conn.clearQueue()).to.deep.equal(['waiting']);
    expect(h.conn.queued).to.equal(1);
  });

  it('a new URL starts a new session, with what was unacknowledged first', () => {
    const h = openSession();
    h.conn.send('a');
    h.conn.configure({ url: 'ws://other.example.test/' });
    h.socket.serverOpen();
    expect(h.socket.sent[0]).to.equal(hello);
    welcome(h.socket, 'N1', false);
    expect(h.errors).to.deep.equal([]);
    expect(h.socket.sent.slice(1)).to.deep.equal(['{"t":"m","s":1,"d":"a"}']);
  });

  it('close() ends nothing: a later connect() resumes the session', () => {
    const h = openSession();
    h.conn.close();
    h.socket.serverClose(1000, '', true);
    h.conn.connect();
    h.socket.serverOpen();
    expect(h.socket.sent[0]).to.equal('{"t":"hello","v":1,"session":"S1","ack":0}');
  });
});

function dropAndReopenAfterRetry(h: Harness): FakeSocket {
  h.clock.advance(1000);
  h.socket.serverOpen();
  return h.socket;
}

describe('Connection: resume, its module loaded on first use', () => {
  it('sends wait in the queue, encoded, until the module is in; then hello and the session as usual', async () => {
    let release: (() => void) | undefined;
    const module = new LazyModule(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return sessionModule;
    });
    const h = setup({ resume: true, json: true }, {}, { sessionModule: module });
    expect(h.conn.send({ a: 1 })).to.equal(false);
    expect(code(thrown(() => h.conn.send(new ArrayBuffer(1))))).to.equal('serialize');
    h.conn.connect();
    expect(h.conn.status).to.equal('connecting');
    expect(h.sockets).to.have.length(0);
    release!();
    await flushMicrotasks();
    h.socket.serverOpen();
    expect(h.socket.sent).to.deep.equal([hello]);
    welcome(h.socket, 'S1', false);
    expect(h.socket.sent.slice(1)).to.deep.equal(['{"t":"m","s":1,"d":{"a":1}}']);
  });

  it('clearQueue() before the module is in returns what send() was given, as clearQueue() would after', () => {
    const module = new LazyModule(() => new Promise<typeof sessionModule>(() => undefined));
    const h = setup({ resume: true }, {}, { sessionModule: module });
    h.conn.send('a');
    expect(h.conn.clearQueue()).to.deep.equal(['a']);
  });

  it('a module that fails to load: error chunk-load, then the normal backoff, and the next attempt imports again', async () => {
    let calls = 0;
    const module = new LazyModule(() =>
      ++calls === 1 ? Promise.reject(new Error('404')) : Promise.resolve(sessionModule),
    );
    const h = setup({ resume: true }, {}, { sessionModule: module });
    h.conn.send('kept');
    h.conn.connect();
    await flushMicrotasks();
    expect(h.log).to.deep.equal([
      'status:connecting<closed',
      'error:chunk-load',
      'retry:1:1000',
      'status:reconnecting<connecting',
    ]);
    h.clock.advance(1000);
    await flushMicrotasks();
    h.socket.serverOpen();
    welcome(h.socket, 'S1', false);
    expect(h.socket.sent).to.deep.equal([hello, '{"t":"m","s":1,"d":"kept"}']);
    expect(calls).to.equal(2);
  });
});

describe('Connection: resume refused', () => {
  it('a server that closes every resume with 4002 before its welcome: after the second, a new session, reported lost', () => {
    const h = openSession();
    h.conn.send('a');
    h.socket.serverClose(1006);
    for (let refused = 0; refused < 2; refused++) {
      h.clock.advance(10_000);
      h.socket.serverOpen();
      expect(h.socket.sent[0]).to.equal('{"t":"hello","v":1,"session":"S1","ack":0}');
      h.socket.serverClose(4002, 'bad ack', true);
    }
    h.clock.advance(10_000);
    h.socket.serverOpen();
    expect(h.socket.sent[0]).to.equal(hello);
    welcome(h.socket, 'S2', false);
    const lost = h.errors.find((e) => e.code === 'session-lost');
    expect(lost?.data).to.deep.equal({ previous: 'S1', unacknowledged: 1 });
    expect(h.socket.sent.slice(1)).to.deep.equal(['{"t":"m","s":1,"d":"a"}']);
  });
});
