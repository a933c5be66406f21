/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { URL_A, URL_B, openConnection, setup } from './connection-harness.js';

/** Makes the connection fail `times` handshakes in a row (attempt count = times), then opens it. */
function openAfterFailures(h: ReturnType<typeof setup>, times: number): void {
  h.conn.connect();
  for (let i = 0; i < times; i++) {
    h.socket.serverClose(1006);
    h.clock.advance(h.retries.at(-1)!.delay);
  }
  h.socket.serverOpen();
}

describe('Connection: connect()', () => {
  it('is a no-op while open', () => {
    const h = openConnection();
    const before = [...h.log];
    h.conn.connect();
    expect(h.sockets).to.have.length(1);
    expect(h.socket.closeCalls).to.deep.equal([]);
    expect(h.log).to.deep.equal(before);
    expect(h.conn.status).to.equal('open');
  });

  it('is a no-op while the first attempt is in its handshake', () => {
    const h = setup();
    h.conn.connect();
    h.conn.connect();
    expect(h.sockets).to.have.length(1);
    expect(h.socket.closeCalls).to.deep.equal([]);
    expect(h.statuses).to.deep.equal([['connecting', 'closed']]);
  });

  it('during a retry wait: connects now, status connecting, attempt reset, old wait cancelled', () => {
    const h = setup({ minUptime: 5000 });
    h.conn.connect();
    h.socket.serverClose(1006);
    h.clock.advance(1000);
    h.socket.serverClose(1006);
    expect(h.conn.attempt).to.equal(2);
    expect(h.conn.status).to.equal('reconnecting');
    h.conn.connect();
    expect(h.conn.status).to.equal('connecting');
    expect(h.statuses.at(-1)).to.deep.equal(['connecting', 'reconnecting']);
    expect(h.conn.attempt).to.equal(0);
    expect(h.sockets).to.have.length(3);
    h.clock.advance(2000); // when the cancelled retry would have fired
    expect(h.sockets).to.have.length(3);
    h.socket.serverClose(1006);
    expect(h.retries.at(-1)).to.deep.equal({ attempt: 1, delay: 1000 });
  });

  it('during a retry handshake: drops that socket (close reported) and starts anew', () => {
    const h = setup();
    h.conn.connect();
    h.socket.serverClose(1006);
    h.clock.advance(1000);
    const retrying = h.socket;
    h.log.length = 0;
    h.conn.connect();
    expect(retrying.closeCalls).to.have.length(1);
    expect(retrying.attached).to.equal(false);
    expect(h.log).to.deep.equal(['close:1006', 'status:connecting<reconnecting']);
    expect(h.sockets).to.have.length(3);
    expect(h.conn.attempt).to.equal(0);
  });

  it('after failed (stop code) starts again', () => {
    const h = openConnection();
    h.socket.serverClose(1008);
    h.conn.connect();
    expect(h.conn.status).to.equal('connecting');
    expect(h.sockets).to.have.length(2);
  });
});

describe('Connection: reconnect()', () => {
  it('while open: closes the socket with 1000 (close reported), connects anew at once, attempt reset', () => {
    const h = setup({ minUptime: 5000 });
    openAfterFailures(h, 2);
    expect(h.conn.attempt).to.equal(2);
    const old = h.socket;
    h.log.length = 0;
    h.conn.reconnect();
    expect(old.closeCalls).to.deep.equal([{ code: 1000, reason: undefined }]);
    expect(old.attached).to.equal(false);
    expect(h.log).to.deep.equal(['close:1000', 'status:connecting<open']);
    expect(h.sockets).to.have.length(4);
    expect(h.conn.socket).to.equal(h.socket);
    expect(h.conn.attempt).to.equal(0);
    // the old socket's own late close event changes nothing
    old.serverClose(1000);
    expect(h.conn.status).to.equal('connecting');
    expect(h.log).to.deep.equal(['close:1000', 'status:connecting<open']);
  });

  it('while closed: connects', () => {
    const h = setup();
    h.conn.reconnect();
    expect(h.conn.status).to.equal('connecting');
    expect(h.sockets).to.have.length(1);
  });

  it('during a retry wait: one new socket now, none when the old wait ends', () => {
    const h = openConnection();
    h.socket.serverClose(1006);
    h.conn.reconnect();
    expect(h.sockets).to.have.length(2);
    h.clock.advance(1000); // when the cancelled retry would have fired
    expect(h.sockets).to.have.length(2);
  });
});

describe('Connection: close()', () => {
  it('while open: closing, then closed on the socket close event; no retry; no timers left', () => {
    const h = openConnection({ heartbeatInterval: 1000, minUptime: 5000, connectTimeout: 3000 });
    h.log.length = 0;
    h.conn.close();
    expect(h.socket.closeCalls).to.deep.equal([{ code: 1000, reason: '' }]);
    expect(h.conn.status).to.equal('closing');
    expect(h.log).to.deep.equal(['status:closing<open']);
    expect(h.clock.pending).to.equal(1); // only the bound on the closing handshake
    h.socket.serverClose(1000, '', true);
    expect(h.log).to.deep.equal(['status:closing<open', 'close:1000', 'status:closed<closing']);
    expect(h.conn.socket).to.equal(null);
    expect(h.clock.pending).to.equal(0);
    expect(h.network.listenerCount).to.equal(0);
    h.clock.advance(600_000);
    expect(h.sockets).to.have.length(1);
    expect(h.retries).to.deep.equal([]);
    expect(h.socket.sent).to.deep.equal([]); // no heartbeat after close()
  });

  it('drops a socket whose peer never answers the closing handshake after heartbeatTimeout', () => {
    const h = openConnection({ heartbeatTimeout: 2000 });
    h.log.length = 0;
    h.conn.close();
    h.clock.advance(1999);
    expect(h.conn.status).to.equal('closing');
    h.clock.advance(1);
    expect(h.log).to.deep.equal(['status:closing<open', 'close:1006', 'status:closed<closing']);
    expect(h.closes.at(-1)).to.deep.equal({ code: 1006, reason: '', wasClean: false });
    expect(h.socket.onclose).to.equal(null);
    expect(h.conn.socket).to.equal(null);
    expect(h.clock.pending).to.equal(0);
    // The socket's own close, a minute later, is no longer heard.
    h.socket.serverClose(1006, '', false);
    expect(h.closes).to.have.length(1);
  });

  it('passes code and reason to the socket', () => {
    const h = openConnection();
    h.conn.close(4001, 'bye');
    expect(h.socket.closeCalls).to.deep.equal([{ code: 4001, reason: 'bye' }]);
  });

  it('while closing, any close code from the server ends in closed, not failed or retried', () => {
    for (const code of [1008, 1006, 1011]) {
      const h = openConnection();
      h.conn.close();
      h.socket.serverClose(code);
      expect(h.conn.status, `code ${code}`).to.equal('closed');
      expect(h.retries).to.deep.equal([]);
    }
  });

  it('twice while closing: one socket close, still closing', () => {
    const h = openConnection();
    h.conn.close();
    h.conn.close();
    expect(h.socket.closeCalls).to.have.length(1);
    expect(h.conn.status).to.equal('closing');
  });

  it('during a retry wait: closed at once, no more sockets, no timers', () => {
    const h = openConnection();
    h.socket.serverClose(1006);
    h.conn.close();
    expect(h.conn.status).to.equal('closed');
    expect(h.statuses.at(-1)).to.deep.equal(['closed', 'reconnecting']);
    expect(h.clock.pending).to.equal(0);
    expect(h.network.listenerCount).to.equal(0);
    h.clock.advance(600_000);
    expect(h.sockets).to.have.length(1);
  });

  it('during the handshake: the socket is dropped, closed at once, no timers', () => {
    const h = setup({ connectTimeout: 3000 });
    h.conn.connect();
    const socket = h.socket;
    h.conn.close();
    expect(h.conn.status).to.equal('closed');
    expect(socket.closeCalls).to.have.length(1);
    expect(socket.attached).to.equal(false);
    expect(h.closes.map((c) => c.code)).to.deep.equal([1006]);
    expect(h.clock.pending).to.equal(0);
    socket.serverOpen();
    expect(h.conn.status).to.equal('closed');
    expect(h.opens).to.equal(0);
    h.clock.advance(600_000);
    expect(h.errors).to.deep.equal([]);
  });

  it('when already closed: nothing happens', () => {
    const h = setup();
    h.conn.close();
    expect(h.log).to.deep.equal([]);
  });

  it('after failed: status closed', () => {
    const h = setup({ url: 'ftp://x' });
    h.conn.connect();
    h.conn.close();
    expect(h.conn.status).to.equal('closed');
  });

  it('then connect() works again', () => {
    const h = openConnection();
    h.conn.close();
    h.socket.serverClose(1000);
    h.conn.connect();
    expect(h.conn.status).to.equal('connecting');
    expect(h.sockets).to.have.length(2);
    h.socket.serverOpen();
    expect(h.conn.status).to.equal('open');
  });

  it('connect() while closing: drops the closing socket and connects', () => {
    const h = openConnection();
    h.conn.close();
    const old = h.socket;
    h.conn.connect();
    expect(h.conn.status).to.equal('connecting');
    expect(h.sockets).to.have.length(2);
    old.serverClose(1000);
    expect(h.conn.status).to.equal('connecting');
  });

  it('connect() while closing reports the clean close it started, once, not 1006', () => {
    const h = openConnection();
    h.conn.close(1000, 'page hidden');
    h.conn.connect();
    h.sockets[0]!.serverClose(1000);
    expect(h.closes).to.deep.equal([{ code: 1000, reason: 'page hidden', wasClean: true }]);
  });

  it('a closing handshake the peer never answers still reports 1006 when the wait runs out', () => {
    const h = openConnection({ heartbeatTimeout: 100 });
    h.conn.close();
    h.clock.advance(100);
    expect(h.closes).to.deep.equal([{ code: 1006, reason: '', wasClean: false }]);
    h.conn.connect();
    expect(h.closes).to.have.length(1);
  });
});

describe('Connection: closeNow()', () => {
  it('while open: the socket closed with 1000 and reported at once, then closed; its late close changes nothing', () => {
    const h = openConnection({ heartbeatInterval: 1000, minUptime: 5000 });
    const old = h.socket;
    h.log.length = 0;
    h.conn.closeNow();
    expect(old.closeCalls).to.deep.equal([{ code: 1000, reason: undefined }]);
    expect(old.attached).to.equal(false);
    expect(h.log).to.deep.equal(['close:1000', 'status:closed<open']);
    expect(h.conn.socket).to.equal(null);
    expect(h.clock.pending).to.equal(0);
    old.serverClose(1000, '', true);
    h.clock.advance(600_000);
    expect(h.log).to.deep.equal(['close:1000', 'status:closed<open']);
    expect(h.sockets).to.have.length(1);
  });

  it('during a retry wait: closed at once, no more sockets', () => {
    const h = openConnection();
    h.socket.serverClose(1006);
    h.log.length = 0;
    h.conn.closeNow();
    expect(h.log).to.deep.equal(['status:closed<reconnecting']);
    h.clock.advance(600_000);
    expect(h.sockets).to.have.length(1);
  });
});

describe('Connection: configure()', () => {
  it('a new url while open: old socket closed with 1000, new socket to the new URL now, attempt reset', () => {
    const h = setup({ minUptime: 5000 });
    openAfterFailures(h, 2);
    const old = h.socket;
    h.log.length = 0;
    h.conn.configure({ url: URL_B });
    expect(old.closeCalls).to.deep.equal([{ code: 1000, reason: undefined }]);
    expect(h.log).to.deep.equal(['close:1000', 'status:connecting<open']);
    expect(h.socket.url).to.equal(URL_B);
    expect(h.sockets).to.have.length(4);
    expect(h.conn.attempt).to.equal(0);
  });

  it('a new url during a retry wait: connects to it now, and the old wait is cancelled', () => {
    const h = openConnection();
    h.socket.serverClose(1006);
    h.conn.configure({ url: URL_B });
    expect(h.sockets).to.have.length(2);
    expect(h.socket.url).to.equal(URL_B);
    expect(h.conn.status).to.equal('connecting');
    expect(h.conn.attempt).to.equal(0);
    h.clock.advance(1000); // when the cancelled retry would have fired
    expect(h.sockets).to.have.length(2);
  });

  it('a new url during the first handshake: connects to the new URL', () => {
    const h = setup();
    h.conn.connect();
    h.conn.configure({ url: URL_B });
    expect(h.sockets).to.have.length(2);
    expect(h.sockets[0]!.attached).to.equal(false);
    expect(h.socket.url).to.equal(URL_B);
    expect(h.conn.status).to.equal('connecting');
  });

  it('url "" while open: socket closed with 1000, status closed, nothing more', () => {
    const h = openConnection();
    h.conn.configure({ url: '' });
    expect(h.sockets[0]!.closeCalls).to.deep.equal([{ code: 1000, reason: undefined }]);
    expect(h.closes.map((c) => c.code)).to.deep.equal([1000]);
    expect(h.conn.status).to.equal('closed');
    expect(h.clock.pending).to.equal(0);
    h.clock.advance(600_000);
    expect(h.sockets).to.have.length(1);
  });

  it('a new url while closed does not connect', () => {
    const h = setup();
    h.conn.configure({ url: URL_B });
    expect(h.sockets).to.have.length(0);
    expect(h.conn.status).to.equal('closed');
  });

  it('the same url while open changes nothing', () => {
    const h = openConnection();
    h.conn.configure({ url: URL_A });
    expect(h.sockets).to.have.length(1);
    expect(h.socket.closeCalls).to.deep.equal([]);
  });

  it('an invalid url while open: invalid-url, failed', () => {
    const h = openConnection();
    h.conn.configure({ url: 'ftp://bad' });
    expect(h.errors.map((e) => e.code)).to.deep.equal(['invalid-url']);
    expect(h.conn.status).to.equal('failed');
    expect(h.sockets).to.have.length(1);
  });
});

describe('Connection: re-entrancy', () => {
  it('close() inside the close callback stops the retry', () => {
    const h = openConnection({}, { close: () => h.conn.close() });
    h.socket.serverClose(1006);
    expect(h.conn.status).to.equal('closed');
    expect(h.retries).to.deep.equal([]);
    expect(h.clock.pending).to.equal(0);
    h.clock.advance(600_000);
    expect(h.sockets).to.have.length(1);
    expect(h.closes).to.have.length(1);
  });

  it('connect() inside the status callback does not connect twice', () => {
    const h = setup({}, { status: () => h.conn.connect() });
    h.conn.connect();
    expect(h.sockets).to.have.length(1);
    expect(h.conn.status).to.equal('connecting');
    h.socket.serverOpen();
    expect(h.sockets).to.have.length(1);
    expect(h.conn.status).to.equal('open');
  });

  it('close() inside the connecting status callback: no socket is made', () => {
    const h = setup(
      {},
      {
        status: (s) => {
          if (s === 'connecting') h.conn.close();
        },
      },
    );
    h.conn.connect();
    expect(h.sockets).to.have.length(0);
    expect(h.conn.status).to.equal('closed');
    expect(h.clock.pending).to.equal(0);
  });

  it('connect() inside the reconnecting status callback: one new socket now, none from the cancelled wait', () => {
    const h = openConnection(
      {},
      {
        status: (s) => {
          if (s === 'reconnecting') h.conn.connect();
        },
      },
    );
    h.socket.serverClose(1006);
    expect(h.sockets).to.have.length(2);
    expect(h.conn.status).to.equal('connecting');
    h.clock.advance(1000); // when the cancelled retry would have fired
    expect(h.sockets).to.have.length(2);
  });

  it('close() inside the retry callback: closed, no timer', () => {
    const h = openConnection({}, { retry: () => h.conn.close() });
    h.socket.serverClose(1006);
    expect(h.conn.status).to.equal('closed');
    expect(h.clock.pending).to.equal(0);
    h.clock.advance(600_000);
    expect(h.sockets).to.have.length(1);
  });

  it('reconnect() inside the open callback: exactly one new socket', () => {
    let once = false;
    const h = setup(
      {},
      {
        open: () => {
          if (once) return;
          once = true;
          h.conn.reconnect();
        },
      },
    );
    h.conn.connect();
    h.socket.serverOpen();
    expect(h.sockets).to.have.length(2);
    expect(h.conn.status).to.equal('connecting');
    expect(h.sockets[0]!.closeCalls).to.deep.equal([{ code: 1000, reason: undefined }]);
  });

  it('close() inside the open status callback: closing, then closed, no timers', () => {
    const h = setup(
      { heartbeatInterval: 1000 },
      {
        status: (s) => {
          if (s === 'open') h.conn.close();
        },
      },
    );
    h.conn.connect();
    h.socket.serverOpen();
    expect(h.conn.status).to.equal('closing');
    expect(h.clock.pending).to.equal(1); // only the bound on the closing handshake
    h.socket.serverClose(1000);
    expect(h.conn.status).to.equal('closed');
    expect(h.clock.pending).to.equal(0);
  });

  it('close() inside the error callback of a connect timeout: closed, no retry, no timers', () => {
    const h = setup({ connectTimeout: 1000 }, { error: () => h.conn.close() });
    h.conn.connect();
    h.clock.advance(1000);
    expect(h.conn.status).to.equal('closed');
    expect(h.retries).to.deep.equal([]);
    expect(h.clock.pending).to.equal(0);
  });

  it('every socket that was handed out gets a close: also when the error callback of a heartbeat death calls close()', () => {
    const h = openConnection({ heartbeatInterval: 1000, heartbeatTimeout: 500 }, { error: () => h.conn.close() });
    h.clock.advance(1500);
    expect(h.errors.map((e) => e.code)).to.deep.equal(['heartbeat']);
    expect(h.conn.status).to.equal('closed');
    expect(h.socket.closeCalls).to.have.length(1);
    // The socket that was open is gone; the owner must hear its close (contract: close "each time").
    expect(h.closes.map((c) => c.code)).to.deep.equal([1006]);
  });

  it('every socket that was handed out gets a close: also when the error callback of a connect timeout calls close()', () => {
    const h = setup({ connectTimeout: 1000 }, { error: () => h.conn.close() });
    h.conn.connect();
    h.clock.advance(1000);
    expect(h.errors.map((e) => e.code)).to.deep.equal(['timeout']);
    expect(h.conn.status).to.equal('closed');
    expect(h.sockets[0]!.closeCalls).to.have.length(1);
    // Without the callback calling close(), this socket's close (1006) is reported; it must not vanish.
    expect(h.closes.map((c) => c.code)).to.deep.equal([1006]);
  });
});

describe('Connection: no leftovers', () => {
  it('no timers pending after close() in any state', () => {
    const options = { heartbeatInterval: 1000, minUptime: 5000, connectTimeout: 3000 };
    const states: [string, (h: ReturnType<typeof setup>) => void][] = [
      ['closed', () => {}],
      ['connecting', (h) => h.conn.connect()],
      [
        'open',
        (h) => {
          h.conn.connect();
          h.socket.serverOpen();
        },
      ],
      [
        'open after a ping',
        (h) => {
          h.conn.connect();
          h.socket.serverOpen();
          h.clock.advance(1000);
        },
      ],
      [
        'reconnecting (wait)',
        (h) => {
          h.conn.connect();
          h.socket.serverClose(1006);
        },
      ],
      [
        'reconnecting (handshake)',
        (h) => {
          h.conn.connect();
          h.socket.serverClose(1006);
          h.clock.advance(1000);
        },
      ],
    ];
    for (const [name, reach] of states) {
      const h = setup(options);
      reach(h);
      h.conn.close();
      if (h.conn.status === 'closing') h.socket.serverClose(1000);
      expect(h.conn.status, name).to.equal('closed');
      expect(h.clock.pending, name).to.equal(0);
      expect(h.network.listenerCount, name).to.equal(0);
    }
  });
});
