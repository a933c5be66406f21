/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { WsConnectionError } from '../../src/core/errors.js';
import { FakeSocket } from './fake-socket.js';
import { URL_A, URL_B, setup } from './connection-harness.js';

describe('Connection: lifecycle', () => {
  it('starts closed, with no socket, no timers and no online listener', () => {
    const h = setup();
    expect(h.conn.status).to.equal('closed');
    expect(h.conn.socket).to.equal(null);
    expect(h.conn.attempt).to.equal(0);
    expect(h.conn.queued).to.equal(0);
    expect(h.sockets).to.have.length(0);
    expect(h.clock.pending).to.equal(0);
    expect(h.network.listenerCount).to.equal(0);
    expect(h.log).to.deep.equal([]);
  });

  it('connect(): closed → connecting → open, each reported with its previous status', () => {
    const h = setup();
    h.conn.connect();
    expect(h.conn.status).to.equal('connecting');
    expect(h.sockets).to.have.length(1);
    expect(h.socket.url).to.equal(URL_A);
    expect(h.conn.socket).to.equal(h.socket);
    expect(h.opens).to.equal(0);
    h.socket.serverOpen();
    expect(h.conn.status).to.equal('open');
    expect(h.statuses).to.deep.equal([
      ['connecting', 'closed'],
      ['open', 'connecting'],
    ]);
    expect(h.log).to.deep.equal(['status:connecting<closed', 'status:open<connecting', 'open']);
    expect(h.sockets).to.have.length(1);
  });

  it('the status getter already holds the new status inside the status callback', () => {
    const seen: string[] = [];
    const h = setup({}, { status: (s) => seen.push(`${s}=${h.conn.status}`) });
    h.conn.connect();
    h.socket.serverOpen();
    expect(seen).to.deep.equal(['connecting=connecting', 'open=open']);
  });

  it('passes protocols and binaryType to the socket', () => {
    const h = setup({ protocols: ['chat', 'v2'], binaryType: 'arraybuffer' });
    h.conn.connect();
    expect(h.socket.protocols).to.deep.equal(['chat', 'v2']);
    expect(h.socket.binaryType).to.equal('arraybuffer');
  });

  it('passes no protocols argument when there are none, and binaryType blob by default', () => {
    const h = setup();
    h.conn.connect();
    expect(h.socket.protocols).to.equal(undefined);
    expect(h.socket.binaryType).to.equal('blob');
  });

  it('configure({binaryType}) applies to the live socket', () => {
    const h = setup();
    h.conn.connect();
    h.socket.serverOpen();
    h.conn.configure({ binaryType: 'arraybuffer' });
    expect(h.socket.binaryType).to.equal('arraybuffer');
    expect(h.sockets).to.have.length(1);
  });

  it('maps http: to ws:, https: to wss:, and resolves relative URLs against baseUrl', () => {
    const a = setup({ url: 'https://example.test/live#x' });
    a.conn.connect();
    expect(a.socket.url).to.equal('wss://example.test/live');

    const b = setup({ url: '/sock?room=1', baseUrl: 'http://host.test/app/page.html' });
    b.conn.connect();
    expect(b.socket.url).to.equal('ws://host.test/sock?room=1');
  });

  it('empty url: connect() and reconnect() stay closed, make no socket and set no timer', () => {
    const h = setup({ url: '' });
    h.conn.connect();
    h.conn.reconnect();
    expect(h.conn.status).to.equal('closed');
    expect(h.sockets).to.have.length(0);
    expect(h.statuses).to.deep.equal([]);
    expect(h.clock.pending).to.equal(0);
    expect(h.errors).to.deep.equal([]);
  });

  for (const bad of ['ftp://example.test/x', 'http://[::1', '/relative-without-base', 'wss://example.test:99999/']) {
    it(`invalid url option ${JSON.stringify(bad)}: error invalid-url, status failed, no retry`, () => {
      const h = setup({ url: bad });
      expect(() => h.conn.connect()).to.not.throw();
      expect(h.errors).to.have.length(1);
      expect(h.errors[0]).to.be.instanceOf(WsConnectionError);
      expect(h.errors[0]!.code).to.equal('invalid-url');
      expect(h.conn.status).to.equal('failed');
      expect(h.statuses).to.deep.equal([
        ['connecting', 'closed'],
        ['failed', 'connecting'],
      ]);
      expect(h.sockets).to.have.length(0);
      expect(h.retries).to.deep.equal([]);
      expect(h.clock.pending).to.equal(0);
      expect(h.network.listenerCount).to.equal(0);
      h.clock.advance(600_000);
      expect(h.sockets).to.have.length(0);
      expect(h.errors).to.have.length(1);
    });
  }

  it('after failed, configure({url}) alone does not connect, but connect() starts again', () => {
    const h = setup({ url: 'ftp://nope' });
    h.conn.connect();
    expect(h.conn.status).to.equal('failed');
    h.conn.configure({ url: URL_B });
    expect(h.conn.status).to.equal('failed');
    expect(h.sockets).to.have.length(0);
    h.conn.connect();
    expect(h.conn.status).to.equal('connecting');
    expect(h.statuses.at(-1)).to.deep.equal(['connecting', 'failed']);
    expect(h.socket.url).to.equal(URL_B);
  });

  it('a WebSocket constructor that throws for the url option: error socket, failed', () => {
    const h = setup();
    FakeSocket.constructorError = new SyntaxError('nope');
    h.conn.connect();
    expect(h.errors.map((e) => e.code)).to.deep.equal(['socket']);
    expect(h.errors[0]!.cause).to.equal(FakeSocket.constructorError);
    expect(h.conn.status).to.equal('failed');
    expect(h.clock.pending).to.equal(0);
  });

  it('the socket error event is reported as error code socket', () => {
    const h = setup();
    h.conn.connect();
    h.socket.serverOpen();
    h.socket.serverError();
    expect(h.errors.map((e) => e.code)).to.deep.equal(['socket']);
    expect(h.errors[0]).to.be.instanceOf(WsConnectionError);
    expect(h.conn.status).to.equal('open');
  });
});
