/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { WsConnectionError } from '../../src/core/errors.js';
import { openConnection, setup } from './connection-harness.js';

describe('Connection: messages', () => {
  it('passes text frames as they are, with the message (origin)', () => {
    const h = openConnection();
    h.socket.serverMessage('{"a":1}', 'wss://origin.test');
    expect(h.messages).to.have.length(1);
    expect(h.messages[0]!.data).to.equal('{"a":1}');
    expect(h.messages[0]!.message.origin).to.equal('wss://origin.test');
  });

  it('passes binary frames by identity', () => {
    const h = openConnection();
    const buf = new ArrayBuffer(2);
    h.socket.serverMessage(buf);
    expect(h.messages[0]!.data).to.equal(buf);
  });

  it('json: parses text frames', () => {
    const h = openConnection({ json: true });
    h.socket.serverMessage('{"a":[1,2]}');
    h.socket.serverMessage('"str"');
    h.socket.serverMessage('42');
    h.socket.serverMessage('null');
    expect(h.messages.map((m) => m.data)).to.deep.equal([{ a: [1, 2] }, 'str', 42, null]);
  });

  it('json: binary frames are not parsed', () => {
    const h = openConnection({ json: true });
    const buf = new ArrayBuffer(2);
    h.socket.serverMessage(buf);
    expect(h.messages[0]!.data).to.equal(buf);
    expect(h.errors).to.deep.equal([]);
  });

  it('json: a frame that is not JSON gives error parse with the raw text on error.data, and no message', () => {
    const h = openConnection({ json: true });
    h.socket.serverMessage('{oops');
    expect(h.messages).to.deep.equal([]);
    expect(h.errors).to.have.length(1);
    expect(h.errors[0]).to.be.instanceOf(WsConnectionError);
    expect(h.errors[0]!.code).to.equal('parse');
    expect(h.errors[0]!.data).to.equal('{oops');
    expect(h.errors[0]!.cause).to.be.instanceOf(SyntaxError);
    expect(h.conn.status).to.equal('open');
    h.socket.serverMessage('{"ok":true}');
    expect(h.messages.map((m) => m.data)).to.deep.equal([{ ok: true }]);
  });

  it('json: an empty text frame is a parse error too (nothing dropped silently)', () => {
    const h = openConnection({ json: true });
    h.socket.serverMessage('');
    expect(h.errors.map((e) => [e.code, e.data])).to.deep.equal([['parse', '']]);
    expect(h.messages).to.deep.equal([]);
  });

  it('the heartbeat reply is an ordinary message while heartbeats are off', () => {
    const h = openConnection({ heartbeatInterval: 0 });
    h.socket.serverMessage('pong');
    expect(h.messages.map((m) => m.data)).to.deep.equal(['pong']);
  });

  it('json without heartbeat: "pong" is parsed like any frame (and fails)', () => {
    const h = openConnection({ json: true, heartbeatInterval: 0 });
    h.socket.serverMessage('pong');
    expect(h.errors.map((e) => e.code)).to.deep.equal(['parse']);
  });

  it('while heartbeats are on, the reply is filtered and other frames pass', () => {
    const h = openConnection({ heartbeatInterval: 1000 });
    h.socket.serverMessage('pong');
    h.socket.serverMessage('ping');
    h.socket.serverMessage('pong!');
    expect(h.messages.map((m) => m.data)).to.deep.equal(['ping', 'pong!']);
  });

  it('with json and heartbeats on, the reply is never parsed', () => {
    const h = openConnection({ json: true, heartbeatInterval: 1000 });
    h.socket.serverMessage('pong');
    expect(h.errors).to.deep.equal([]);
    expect(h.messages).to.deep.equal([]);
  });

  it('a custom heartbeatReply is filtered, the default one no longer', () => {
    const h = openConnection({ heartbeatInterval: 1000, heartbeatReply: 'PONG!' });
    h.socket.serverMessage('PONG!');
    h.socket.serverMessage('pong');
    expect(h.messages.map((m) => m.data)).to.deep.equal(['pong']);
  });

  it('turning heartbeats off with configure() stops filtering the reply', () => {
    const h = openConnection({ heartbeatInterval: 1000 });
    h.conn.configure({ heartbeatInterval: 0 });
    h.socket.serverMessage('pong');
    expect(h.messages.map((m) => m.data)).to.deep.equal(['pong']);
  });
});

describe('Connection: heartbeat', () => {
  it('sends heartbeatMessage after heartbeatInterval with nothing received', () => {
    const h = openConnection({ heartbeatInterval: 1000, heartbeatMessage: 'hb?' });
    h.clock.advance(999);
    expect(h.socket.sent).to.deep.equal([]);
    h.clock.advance(1);
    expect(h.socket.sent).to.deep.equal(['hb?']);
  });

  it('uses "ping" by default', () => {
    const h = openConnection({ heartbeatInterval: 1000 });
    h.clock.advance(1000);
    expect(h.socket.sent).to.deep.equal(['ping']);
  });

  it('does not ping during the handshake', () => {
    const h = setup({ heartbeatInterval: 100, connectTimeout: 0 });
    h.conn.connect();
    expect(h.clock.pending).to.equal(0);
    h.clock.advance(10_000);
    expect(h.socket.sent).to.deep.equal([]);
  });

  it('any frame received postpones the ping', () => {
    const h = openConnection({ heartbeatInterval: 1000 });
    h.clock.advance(700);
    h.socket.serverMessage('data');
    h.clock.advance(999);
    expect(h.socket.sent).to.deep.equal([]);
    h.clock.advance(1);
    expect(h.socket.sent).to.deep.equal(['ping']);
  });

  it('a reply keeps the connection alive', () => {
    const h = openConnection({ heartbeatInterval: 1000, heartbeatTimeout: 500 });
    for (let i = 0; i < 5; i++) {
      h.clock.advance(1000); // idle: ping
      h.clock.advance(499);
      h.socket.serverMessage('pong'); // reply just in time
    }
    h.clock.advance(1);
    expect(h.errors).to.deep.equal([]);
    expect(h.conn.status).to.equal('open');
    expect(h.socket.sent).to.deep.equal(['ping', 'ping', 'ping', 'ping', 'ping']);
    expect(h.messages).to.deep.equal([]);
    // once replies stop, it is dead one interval + timeout after the last reply
    h.clock.advance(1000 + 498);
    expect(h.errors).to.deep.equal([]);
    h.clock.advance(1);
    expect(h.errors.map((e) => e.code)).to.deep.equal(['heartbeat']);
  });

  it('no reply within heartbeatTimeout: error heartbeat, socket closed, close 1006, retry', () => {
    const h = openConnection({ heartbeatInterval: 1000, heartbeatTimeout: 500 });
    const socket = h.socket;
    h.log.length = 0;
    h.clock.advance(1000);
    h.clock.advance(499);
    expect(h.errors).to.deep.equal([]);
    h.clock.advance(1);
    expect(h.log).to.deep.equal(['error:heartbeat', 'close:1006', 'retry:1:1000', 'status:reconnecting<open']);
    expect(h.errors[0]).to.be.instanceOf(WsConnectionError);
    expect(socket.closeCalls).to.have.length(1);
    expect(socket.attached).to.equal(false);
    expect(h.conn.socket).to.equal(null);
    h.clock.advance(1000);
    expect(h.sockets).to.have.length(2);
  });

  it('uses the default heartbeatTimeout of 5000', () => {
    const h = openConnection({ heartbeatInterval: 1000 });
    h.clock.advance(1000 + 4999);
    expect(h.errors).to.deep.equal([]);
    h.clock.advance(1);
    expect(h.errors.map((e) => e.code)).to.deep.equal(['heartbeat']);
  });

  it('configure() turns heartbeats on for the open socket', () => {
    const h = openConnection({ minUptime: 0 });
    expect(h.clock.pending).to.equal(0);
    h.conn.configure({ heartbeatInterval: 1000 });
    h.clock.advance(1000);
    expect(h.socket.sent).to.deep.equal(['ping']);
  });

  it('configure() turns heartbeats off for the open socket and leaves no timer', () => {
    const h = openConnection({ minUptime: 0, heartbeatInterval: 1000 });
    expect(h.clock.pending).to.equal(1);
    h.conn.configure({ heartbeatInterval: 0 });
    expect(h.clock.pending).to.equal(0);
    h.clock.advance(60_000);
    expect(h.socket.sent).to.deep.equal([]);
    expect(h.errors).to.deep.equal([]);
  });

  it('a new heartbeatMessage is used by the next ping', () => {
    const h = openConnection({ heartbeatInterval: 1000 });
    h.conn.configure({ heartbeatMessage: 'are-you-there' });
    h.clock.advance(1000);
    expect(h.socket.sent).to.deep.equal(['are-you-there']);
  });
});
