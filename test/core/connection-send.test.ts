/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { WsConnectionError } from '../../src/core/errors.js';
import { openConnection, setup, thrown } from './connection-harness.js';

function code(error: unknown): string | undefined {
  return error instanceof WsConnectionError ? error.code : undefined;
}

describe('Connection: send and queue', () => {
  it('open: sent now, returns true', () => {
    const h = openConnection();
    expect(h.conn.send('hello')).to.equal(true);
    expect(h.socket.sent).to.deep.equal(['hello']);
    expect(h.conn.queued).to.equal(0);
  });

  it('not open: queued, returns false; flushed in order once on open, before what the status and open callbacks send', () => {
    const h = setup(
      {},
      {
        status: (s) => {
          if (s === 'open') h.conn.send('from-status');
        },
        open: () => h.conn.send('from-open'),
      },
    );
    expect(h.conn.send('a')).to.equal(false);
    expect(h.conn.send('b')).to.equal(false);
    expect(h.conn.queued).to.equal(2);
    h.conn.connect();
    expect(h.conn.send('c')).to.equal(false); // while connecting: queued, not sent to the handshaking socket
    expect(h.socket.sent).to.deep.equal([]);
    h.socket.serverOpen();
    expect(h.socket.sent).to.deep.equal(['a', 'b', 'c', 'from-status', 'from-open']);
    expect(h.conn.queued).to.equal(0);
  });

  it('the queue is flushed exactly once: a later socket does not get it again', () => {
    const h = setup();
    h.conn.send('a');
    h.conn.connect();
    h.socket.serverOpen();
    h.socket.serverClose(1006);
    h.clock.advance(1000);
    h.socket.serverOpen();
    expect(h.sockets[0]!.sent).to.deep.equal(['a']);
    expect(h.sockets[1]!.sent).to.deep.equal([]);
  });

  it('messages sent during the retry wait go to the next socket', () => {
    const h = openConnection();
    h.socket.serverClose(1006);
    expect(h.conn.send('x')).to.equal(false);
    h.clock.advance(1000);
    expect(h.conn.send('y')).to.equal(false); // retry handshake
    h.socket.serverOpen();
    expect(h.socket.sent).to.deep.equal(['x', 'y']);
  });

  it('queue full: throws queue-full and holds nothing more', () => {
    const h = setup({ queueLimit: 2 });
    h.conn.send('a');
    h.conn.send('b');
    const error = thrown(() => h.conn.send('c'));
    expect(error).to.be.instanceOf(WsConnectionError);
    expect(code(error)).to.equal('queue-full');
    expect(h.conn.queued).to.equal(2);
    expect(h.errors).to.deep.equal([]); // thrown only, no error callback
    h.conn.connect();
    h.socket.serverOpen();
    expect(h.socket.sent).to.deep.equal(['a', 'b']);
  });

  it('uses the default queue limit of 1000', () => {
    const h = setup();
    for (let i = 0; i < 1000; i++) h.conn.send(String(i));
    expect(code(thrown(() => h.conn.send('x')))).to.equal('queue-full');
    expect(h.conn.queued).to.equal(1000);
  });

  it('queueLimit 0 and not open: throws not-open; open still sends', () => {
    const h = setup({ queueLimit: 0 });
    expect(code(thrown(() => h.conn.send('a')))).to.equal('not-open');
    h.conn.connect();
    expect(code(thrown(() => h.conn.send('a')))).to.equal('not-open');
    expect(h.conn.queued).to.equal(0);
    h.socket.serverOpen();
    expect(h.conn.send('b')).to.equal(true);
    expect(h.socket.sent).to.deep.equal(['b']);
  });

  it('lowering queueLimit keeps what is held, refuses more, and flushes everything', () => {
    const h = setup({ queueLimit: 5 });
    for (const d of ['a', 'b', 'c']) h.conn.send(d);
    h.conn.configure({ queueLimit: 1 });
    expect(h.conn.queued).to.equal(3);
    expect(code(thrown(() => h.conn.send('d')))).to.equal('queue-full');
    h.conn.configure({ queueLimit: 0 });
    expect(h.conn.queued).to.equal(3);
    expect(code(thrown(() => h.conn.send('d')))).to.equal('not-open');
    h.conn.connect();
    h.socket.serverOpen();
    expect(h.socket.sent).to.deep.equal(['a', 'b', 'c']);
  });

  describe('json', () => {
    it('stringifies values that are not strings or binary', () => {
      const h = openConnection({ json: true });
      h.conn.send({ a: [1, 'x'] });
      h.conn.send(42);
      h.conn.send(null);
      h.conn.send(true);
      expect(h.socket.sent).to.deep.equal(['{"a":[1,"x"]}', '42', 'null', 'true']);
    });

    it('sends strings as they are (not JSON-quoted)', () => {
      const h = openConnection({ json: true });
      h.conn.send('plain');
      expect(h.socket.sent).to.deep.equal(['plain']);
    });

    it('sends binary as it is', () => {
      const h = openConnection({ json: true });
      const buf = new ArrayBuffer(3);
      const view = new Uint8Array([1, 2, 3]);
      const blob = new Blob(['x']);
      h.conn.send(buf);
      h.conn.send(view);
      h.conn.send(blob);
      expect(h.socket.sent).to.have.length(3);
      expect(h.socket.sent[0]).to.equal(buf);
      expect(h.socket.sent[1]).to.equal(view);
      expect(h.socket.sent[2]).to.equal(blob);
    });

    it('queues the serialized text', () => {
      const h = setup({ json: true });
      const value = { n: 1 };
      h.conn.send(value);
      value.n = 2; // later mutation must not change what was queued
      h.conn.connect();
      h.socket.serverOpen();
      expect(h.socket.sent).to.deep.equal(['{"n":1}']);
    });

    const unserializable: [string, () => unknown][] = [
      [
        'a circular object',
        () => {
          const o: Record<string, unknown> = {};
          o.self = o;
          return o;
        },
      ],
      ['a BigInt', () => ({ n: BigInt(1) })],
      ['undefined', () => undefined],
      ['a function', () => () => 1],
      ['a symbol', () => Symbol('s')],
    ];
    for (const [name, make] of unserializable) {
      it(`throws serialize for ${name}, queues and sends nothing`, () => {
        const closed = setup({ json: true });
        const error = thrown(() => closed.conn.send(make()));
        expect(error).to.be.instanceOf(WsConnectionError);
        expect(code(error)).to.equal('serialize');
        expect(closed.conn.queued).to.equal(0);

        const open = openConnection({ json: true });
        expect(code(thrown(() => open.conn.send(make())))).to.equal('serialize');
        expect(open.socket.sent).to.deep.equal([]);
        expect(open.errors).to.deep.equal([]);
      });
    }

    it('serialize keeps the JSON error as cause', () => {
      const h = setup({ json: true });
      const error = thrown(() => h.conn.send({ n: BigInt(2) })) as WsConnectionError;
      expect(error.cause).to.be.instanceOf(TypeError);
    });
  });

  it('without json, non-strings are sent as String(value), like WebSocket.send', () => {
    const h = openConnection();
    h.conn.send(42);
    expect(h.socket.sent).to.deep.equal(['42']);
  });

  it('close() keeps the queue; a later connect() flushes it', () => {
    const h = setup();
    h.conn.send('kept');
    h.conn.connect();
    h.conn.close();
    expect(h.conn.queued).to.equal(1);
    h.conn.connect();
    h.socket.serverOpen();
    expect(h.socket.sent).to.deep.equal(['kept']);
  });

  it('while closing, send() queues and returns false; the queue survives the close', () => {
    const h = openConnection();
    h.conn.close();
    expect(h.conn.status).to.equal('closing');
    expect(h.conn.send('late')).to.equal(false);
    expect(h.socket.sent).to.deep.equal([]);
    h.socket.serverClose(1000);
    expect(h.conn.queued).to.equal(1);
  });

  it('while failed, send() queues', () => {
    const h = openConnection();
    h.socket.serverClose(1008);
    expect(h.conn.status).to.equal('failed');
    expect(h.conn.send('x')).to.equal(false);
    expect(h.conn.queued).to.equal(1);
  });
});
