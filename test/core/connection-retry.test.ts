/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { URL_A, openConnection, setup } from './connection-harness.js';

describe('Connection: retry and backoff', () => {
  it('first failure: close, retry(1, jittered delay), then reconnecting; the retry runs after exactly that delay', () => {
    const h = setup();
    h.random = 0.5; // default jitter 0.5: 1000 * (1 - 0.25) = 750
    h.conn.connect();
    h.socket.serverError();
    h.socket.serverClose(1006);
    expect(h.log).to.deep.equal([
      'status:connecting<closed',
      'error:socket',
      'close:1006',
      'retry:1:750',
      'status:reconnecting<connecting',
    ]);
    expect(h.conn.attempt).to.equal(1);
    expect(h.conn.socket).to.equal(null);
    h.clock.advance(749);
    expect(h.sockets).to.have.length(1);
    h.clock.advance(1);
    expect(h.sockets).to.have.length(2);
    expect(h.socket.url).to.equal(URL_A);
  });

  it('stays reconnecting through the retry handshake, then reports open with previous reconnecting', () => {
    const h = setup();
    h.conn.connect();
    h.socket.serverClose(1006);
    h.clock.advance(1000);
    expect(h.sockets).to.have.length(2);
    expect(h.conn.status).to.equal('reconnecting');
    expect(h.statuses).to.deep.equal([
      ['connecting', 'closed'],
      ['reconnecting', 'connecting'],
    ]);
    h.socket.serverOpen();
    expect(h.statuses.at(-1)).to.deep.equal(['open', 'reconnecting']);
    expect(h.opens).to.equal(1);
  });

  it('a drop after open goes open → reconnecting with a retry', () => {
    const h = openConnection();
    h.socket.serverClose(1001, 'going away');
    expect(h.closes).to.deep.equal([{ code: 1001, reason: 'going away', wasClean: true }]);
    expect(h.retries).to.deep.equal([{ attempt: 1, delay: 1000 }]);
    expect(h.statuses.at(-1)).to.deep.equal(['reconnecting', 'open']);
  });

  it('random() near 1 gives the lower jitter bound', () => {
    const h = setup({ retryJitter: 0.5 });
    h.random = 0.9999999;
    h.conn.connect();
    h.socket.serverClose(1006);
    expect(h.retries).to.deep.equal([{ attempt: 1, delay: 500 }]);
  });

  it('delays grow by the factor and are capped by retryMaxDelay', () => {
    const h = setup({ retryMaxDelay: 5000 });
    h.conn.connect();
    for (let i = 0; i < 5; i++) {
      h.socket.serverClose(1006);
      h.clock.advance(h.retries.at(-1)!.delay);
    }
    expect(h.retries).to.deep.equal([
      { attempt: 1, delay: 1000 },
      { attempt: 2, delay: 2000 },
      { attempt: 3, delay: 4000 },
      { attempt: 4, delay: 5000 },
      { attempt: 5, delay: 5000 },
    ]);
    expect(h.conn.attempt).to.equal(5);
    expect(h.sockets).to.have.length(6);
  });

  it('each retry waits its own delay, not less', () => {
    const h = setup();
    h.conn.connect();
    h.socket.serverClose(1006);
    h.clock.advance(1000);
    h.socket.serverClose(1006); // attempt 2: 2000
    h.clock.advance(1999);
    expect(h.sockets).to.have.length(2);
    h.clock.advance(1);
    expect(h.sockets).to.have.length(3);
  });

  it('retry returning false: status closed, no timers, no more sockets', () => {
    const h = setup();
    h.retryAnswer = false;
    h.conn.connect();
    h.socket.serverClose(1006);
    expect(h.retries).to.deep.equal([{ attempt: 1, delay: 1000 }]);
    expect(h.conn.status).to.equal('closed');
    expect(h.statuses.at(-1)).to.deep.equal(['closed', 'connecting']);
    expect(h.clock.pending).to.equal(0);
    expect(h.network.listenerCount).to.equal(0);
    h.clock.advance(600_000);
    expect(h.sockets).to.have.length(1);
  });

  it('maxRetries 2: exactly three sockets, then failed', () => {
    const h = setup({ maxRetries: 2 });
    h.conn.connect();
    for (let i = 0; i < 10 && h.conn.status !== 'failed'; i++) {
      h.socket.serverClose(1006);
      if (h.conn.status === 'reconnecting') h.clock.advance(h.retries.at(-1)!.delay);
    }
    expect(h.sockets).to.have.length(3);
    expect(h.retries.map((r) => r.attempt)).to.deep.equal([1, 2]);
    expect(h.conn.status).to.equal('failed');
    expect(h.statuses.at(-1)).to.deep.equal(['failed', 'reconnecting']);
    expect(h.clock.pending).to.equal(0);
    expect(h.network.listenerCount).to.equal(0);
    h.clock.advance(600_000);
    expect(h.sockets).to.have.length(3);
  });

  it('maxRetries 2 counts drops after open too', () => {
    const h = setup({ maxRetries: 2 });
    h.conn.connect();
    for (let i = 0; i < 3; i++) {
      h.socket.serverOpen();
      h.socket.serverClose(1006);
      if (h.conn.status === 'reconnecting') h.clock.advance(h.retries.at(-1)!.delay);
    }
    expect(h.sockets).to.have.length(3);
    expect(h.conn.status).to.equal('failed');
  });

  it('maxRetries 0: failed after the first failure, no retry callback', () => {
    const h = setup({ maxRetries: 0 });
    h.conn.connect();
    h.socket.serverClose(1006);
    expect(h.conn.status).to.equal('failed');
    expect(h.retries).to.deep.equal([]);
    expect(h.statuses).to.deep.equal([
      ['connecting', 'closed'],
      ['failed', 'connecting'],
    ]);
    h.clock.advance(600_000);
    expect(h.sockets).to.have.length(1);
  });

  it('connect() after giving up starts again with attempt 0', () => {
    const h = setup({ maxRetries: 1 });
    h.conn.connect();
    h.socket.serverClose(1006);
    h.clock.advance(1000);
    h.socket.serverClose(1006);
    expect(h.conn.status).to.equal('failed');
    h.conn.connect();
    expect(h.conn.status).to.equal('connecting');
    expect(h.conn.attempt).to.equal(0);
    expect(h.sockets).to.have.length(3);
    h.socket.serverClose(1006);
    expect(h.retries.at(-1)).to.deep.equal({ attempt: 1, delay: 1000 });
  });

  describe('stop codes', () => {
    for (const code of [1002, 1003, 1007, 1008, 1009, 1010]) {
      it(`default: server close ${code} is final (failed, no retry, no error)`, () => {
        const h = openConnection();
        h.socket.serverClose(code, 'policy');
        expect(h.closes).to.deep.equal([{ code, reason: 'policy', wasClean: true }]);
        expect(h.conn.status).to.equal('failed');
        expect(h.statuses.at(-1)).to.deep.equal(['failed', 'open']);
        expect(h.retries).to.deep.equal([]);
        expect(h.errors).to.deep.equal([]);
        expect(h.clock.pending).to.equal(0);
        h.clock.advance(600_000);
        expect(h.sockets).to.have.length(1);
      });
    }

    for (const code of [1000, 1001, 1006, 1011, 1012, 4000]) {
      it(`default: server close ${code} is retried`, () => {
        const h = openConnection();
        h.socket.serverClose(code);
        expect(h.conn.status).to.equal('reconnecting');
        expect(h.retries).to.deep.equal([{ attempt: 1, delay: 1000 }]);
        h.clock.advance(1000);
        expect(h.sockets).to.have.length(2);
      });
    }

    it('a stop code during the handshake is final too', () => {
      const h = setup();
      h.conn.connect();
      h.socket.serverClose(1008);
      expect(h.conn.status).to.equal('failed');
      expect(h.retries).to.deep.equal([]);
    });

    it('custom stopCodes replace the default list', () => {
      const h = openConnection({ stopCodes: [[4000, 4099]] });
      h.socket.serverClose(1008);
      expect(h.conn.status).to.equal('reconnecting');
      h.clock.advance(1000);
      h.socket.serverOpen();
      h.socket.serverClose(4050);
      expect(h.conn.status).to.equal('failed');
      expect(h.retries).to.have.length(1);
    });

    it('custom stopCodes: both ends of a range are final, outside is retried', () => {
      for (const [code, final] of [
        [4000, true],
        [4099, true],
        [3999, false],
        [4100, false],
      ] as const) {
        const h = openConnection({ stopCodes: [[4000, 4099]] });
        h.socket.serverClose(code);
        expect(h.conn.status, `code ${code}`).to.equal(final ? 'failed' : 'reconnecting');
      }
    });

    it('empty stopCodes: nothing is final', () => {
      const h = openConnection({ stopCodes: [] });
      h.socket.serverClose(1008);
      expect(h.conn.status).to.equal('reconnecting');
    });
  });

  describe('minUptime', () => {
    it('a server that accepts then drops keeps the attempt count growing', () => {
      const h = setup({ minUptime: 5000 });
      h.conn.connect();
      h.socket.serverOpen();
      h.clock.advance(100);
      h.socket.serverClose(1000);
      h.clock.advance(1000);
      h.socket.serverOpen();
      h.clock.advance(4999);
      h.socket.serverClose(1000);
      h.clock.advance(2000);
      h.socket.serverOpen();
      h.socket.serverClose(1000);
      expect(h.retries).to.deep.equal([
        { attempt: 1, delay: 1000 },
        { attempt: 2, delay: 2000 },
        { attempt: 3, delay: 4000 },
      ]);
    });

    it('the attempt count resets only once the connection stayed open for minUptime', () => {
      const h = setup({ minUptime: 5000 });
      h.conn.connect();
      h.socket.serverClose(1006);
      h.clock.advance(1000);
      h.socket.serverClose(1006);
      h.clock.advance(2000);
      h.socket.serverOpen();
      expect(h.conn.attempt).to.equal(2);
      h.clock.advance(4999);
      expect(h.conn.attempt).to.equal(2);
      h.clock.advance(1);
      expect(h.conn.attempt).to.equal(0);
      h.socket.serverClose(1006);
      expect(h.retries.at(-1)).to.deep.equal({ attempt: 1, delay: 1000 });
    });

    it('minUptime 0 resets the attempt count as soon as it opens', () => {
      const h = setup({ minUptime: 0 });
      h.conn.connect();
      h.socket.serverClose(1006);
      h.clock.advance(1000);
      h.socket.serverClose(1006);
      h.clock.advance(2000);
      h.socket.serverOpen();
      expect(h.conn.attempt).to.equal(0);
      h.socket.serverClose(1006);
      expect(h.retries.at(-1)).to.deep.equal({ attempt: 1, delay: 1000 });
    });
  });

  describe('connectTimeout', () => {
    it('abandons a handshake after connectTimeout: error timeout, close 1006, retry', () => {
      const h = setup({ connectTimeout: 3000 });
      h.conn.connect();
      const first = h.socket;
      h.clock.advance(2999);
      expect(h.errors).to.deep.equal([]);
      h.clock.advance(1);
      expect(h.log).to.deep.equal([
        'status:connecting<closed',
        'error:timeout',
        'close:1006',
        'retry:1:1000',
        'status:reconnecting<connecting',
      ]);
      expect(h.closes[0]).to.deep.include({ code: 1006 });
      expect(first.closeCalls).to.have.length(1);
      expect(first.attached).to.equal(false);
      expect(h.conn.socket).to.equal(null);
      // The abandoned socket opening late changes nothing.
      first.serverOpen();
      expect(h.conn.status).to.equal('reconnecting');
      expect(h.opens).to.equal(0);
      h.clock.advance(1000);
      expect(h.sockets).to.have.length(2);
    });

    it('times out each retry handshake as well', () => {
      const h = setup({ connectTimeout: 3000 });
      h.conn.connect();
      h.clock.advance(3000 + 1000 + 3000);
      expect(h.errors.map((e) => e.code)).to.deep.equal(['timeout', 'timeout']);
      expect(h.retries.map((r) => r.attempt)).to.deep.equal([1, 2]);
      expect(h.conn.status).to.equal('reconnecting');
    });

    it('is cancelled by the open', () => {
      const h = setup({ connectTimeout: 3000 });
      h.conn.connect();
      h.clock.advance(2000);
      h.socket.serverOpen();
      h.clock.advance(60_000);
      expect(h.errors).to.deep.equal([]);
      expect(h.conn.status).to.equal('open');
    });

    it('connectTimeout 0 sets no timer and never times out', () => {
      const h = setup({ connectTimeout: 0 });
      h.conn.connect();
      expect(h.clock.pending).to.equal(0);
      h.clock.advance(600_000);
      expect(h.errors).to.deep.equal([]);
      expect(h.conn.status).to.equal('connecting');
    });

    it('uses the default of 10000 ms', () => {
      const h = setup();
      h.conn.connect();
      h.clock.advance(9999);
      expect(h.errors).to.deep.equal([]);
      h.clock.advance(1);
      expect(h.errors.map((e) => e.code)).to.deep.equal(['timeout']);
    });
  });
});
