/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { URL_A, flushMicrotasks, openConnection, setup } from './connection-harness.js';

interface Deferred {
  promise: Promise<string>;
  resolve(url: string): void;
  reject(reason: unknown): void;
}

function deferred(): Deferred {
  let resolve!: (url: string) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<string>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A provider whose every call waits for the test to settle it: `pending[n]` is call n. */
function pendingProvider(): { pending: Deferred[]; urlProvider: () => Promise<string> } {
  const pending: Deferred[] = [];
  const urlProvider = (): Promise<string> => {
    const call = deferred();
    pending.push(call);
    return call.promise;
  };
  return { pending, urlProvider };
}

describe('Connection: urlProvider', () => {
  it('sync: called once per attempt, its URL used instead of url', () => {
    let calls = 0;
    const h = setup({ urlProvider: () => `wss://p.test/live?token=${++calls}` });
    h.conn.connect();
    expect(calls).to.equal(1);
    expect(h.socket.url).to.equal('wss://p.test/live?token=1');
    h.socket.serverClose(1006);
    expect(calls).to.equal(1);
    h.clock.advance(1000);
    expect(calls).to.equal(2);
    expect(h.sockets).to.have.length(2);
    expect(h.socket.url).to.equal('wss://p.test/live?token=2');
    h.socket.serverOpen();
    expect(calls).to.equal(2);
    expect(h.conn.status).to.equal('open');
  });

  it('its URL is resolved like url (https → wss, relative against baseUrl)', () => {
    const h = setup({ url: '', baseUrl: 'https://host.test/app/', urlProvider: () => 'sock' });
    h.conn.connect();
    expect(h.socket.url).to.equal('wss://host.test/app/sock');
  });

  it('connects with an empty url when a provider is set', () => {
    const h = setup({ url: '', urlProvider: () => URL_A });
    h.conn.connect();
    expect(h.conn.status).to.equal('connecting');
    expect(h.socket.url).to.equal(URL_A);
  });

  it('async: the socket is made once the promise resolves', async () => {
    let calls = 0;
    const h = setup({
      urlProvider: async () => {
        calls++;
        return 'ws://async.test/';
      },
    });
    h.conn.connect();
    expect(calls).to.equal(1);
    expect(h.conn.status).to.equal('connecting');
    expect(h.sockets).to.have.length(0);
    await flushMicrotasks();
    expect(h.sockets).to.have.length(1);
    expect(h.socket.url).to.equal('ws://async.test/');
    h.socket.serverOpen();
    expect(h.conn.status).to.equal('open');
    expect(calls).to.equal(1);
  });

  it('a throw is a failed attempt: error url-provider (with cause), then the normal backoff', () => {
    const boom = new Error('no token');
    let calls = 0;
    const h = setup({
      urlProvider: () => {
        calls++;
        if (calls === 1) throw boom;
        return URL_A;
      },
    });
    expect(() => h.conn.connect()).to.not.throw();
    expect(h.errors.map((e) => e.code)).to.deep.equal(['url-provider']);
    expect(h.errors[0]!.cause).to.equal(boom);
    expect(h.closes).to.deep.equal([]);
    expect(h.retries).to.deep.equal([{ attempt: 1, delay: 1000 }]);
    expect(h.conn.status).to.equal('reconnecting');
    expect(h.sockets).to.have.length(0);
    expect(h.clock.pendingDelays).to.deep.equal([1000]); // only the retry wait; the connect timeout is gone
    h.clock.advance(1000);
    expect(calls).to.equal(2);
    expect(h.sockets).to.have.length(1);
    h.socket.serverOpen();
    expect(h.conn.status).to.equal('open');
  });

  it('a rejection is a failed attempt: error url-provider, then retried', async () => {
    let calls = 0;
    const h = setup({
      urlProvider: () => {
        calls++;
        return calls === 1 ? Promise.reject(new Error('401')) : Promise.resolve(URL_A);
      },
    });
    h.conn.connect();
    await flushMicrotasks();
    expect(h.errors.map((e) => e.code)).to.deep.equal(['url-provider']);
    expect((h.errors[0]!.cause as Error).message).to.equal('401');
    expect(h.conn.status).to.equal('reconnecting');
    h.clock.advance(1000);
    await flushMicrotasks();
    expect(calls).to.equal(2);
    expect(h.sockets).to.have.length(1);
  });

  it('an invalid URL from the provider: error invalid-url, retried (not failed)', async () => {
    const answers = ['ftp://bad.test/', 'not a url', URL_A];
    const h = setup({ urlProvider: () => Promise.resolve(answers.shift()!) });
    h.conn.connect();
    await flushMicrotasks();
    expect(h.errors.map((e) => e.code)).to.deep.equal(['invalid-url']);
    expect(h.conn.status).to.equal('reconnecting');
    h.clock.advance(1000);
    await flushMicrotasks();
    expect(h.errors.map((e) => e.code)).to.deep.equal(['invalid-url', 'invalid-url']);
    expect(h.retries.map((r) => r.attempt)).to.deep.equal([1, 2]);
    h.clock.advance(2000);
    await flushMicrotasks();
    expect(h.sockets).to.have.length(1);
    expect(h.socket.url).to.equal(URL_A);
  });

  it('an invalid URL from a sync provider is retried too', () => {
    const h = setup({ urlProvider: () => 'mailto:x@y.z' });
    h.conn.connect();
    expect(h.errors.map((e) => e.code)).to.deep.equal(['invalid-url']);
    expect(h.conn.status).to.equal('reconnecting');
    expect(h.sockets).to.have.length(0);
    expect(h.clock.pendingDelays).to.deep.equal([1000]);
  });

  it('a slow provider is counted by connectTimeout, and its late result is ignored', async () => {
    const { pending, urlProvider } = pendingProvider();
    const h = setup({ connectTimeout: 2000, urlProvider });
    h.conn.connect();
    h.clock.advance(1999);
    expect(h.errors).to.deep.equal([]);
    h.clock.advance(1);
    expect(h.errors.map((e) => e.code)).to.deep.equal(['timeout']);
    expect(h.closes).to.deep.equal([]); // there was no socket to close
    expect(h.retries).to.deep.equal([{ attempt: 1, delay: 1000 }]);
    pending[0]!.resolve('ws://late.test/');
    await flushMicrotasks();
    expect(h.sockets).to.have.length(0);
    expect(h.conn.status).to.equal('reconnecting');
    h.clock.advance(1000);
    expect(pending).to.have.length(2);
    pending[1]!.resolve('ws://fresh.test/');
    await flushMicrotasks();
    expect(h.sockets).to.have.length(1);
    expect(h.socket.url).to.equal('ws://fresh.test/');
  });

  it('a late rejection from a provider that timed out is ignored', async () => {
    const { pending, urlProvider } = pendingProvider();
    const h = setup({ connectTimeout: 2000, urlProvider });
    h.conn.connect();
    h.clock.advance(2000);
    pending[0]!.reject(new Error('late'));
    await flushMicrotasks();
    expect(h.errors.map((e) => e.code)).to.deep.equal(['timeout']);
    expect(h.retries).to.have.length(1);
  });

  it('close() while the provider is pending: its result is ignored', async () => {
    const d = deferred();
    const h = setup({ urlProvider: () => d.promise });
    h.conn.connect();
    h.conn.close();
    expect(h.conn.status).to.equal('closed');
    d.resolve(URL_A);
    await flushMicrotasks();
    expect(h.sockets).to.have.length(0);
    expect(h.conn.status).to.equal('closed');
    expect(h.clock.pending).to.equal(0);
  });

  it('setting a provider does not reconnect by itself; the next attempt uses it', () => {
    const h = openConnection();
    h.conn.configure({ urlProvider: () => URL_A + '?fresh' });
    expect(h.sockets).to.have.length(1);
    expect(h.conn.status).to.equal('open');
    h.socket.serverClose(1006);
    h.clock.advance(1000);
    expect(h.socket.url).to.equal(URL_A + '?fresh');
  });
});
