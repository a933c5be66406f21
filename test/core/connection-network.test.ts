/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { openConnection, setup } from './connection-harness.js';

describe('Connection: offline', () => {
  it('connect() while offline makes no attempt, counts none and sets no timer', () => {
    const h = setup();
    h.network.goOffline();
    h.conn.connect();
    expect(h.conn.status).to.equal('connecting');
    expect(h.sockets).to.have.length(0);
    expect(h.clock.pending).to.equal(0);
    h.clock.advance(600_000);
    expect(h.sockets).to.have.length(0);
    expect(h.conn.attempt).to.equal(0);
    expect(h.errors).to.deep.equal([]);
    expect(h.retries).to.deep.equal([]);
  });

  it('the online event makes the waiting attempt run at once (with its connect timeout)', () => {
    const h = setup({ connectTimeout: 3000 });
    h.network.goOffline();
    h.conn.connect();
    h.clock.advance(50_000);
    h.network.goOnline();
    expect(h.sockets).to.have.length(1);
    expect(h.conn.status).to.equal('connecting');
    h.clock.advance(3000);
    expect(h.errors.map((e) => e.code)).to.deep.equal(['timeout']);
  });

  it('offline during a retry wait: no attempt when the wait ends, none counted; online runs it at once', () => {
    const h = openConnection();
    h.network.goOffline();
    h.socket.serverClose(1006);
    expect(h.retries).to.deep.equal([{ attempt: 1, delay: 1000 }]);
    h.clock.advance(1000);
    expect(h.sockets).to.have.length(1);
    h.clock.advance(600_000);
    expect(h.sockets).to.have.length(1);
    expect(h.conn.attempt).to.equal(1);
    expect(h.retries).to.have.length(1);
    expect(h.conn.status).to.equal('reconnecting');
    expect(h.clock.pending).to.equal(0);
    h.network.goOnline();
    expect(h.sockets).to.have.length(2);
    expect(h.conn.status).to.equal('reconnecting');
    h.socket.serverOpen();
    expect(h.conn.status).to.equal('open');
  });

  it('time offline does not use up maxRetries', () => {
    const h = setup({ maxRetries: 1 });
    h.conn.connect();
    h.network.goOffline();
    h.socket.serverClose(1006);
    h.clock.advance(600_000);
    h.network.goOnline();
    expect(h.sockets).to.have.length(2);
    h.socket.serverOpen();
    expect(h.conn.status).to.equal('open');
  });

  it('the online event also cuts a pending backoff wait short', () => {
    const h = openConnection();
    h.socket.serverClose(1006);
    h.clock.advance(100);
    expect(h.sockets).to.have.length(1);
    h.network.goOnline();
    expect(h.sockets).to.have.length(2);
    // the old retry timer is gone: no second attempt when it would have fired
    h.clock.advance(1000);
    expect(h.sockets).to.have.length(2);
  });

  it('the online event does nothing while open or handshaking', () => {
    const h = setup();
    h.conn.connect();
    h.network.goOnline();
    expect(h.sockets).to.have.length(1);
    h.socket.serverOpen();
    h.network.goOnline();
    expect(h.sockets).to.have.length(1);
    expect(h.conn.status).to.equal('open');
  });

  it('the online event does nothing during a handshake that connect() started from a retry wait', () => {
    const h = openConnection();
    h.socket.serverClose(1006);
    h.conn.connect();
    expect(h.sockets).to.have.length(2);
    h.network.goOnline();
    expect(h.sockets).to.have.length(2);
    expect(h.sockets[1]!.attached).to.equal(true);
  });

  it('the online event does nothing once closed or failed, and no listener is left', () => {
    const closed = openConnection();
    closed.conn.close();
    closed.socket.serverClose(1000);
    expect(closed.network.listenerCount).to.equal(0);
    closed.network.goOnline();
    expect(closed.sockets).to.have.length(1);

    const failed = openConnection();
    failed.socket.serverClose(1008);
    expect(failed.network.listenerCount).to.equal(0);
    failed.network.goOnline();
    expect(failed.sockets).to.have.length(1);
  });

  it('close() while waiting for the network: closed, and the online event does nothing', () => {
    const h = setup();
    h.network.goOffline();
    h.conn.connect();
    h.conn.close();
    expect(h.conn.status).to.equal('closed');
    expect(h.network.listenerCount).to.equal(0);
    h.network.goOnline();
    expect(h.sockets).to.have.length(0);
  });

  it('listens for online with a single listener while active', () => {
    const h = openConnection();
    expect(h.network.listenerCount).to.equal(1);
    h.socket.serverClose(1006);
    h.clock.advance(1000);
    h.socket.serverOpen();
    expect(h.network.listenerCount).to.equal(1);
  });
});
