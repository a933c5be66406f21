/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { openConnection, setup } from './connection-harness.js';

describe('Connection: send without queueing, clearQueue, rtt', () => {
  it('send(data, { queue: false }) while not open: nothing sent or held, false', () => {
    const h = setup();
    expect(h.conn.send('cursor', { queue: false })).to.equal(false);
    expect(h.conn.queued).to.equal(0);
    h.conn.connect();
    expect(h.conn.send('typing', { queue: false })).to.equal(false);
    h.socket.serverOpen();
    expect(h.socket.sent).to.deep.equal([]);
  });

  it('send(data, { queue: false }) while open: sent now, true', () => {
    const h = openConnection();
    expect(h.conn.send('cursor', { queue: false })).to.equal(true);
    expect(h.socket.sent).to.deep.equal(['cursor']);
  });

  it('send(data, { queue: false }) keeps the other rules: serialize throws, even with queue-limit 0 it does not throw not-open', () => {
    const h = setup({ json: true, queueLimit: 0 });
    expect(() => h.conn.send(() => 1, { queue: false }))
      .to.throw()
      .with.property('code', 'serialize');
    expect(h.conn.send({ x: 1 }, { queue: false })).to.equal(false);
  });

  it('clearQueue() returns what the queue held, oldest first, as written, and empties it', () => {
    const h = setup({ json: true });
    const buffer = new ArrayBuffer(1);
    h.conn.send({ a: 1 });
    h.conn.send('b');
    h.conn.send(buffer);
    expect(h.conn.clearQueue()).to.deep.equal(['{"a":1}', 'b', buffer]);
    expect(h.conn.queued).to.equal(0);
    expect(h.conn.clearQueue()).to.deep.equal([]);
    h.conn.connect();
    h.socket.serverOpen();
    expect(h.socket.sent).to.deep.equal([]);
  });

  it('rtt: null until a heartbeat is answered, then the time from heartbeat to reply; heartbeat callback', () => {
    const h = openConnection({ heartbeatInterval: 1000, heartbeatTimeout: 500 });
    expect(h.conn.rtt).to.equal(null);
    h.clock.advance(1000);
    expect(h.socket.sent).to.deep.equal(['ping']);
    h.clock.advance(42);
    h.socket.serverMessage('pong');
    expect(h.conn.rtt).to.equal(42);
    expect(h.heartbeats).to.deep.equal([42]);
    expect(h.messages).to.deep.equal([]);
  });

  it('rtt: a heartbeat answered by other traffic gives no heartbeat callback; a stray reply neither', () => {
    const h = openConnection({ heartbeatInterval: 1000, heartbeatTimeout: 500 });
    h.socket.serverMessage('pong'); // no heartbeat outstanding
    h.clock.advance(1000);
    h.socket.serverMessage('data');
    h.clock.advance(1000);
    expect(h.heartbeats).to.deep.equal([]);
    expect(h.conn.rtt).to.equal(null);
    expect(h.conn.status).to.equal('open');
  });

  it('rtt: back to null on a new socket', () => {
    const h = openConnection({ heartbeatInterval: 1000, heartbeatTimeout: 500 });
    h.clock.advance(1000);
    h.clock.advance(10);
    h.socket.serverMessage('pong');
    expect(h.conn.rtt).to.equal(10);
    h.socket.serverClose(1006);
    expect(h.conn.rtt).to.equal(null);
    h.clock.advance(1000);
    h.socket.serverOpen();
    expect(h.conn.rtt).to.equal(null);
  });

  it('rtt: a probe is measured like a heartbeat', () => {
    const h = openConnection({ heartbeatInterval: 10000, heartbeatTimeout: 500 });
    h.clock.advance(2000);
    h.wake.wake('visible');
    expect(h.socket.sent).to.deep.equal(['ping']);
    h.clock.advance(7);
    h.socket.serverMessage('pong');
    expect(h.heartbeats).to.deep.equal([7]);
  });
});
