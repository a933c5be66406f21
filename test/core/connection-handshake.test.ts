/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { WsConnectionError } from '../../src/core/errors.js';
import type { HandshakeContext } from '../../src/core/handshake.js';
import { flushMicrotasks, setup, thrown } from './connection-harness.js';

/** A handshake the test finishes by hand, with the context it was given. */
function controlledHandshake(): {
  handshake: (context: HandshakeContext) => Promise<void>;
  contexts: HandshakeContext[];
  resolve(): void;
  reject(error: unknown): void;
} {
  const contexts: HandshakeContext[] = [];
  let settle: { resolve(): void; reject(error: unknown): void } | undefined;
  return {
    contexts,
    handshake: (context) => {
      contexts.push(context);
      return new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    },
    resolve: () => settle!.resolve(),
    reject: (error) => settle!.reject(error),
  };
}

function code(error: unknown): string | undefined {
  return error instanceof WsConnectionError ? error.code : undefined;
}

describe('Connection: handshake', () => {
  it('runs after the socket opens and before open: status stays connecting, the queue waits behind its frames', async () => {
    const hs = controlledHandshake();
    const h = setup({ handshake: hs.handshake });
    h.conn.send('queued');
    h.conn.connect();
    h.socket.serverOpen();
    expect(hs.contexts).to.have.length(1);
    expect(h.conn.status).to.equal('connecting');
    expect(h.opens).to.equal(0);
    hs.contexts[0]!.send('init');
    expect(h.conn.send('later')).to.equal(false); // the page's send waits in the queue
    expect(h.socket.sent).to.deep.equal(['init']);
    hs.resolve();
    await flushMicrotasks();
    expect(h.conn.status).to.equal('open');
    expect(h.socket.sent).to.deep.equal(['init', 'queued', 'later']);
    expect(h.log.filter((entry) => entry.startsWith('status') || entry === 'open')).to.deep.equal([
      'status:connecting<closed',
      'status:open<connecting',
      'open',
    ]);
  });

  it('a handshake that returns at once opens in the same task', () => {
    const h = setup({ handshake: (context) => context.send('hello') });
    h.conn.send('queued');
    h.conn.connect();
    h.socket.serverOpen();
    expect(h.conn.status).to.equal('open');
    expect(h.socket.sent).to.deep.equal(['hello', 'queued']);
  });

  it('receive() takes frames in order; unclaimed ones are dispatched right after open, before anything newer', async () => {
    const received: unknown[] = [];
    const h = setup({
      json: true,
      handshake: async (context) => {
        received.push(await context.receive());
      },
    });
    h.conn.connect();
    h.socket.serverOpen();
    h.socket.serverMessage('{"type":"ack"}');
    h.socket.serverMessage('{"n":1}');
    h.socket.serverMessage('{"n":2}');
    expect(h.messages).to.deep.equal([]);
    await flushMicrotasks();
    expect(received).to.deep.equal([{ type: 'ack' }]);
    h.socket.serverMessage('{"n":3}');
    expect(h.messages.map((m) => m.data)).to.deep.equal([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(h.log.indexOf('open')).to.be.lessThan(h.log.indexOf('message:{"n":1}'));
  });

  it('receive() called before a frame arrives waits for it', async () => {
    const hs = controlledHandshake();
    const h = setup({ handshake: hs.handshake });
    h.conn.connect();
    h.socket.serverOpen();
    const first = hs.contexts[0]!.receive();
    const second = hs.contexts[0]!.receive();
    h.socket.serverMessage('a');
    h.socket.serverMessage('b');
    expect(await first).to.equal('a');
    expect(await second).to.equal('b');
  });

  it('a heartbeat reply is not handed to receive() while heartbeats are on', async () => {
    const hs = controlledHandshake();
    const h = setup({ handshake: hs.handshake, heartbeatInterval: 1000 });
    h.conn.connect();
    h.socket.serverOpen();
    h.socket.serverMessage('pong');
    h.socket.serverMessage('real');
    expect(await hs.contexts[0]!.receive()).to.equal('real');
  });

  it('a throw fails the attempt: close 1000, error handshake with the cause, then the normal backoff', () => {
    const cause = new Error('no auth');
    const h = setup({
      handshake: () => {
        throw cause;
      },
    });
    h.conn.connect();
    const socket = h.socket;
    socket.serverOpen();
    expect(socket.closeCalls).to.deep.equal([{ code: 1000, reason: undefined }]);
    expect(h.errors.map((e) => e.code)).to.deep.equal(['handshake']);
    expect(h.errors[0]!.cause).to.equal(cause);
    expect(h.log).to.deep.equal([
      'status:connecting<closed',
      'error:handshake',
      'close:1000',
      'retry:1:1000',
      'status:reconnecting<connecting',
    ]);
    expect(h.opens).to.equal(0);
    h.clock.advance(1000);
    expect(h.sockets).to.have.length(2);
  });

  it('a rejection fails the attempt and counts for attempt and max-retries', async () => {
    const h = setup({ maxRetries: 1, handshake: () => Promise.reject(new Error('nope')) });
    h.conn.connect();
    h.socket.serverOpen();
    await flushMicrotasks();
    expect(h.conn.attempt).to.equal(1);
    expect(h.conn.status).to.equal('reconnecting');
    h.clock.advance(1000);
    h.socket.serverOpen();
    await flushMicrotasks();
    expect(h.errors.map((e) => e.code)).to.deep.equal(['handshake', 'handshake']);
    expect(h.conn.status).to.equal('failed');
  });

  it('min-uptime does not run during the handshake: a failing handshake keeps backing off', async () => {
    const h = setup({ minUptime: 100, handshake: () => Promise.reject(new Error('nope')) });
    h.conn.connect();
    h.socket.serverOpen();
    await flushMicrotasks();
    h.clock.advance(1000);
    h.socket.serverOpen();
    await flushMicrotasks();
    expect(h.retries.map((r) => r.attempt)).to.deep.equal([1, 2]);
    expect(h.retries.map((r) => r.delay)).to.deep.equal([1000, 2000]);
  });

  it('the server closing during the handshake: receive() rejects with handshake, the signal aborts, close then retry', async () => {
    const hs = controlledHandshake();
    const h = setup({ handshake: hs.handshake });
    h.conn.connect();
    h.socket.serverOpen();
    const context = hs.contexts[0]!;
    const pending = context.receive();
    h.socket.serverClose(4401, 'Unauthorized', true);
    expect(context.signal.aborted).to.equal(true);
    expect(code(await pending.catch((error: unknown) => error))).to.equal('handshake');
    expect(code(thrown(() => context.send('late')))).to.equal('not-open');
    expect(code(await context.receive().catch((error: unknown) => error))).to.equal('handshake');
    hs.reject(new Error('gone')); // the handshake's own failure after that is not reported again
    await flushMicrotasks();
    expect(h.log).to.deep.equal([
      'status:connecting<closed',
      'close:4401',
      'retry:1:1000',
      'status:reconnecting<connecting',
    ]);
  });

  it('connect-timeout counts the handshake: timeout error, socket dropped, signal aborted', () => {
    const hs = controlledHandshake();
    const h = setup({ connectTimeout: 3000, handshake: hs.handshake });
    h.conn.connect();
    h.clock.advance(1000);
    h.socket.serverOpen();
    h.clock.advance(1999);
    expect(h.errors).to.deep.equal([]);
    h.clock.advance(1);
    expect(h.errors.map((e) => e.code)).to.deep.equal(['timeout']);
    expect(hs.contexts[0]!.signal.aborted).to.equal(true);
    expect(h.conn.status).to.equal('reconnecting');
  });

  it('the connect timer stops once the handshake resolved', async () => {
    const hs = controlledHandshake();
    const h = setup({ connectTimeout: 3000, handshake: hs.handshake });
    h.conn.connect();
    h.socket.serverOpen();
    hs.resolve();
    await flushMicrotasks();
    h.clock.advance(10000);
    expect(h.errors).to.deep.equal([]);
    expect(h.conn.status).to.equal('open');
  });

  it('close() during the handshake aborts it; its later resolution opens nothing', async () => {
    const hs = controlledHandshake();
    const h = setup({ handshake: hs.handshake });
    h.conn.connect();
    h.socket.serverOpen();
    h.conn.close();
    expect(hs.contexts[0]!.signal.aborted).to.equal(true);
    expect(h.conn.status).to.equal('closing');
    hs.resolve();
    await flushMicrotasks();
    expect(h.opens).to.equal(0);
    h.socket.serverClose(1000, '', true);
    expect(h.conn.status).to.equal('closed');
  });

  it('heartbeats start only once the handshake resolved', async () => {
    const hs = controlledHandshake();
    const h = setup({ handshake: hs.handshake, heartbeatInterval: 1000, heartbeatTimeout: 500, connectTimeout: 0 });
    h.conn.connect();
    h.socket.serverOpen();
    h.clock.advance(5000);
    expect(h.socket.sent).to.deep.equal([]);
    expect(h.errors).to.deep.equal([]);
    hs.resolve();
    await flushMicrotasks();
    h.clock.advance(1000);
    expect(h.socket.sent).to.deep.equal(['ping']);
  });

  it('a wake signal during the handshake probes nothing', () => {
    const hs = controlledHandshake();
    const h = setup({ handshake: hs.handshake, heartbeatInterval: 1000 });
    h.conn.connect();
    h.socket.serverOpen();
    h.wake.wake('visible');
    expect(h.socket.sent).to.deep.equal([]);
  });

  it('runs again on every socket, each with its own context and signal', async () => {
    const hs = controlledHandshake();
    const h = setup({ handshake: hs.handshake });
    h.conn.connect();
    h.socket.serverOpen();
    hs.resolve();
    await flushMicrotasks();
    const first = hs.contexts[0]!;
    expect(first.signal.aborted).to.equal(false);
    expect(first.resumed).to.equal(false);
    h.socket.serverClose(1006);
    expect(first.signal.aborted).to.equal(true);
    h.clock.advance(1000);
    h.socket.serverOpen();
    expect(hs.contexts).to.have.length(2);
    expect(hs.contexts[1]).to.not.equal(first);
    expect(h.conn.status).to.equal('reconnecting');
  });

  it('context.send serializes like send(): json applies, serialize errors throw', async () => {
    const hs = controlledHandshake();
    const h = setup({ json: true, handshake: hs.handshake });
    h.conn.connect();
    h.socket.serverOpen();
    hs.contexts[0]!.send({ type: 'connection_init' });
    expect(h.socket.sent).to.deep.equal(['{"type":"connection_init"}']);
    expect(code(thrown(() => hs.contexts[0]!.send(() => 1)))).to.equal('serialize');
  });

  it('receive() of a json frame that is not JSON rejects with parse and the raw text', async () => {
    const hs = controlledHandshake();
    const h = setup({ json: true, handshake: hs.handshake });
    h.conn.connect();
    h.socket.serverOpen();
    h.socket.serverMessage('{oops');
    const error = await hs.contexts[0]!.receive().catch((e: unknown) => e);
    expect(code(error)).to.equal('parse');
    expect((error as WsConnectionError).data).to.equal('{oops');
  });

  it('receive() after the handshake resolved rejects; frames go to message again', async () => {
    const hs = controlledHandshake();
    const h = setup({ handshake: hs.handshake });
    h.conn.connect();
    h.socket.serverOpen();
    hs.resolve();
    await flushMicrotasks();
    expect(code(await hs.contexts[0]!.receive().catch((e: unknown) => e))).to.equal('handshake');
    h.socket.serverMessage('x');
    expect(h.messages.map((m) => m.data)).to.deep.equal(['x']);
  });

  it('setting handshake does not reconnect; the next socket uses it', async () => {
    const h = setup();
    h.conn.connect();
    h.socket.serverOpen();
    const calls: string[] = [];
    h.conn.configure({ handshake: () => void calls.push('ran') });
    expect(h.sockets).to.have.length(1);
    expect(h.conn.status).to.equal('open');
    h.conn.reconnect();
    h.socket.serverOpen();
    expect(calls).to.deep.equal(['ran']);
  });
});
