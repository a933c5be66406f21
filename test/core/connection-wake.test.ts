/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { openConnection, setup } from './connection-harness.js';

/** Heartbeats on, a long interval so that no regular ping gets in the way of a probe. */
const heartbeats = { heartbeatInterval: 60_000, heartbeatTimeout: 500, minUptime: 0 };

describe('Connection: probing after sleep, network change or a background spell', () => {
  it('the page becoming visible probes an open socket at once; no reply within heartbeatTimeout: heartbeat error and retry', () => {
    const h = openConnection(heartbeats);
    h.clock.advance(5000);
    h.log.length = 0;
    h.wake.wake('visible');
    expect(h.socket.sent).to.deep.equal(['ping']);
    h.clock.advance(499);
    expect(h.log).to.deep.equal([]);
    h.clock.advance(1);
    expect(h.log).to.deep.equal(['error:heartbeat', 'close:1006', 'retry:1:1000', 'status:reconnecting<open']);
    expect(h.errors[0]!.message).to.contain('500 ms');
  });

  it('online and resume probe too, with the heartbeatMessage in force', () => {
    const online = openConnection({ ...heartbeats, heartbeatMessage: 'hb?' });
    online.clock.advance(5000);
    online.network.goOnline();
    expect(online.socket.sent).to.deep.equal(['hb?']);

    const resumed = openConnection(heartbeats);
    resumed.clock.advance(5000);
    resumed.wake.wake('resume');
    expect(resumed.socket.sent).to.deep.equal(['ping']);
  });

  it('a timer firing heartbeatInterval late (the host was suspended) probes at once', () => {
    const h = openConnection({ heartbeatInterval: 10_000, heartbeatTimeout: 500, minUptime: 5000 });
    h.clock.suspend(30_000);
    expect(h.socket.sent).to.deep.equal([]);
    h.clock.tick();
    // The uptime timer fired 25 s late and probed; the heartbeat's overdue idle timer gave way to the probe.
    expect(h.socket.sent).to.deep.equal(['ping']);
    expect(h.conn.attempt).to.equal(0);
    h.clock.advance(500);
    expect(h.errors.map((e) => e.code)).to.deep.equal(['heartbeat']);
    expect(h.conn.status).to.equal('reconnecting');
  });

  it('a probe answered: nothing else happens, and the next heartbeat comes an interval after the reply', () => {
    const h = openConnection({ heartbeatInterval: 10_000, heartbeatTimeout: 1000, minUptime: 0 });
    h.clock.advance(2000);
    h.wake.wake('visible');
    expect(h.socket.sent).to.deep.equal(['ping']);
    h.clock.advance(100);
    h.socket.serverMessage('pong'); // the reply, at 2100 after the open
    h.clock.advance(7899); // 9999: the regular ping, due at 10000, was replaced by the probe
    h.clock.advance(1); // 10000
    expect(h.socket.sent).to.deep.equal(['ping']);
    h.clock.advance(2099); // 12099
    expect(h.socket.sent).to.deep.equal(['ping']);
    h.clock.advance(1); // 12100: an interval after the reply
    expect(h.socket.sent).to.deep.equal(['ping', 'ping']);
    expect(h.errors).to.deep.equal([]);
    expect(h.messages).to.deep.equal([]);
    expect(h.conn.status).to.equal('open');
    expect(h.sockets).to.have.length(1);
  });

  it('no probe when a frame arrived within the last second', () => {
    const h = openConnection(heartbeats);
    h.clock.advance(5000);
    h.socket.serverMessage('news');
    h.clock.advance(999);
    h.wake.wake('visible');
    h.network.goOnline();
    expect(h.socket.sent).to.deep.equal([]);
    h.clock.advance(1);
    h.wake.wake('visible');
    expect(h.socket.sent).to.deep.equal(['ping']);
  });

  it('no probe when the socket opened within the last second', () => {
    const h = openConnection(heartbeats);
    h.clock.advance(999);
    h.wake.wake('visible');
    expect(h.socket.sent).to.deep.equal([]);
    h.clock.advance(1);
    h.wake.wake('visible');
    expect(h.socket.sent).to.deep.equal(['ping']);
  });

  it('several signals at once send one probe, and none is added while it is outstanding', () => {
    const h = openConnection({ heartbeatInterval: 10_000, heartbeatTimeout: 3000, minUptime: 5000 });
    h.clock.suspend(30_000);
    h.wake.wake('visible');
    h.wake.wake('resume');
    h.network.goOnline();
    h.clock.tick(); // the overdue timers fire late as well
    expect(h.socket.sent).to.deep.equal(['ping']);
    h.clock.advance(2000);
    h.wake.wake('visible');
    expect(h.socket.sent).to.deep.equal(['ping']);
    expect(h.clock.pending).to.equal(1); // the one reply timer
    h.clock.advance(1000);
    expect(h.errors.map((e) => e.code)).to.deep.equal(['heartbeat']);
  });

  it('a signal while a regular heartbeat awaits its reply sends nothing more', () => {
    const h = openConnection({ heartbeatInterval: 2000, heartbeatTimeout: 3000, minUptime: 0 });
    h.clock.advance(2000);
    expect(h.socket.sent).to.deep.equal(['ping']);
    h.clock.advance(1500);
    h.wake.wake('visible');
    expect(h.socket.sent).to.deep.equal(['ping']);
  });

  it('heartbeats off: no frame on any signal, and the socket stays open', () => {
    const h = openConnection({ minUptime: 5000 });
    h.clock.advance(5000);
    h.wake.wake('visible');
    h.wake.wake('resume');
    h.network.goOnline();
    h.clock.suspend(600_000);
    h.clock.tick();
    expect(h.socket.sent).to.deep.equal([]);
    expect(h.conn.status).to.equal('open');
    expect(h.log.filter((entry) => !entry.startsWith('status') && entry !== 'open')).to.deep.equal([]);
  });

  it('signals during the handshake or the closing handshake send nothing and change nothing', () => {
    const h = setup(heartbeats);
    h.conn.connect();
    h.clock.advance(2000);
    h.wake.wake('visible');
    expect(h.sockets).to.have.length(1);
    h.socket.serverOpen();
    h.clock.advance(2000);
    h.conn.close();
    h.wake.wake('visible');
    h.network.goOnline();
    expect(h.socket.sent).to.deep.equal([]);
    expect(h.conn.status).to.equal('closing');
  });
});

describe('Connection: a waiting retry runs at once on the same signals', () => {
  for (const [name, heartbeatInterval] of [
    ['heartbeats off', 0],
    ['heartbeats on', 60_000],
  ] as const) {
    it(`the page becoming visible or resuming cuts the backoff wait short (${name})`, () => {
      const h = openConnection({ heartbeatInterval, retryDelay: 10_000 });
      h.socket.serverClose(1006);
      expect(h.retries).to.deep.equal([{ attempt: 1, delay: 10_000 }]);
      h.clock.advance(100);
      h.wake.wake('visible');
      expect(h.sockets).to.have.length(2);
      expect(h.conn.status).to.equal('reconnecting');
      // The old retry timer is gone: no second attempt when it would have fired.
      h.clock.advance(10_000);
      expect(h.sockets).to.have.length(2);
      h.socket.serverClose(1006);
      h.wake.wake('resume');
      expect(h.sockets).to.have.length(3);
    });
  }

  it('while offline, a visible page still waits for the network', () => {
    const h = openConnection();
    h.network.goOffline();
    h.socket.serverClose(1006);
    h.clock.advance(1000);
    h.wake.wake('visible');
    expect(h.sockets).to.have.length(1);
    expect(h.conn.attempt).to.equal(1);
    h.network.goOnline();
    expect(h.sockets).to.have.length(2);
  });

  it('heartbeats on: a connect timeout that fires heartbeatInterval late runs its retry at once', () => {
    const h = setup({ heartbeatInterval: 10_000, connectTimeout: 3000 });
    h.conn.connect();
    h.clock.suspend(20_000);
    h.clock.tick();
    expect(h.log.slice(1)).to.deep.equal([
      'error:timeout',
      'close:1006',
      'retry:1:1000',
      'status:reconnecting<connecting',
    ]);
    expect(h.sockets).to.have.length(2);
    expect(h.conn.attempt).to.equal(1);
  });

  it('a timer late by less than heartbeatInterval, or with heartbeats off, leaves the backoff as it is', () => {
    const slightly = setup({ heartbeatInterval: 10_000, connectTimeout: 3000 });
    slightly.conn.connect();
    slightly.clock.suspend(12_999); // the connect timeout fires 9999 ms late
    slightly.clock.tick();
    expect(slightly.retries).to.have.length(1);
    expect(slightly.sockets).to.have.length(1);
    slightly.clock.advance(1000);
    expect(slightly.sockets).to.have.length(2);

    const off = setup({ connectTimeout: 3000 });
    off.conn.connect();
    off.clock.suspend(600_000);
    off.clock.tick();
    expect(off.retries).to.have.length(1);
    expect(off.sockets).to.have.length(1);
  });
});

describe('Connection: listening for wake signals', () => {
  it('listens with a single listener while active, and with none once closed or failed', () => {
    const h = setup(heartbeats);
    expect(h.wake.listenerCount).to.equal(0);
    h.conn.connect();
    expect(h.wake.listenerCount).to.equal(1);
    h.socket.serverOpen();
    h.socket.serverClose(1006);
    h.clock.advance(1000);
    h.socket.serverOpen();
    expect(h.wake.listenerCount).to.equal(1);
    h.conn.close();
    h.socket.serverClose(1000);
    expect(h.wake.listenerCount).to.equal(0);
    expect(h.network.listenerCount).to.equal(0);
    h.wake.wake('visible');
    expect(h.sockets).to.have.length(2);

    const failed = openConnection(heartbeats);
    failed.socket.serverClose(1008);
    expect(failed.conn.status).to.equal('failed');
    expect(failed.wake.listenerCount).to.equal(0);
  });

  it('close() leaves no timer behind a probe', () => {
    const h = openConnection(heartbeats);
    h.clock.advance(2000);
    h.wake.wake('visible');
    h.conn.close();
    h.socket.serverClose(1000);
    expect(h.clock.pending).to.equal(0);
    expect(h.errors).to.deep.equal([]);
  });
});
