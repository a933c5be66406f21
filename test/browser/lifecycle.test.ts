import { expect, waitUntil } from '@open-wc/testing';
import { connection, nextEvent, record, server, statusBecomes, type ServerStats } from './helpers.js';

/** Resolves after the current task and the next one, when a deferred detach has run. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve));
}

describe('life in the document', () => {
  it('closes with 1000 when detached, stops, keeps the queue, and connects again when re-attached', async () => {
    const { element, scope } = await connection({ 'retry-delay': '20' });
    await nextEvent(element, 'open');
    const closed = nextEvent<CloseEvent>(element, 'close');
    const retries = record(element, 'retry');
    element.remove();
    const close = await closed;
    expect(close.code).to.equal(1000);
    expect(element.status).to.equal('closed');
    await waitUntil(
      async () => (await server<ServerStats>(scope, 'stats')).open === 0,
      'server still holds the socket',
    );
    expect(element.send('held')).to.equal(false);
    expect(retries).to.have.length(0);

    document.body.append(element);
    expect(element.status).to.equal('connecting');
    const echo = await nextEvent<MessageEvent>(element, 'message');
    expect(echo.data).to.equal('held');
  });

  it('keeps the socket open, firing nothing, when moved within a task', async () => {
    const { element, scope } = await connection();
    await nextEvent(element, 'open');
    const socket = element.socket;
    const events = record(element, 'close', 'open', 'statuschange', 'error', 'retry');
    const list = document.createElement('div');
    document.body.append(list);
    list.append(element);
    list.prepend(document.createElement('p'));
    await nextTask();
    await nextTask();
    expect(element.socket).to.equal(socket);
    expect(element.status).to.equal('open');
    expect(events).to.have.length(0);
    expect((await server<ServerStats>(scope, 'stats')).handshakes).to.equal(1);
    list.remove();
  });

  it('stops retry timers when detached while reconnecting', async () => {
    const { element, scope } = await connection({ 'retry-delay': '100', 'retry-jitter': '0' });
    await nextEvent(element, 'open');
    const retrying = nextEvent(element, 'retry');
    await server(scope, 'kill');
    await retrying;
    element.remove();
    await statusBecomes(element, 'closed');
    // Past the retry delay, no attempt was made.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await server<ServerStats>(scope, 'stats')).handshakes).to.equal(1);
    expect(element.socket).to.equal(null);
  });

  it('closes cleanly on pagehide and connects at once on a persisted pageshow', async () => {
    const { element } = await connection({ 'retry-delay': '20' });
    await nextEvent(element, 'open');
    const events = record(element, 'retry');
    const closed = nextEvent<CloseEvent>(element, 'close');
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
    expect((await closed).code).to.equal(1000);
    expect(element.status).to.equal('closed');

    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: false }));
    expect(element.status).to.equal('closed');
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    expect(element.status).to.equal('connecting');
    await nextEvent(element, 'open');
    expect(events).to.have.length(0);
  });

  it('reports its own clean close (1000) when the page comes back before the socket delivered its close', async () => {
    const { element, scope } = await connection({ 'retry-delay': '20' });
    await nextEvent(element, 'open');
    const closes = record<CloseEvent>(element, 'close');
    const reopened = nextEvent(element, 'open');
    // In one task, as a fast back/forward restore can be: the old socket's own close cannot have arrived yet.
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    expect(element.status).to.equal('connecting');
    await reopened;
    expect(closes.map(({ code, wasClean }) => ({ code, wasClean }))).to.deep.equal([{ code: 1000, wasClean: true }]);
    await waitUntil(async () => (await server<ServerStats>(scope, 'stats')).closeCodes.length === 1);
    expect((await server<ServerStats>(scope, 'stats')).closeCodes).to.deep.equal([1000]);
  });

  it('does not reconnect on pageshow an element that was closed on purpose', async () => {
    const { element } = await connection();
    await nextEvent(element, 'open');
    element.close();
    await statusBecomes(element, 'closed');
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    expect(element.status).to.equal('closed');
  });
});

describe('methods', () => {
  it('close(code, reason) goes closing then closed, with the code the server saw', async () => {
    const { element } = await connection({ 'retry-delay': '20' });
    await nextEvent(element, 'open');
    const statuses = record<CustomEvent<{ status: string }>>(element, 'statuschange');
    const retries = record(element, 'retry');
    const closed = nextEvent<CloseEvent>(element, 'close');
    element.close(4001, 'bye');
    const close = await closed;
    expect([close.code, close.reason, close.wasClean]).to.deep.equal([4001, 'bye', true]);
    expect(statuses.map((event) => event.detail.status)).to.deep.equal(['closing', 'closed']);
    expect(retries).to.have.length(0);
  });

  it('close() during a retry wait stops retrying at once', async () => {
    const { element, scope } = await connection({ 'retry-delay': '100', 'retry-jitter': '0' });
    await nextEvent(element, 'open');
    const retrying = nextEvent(element, 'retry');
    await server(scope, 'kill');
    await retrying;
    element.close();
    expect(element.status).to.equal('closed');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await server<ServerStats>(scope, 'stats')).handshakes).to.equal(1);
  });

  it('connect() is a no-op while open, and starts again after failed', async () => {
    const { element, scope } = await connection({ 'max-retries': '0' });
    await nextEvent(element, 'open');
    element.connect();
    expect(element.status).to.equal('open');
    await server(scope, 'kill');
    await statusBecomes(element, 'failed');
    element.connect();
    expect(element.status).to.equal('connecting');
    await nextEvent(element, 'open');
    expect((await server<ServerStats>(scope, 'stats')).handshakes).to.equal(2);
  });

  it('connect() during a retry wait connects now with the attempt count reset', async () => {
    const { element, scope } = await connection({ 'retry-delay': '5000' });
    await nextEvent(element, 'open');
    const retrying = nextEvent(element, 'retry');
    await server(scope, 'kill');
    await retrying;
    expect(element.attempt).to.equal(1);
    element.connect();
    expect(element.status).to.equal('connecting');
    expect(element.attempt).to.equal(0);
    await nextEvent(element, 'open');
  });

  it('reconnect() drops the socket and connects again now', async () => {
    const { element, scope } = await connection();
    await nextEvent(element, 'open');
    const first = element.socket;
    const events = record(element, 'close', 'statuschange');
    element.reconnect();
    expect(element.status).to.equal('connecting');
    expect(element.socket).to.not.equal(first);
    await nextEvent(element, 'open');
    expect((events[0] as CloseEvent).code).to.equal(1000);
    expect(events.slice(1).map((event) => (event as CustomEvent<{ status: string }>).detail.status)).to.deep.equal([
      'connecting',
      'open',
    ]);
    await waitUntil(async () => (await server<ServerStats>(scope, 'stats')).open === 1, 'old socket still open');
  });

  it('a URL change while connected closes the old socket with 1000 and connects to the new URL at once', async () => {
    const { element, scope } = await connection();
    const other = await connection({}, { attach: false });
    // It may have opened while the second scope was being set up.
    await statusBecomes(element, 'open');
    element.url = other.url;
    expect(element.status).to.equal('connecting');
    expect(element.socket!.url).to.equal(other.url);
    await nextEvent(element, 'open');
    await waitUntil(async () => (await server<ServerStats>(scope, 'stats')).open === 0, 'old socket still open');
    expect((await server<ServerStats>(other.scope, 'stats')).open).to.equal(1);
  });
});

describe('urlProvider', () => {
  it('is called before every attempt and its URL used', async () => {
    const { element, scope, url } = await connection({ 'retry-delay': '20' }, { attach: false });
    element.url = 'ws://127.0.0.1:1/never-used';
    let calls = 0;
    element.urlProvider = async () => `${url}?token=${++calls}`;
    document.body.append(element);
    await nextEvent(element, 'open');
    const reopened = nextEvent(element, 'open');
    await server(scope, 'kill');
    await reopened;
    const stats = await server<ServerStats>(scope, 'stats');
    expect(stats.requests.map((request) => request.url.split('?')[1])).to.deep.equal(['token=1', 'token=2']);
    expect(calls).to.equal(2);
  });

  it('treats a throw or rejection as a failed attempt with url-provider, then backs off', async () => {
    const { element, url } = await connection({ 'retry-delay': '20' }, { attach: false });
    let calls = 0;
    element.urlProvider = () => {
      calls++;
      if (calls === 1) throw new Error('no token');
      if (calls === 2) return Promise.reject(new Error('still no token'));
      return url;
    };
    const errors = record<ErrorEvent>(element, 'error');
    const retries = record(element, 'retry');
    document.body.append(element);
    await nextEvent(element, 'open');
    expect(errors.map((event) => event.error.code)).to.deep.equal(['url-provider', 'url-provider']);
    expect(errors[0]!.error.cause.message).to.equal('no token');
    expect(retries).to.have.length(2);
  });

  it('retries an invalid URL from the provider as a failed attempt', async () => {
    const { element, url } = await connection({ 'retry-delay': '20' }, { attach: false });
    let calls = 0;
    element.urlProvider = () => (++calls === 1 ? 'gopher://nope' : url);
    const errors = record<ErrorEvent>(element, 'error');
    document.body.append(element);
    await nextEvent(element, 'open');
    expect(errors.map((event) => event.error.code)).to.deep.equal(['invalid-url']);
  });

  it('counts the provider time against connect-timeout', async () => {
    const { element, url } = await connection({ 'retry-delay': '20', 'connect-timeout': '80' }, { attach: false });
    let calls = 0;
    element.urlProvider = () => (++calls === 1 ? new Promise((resolve) => setTimeout(() => resolve(url), 300)) : url);
    const errors = record<ErrorEvent>(element, 'error');
    document.body.append(element);
    await nextEvent(element, 'open');
    expect(errors.map((event) => event.error.code)).to.deep.equal(['timeout']);
    expect(calls).to.equal(2);
  });

  it('does not reconnect when set', async () => {
    const { element, url } = await connection();
    await nextEvent(element, 'open');
    const socket = element.socket;
    element.urlProvider = () => url;
    expect(element.socket).to.equal(socket);
    expect(element.status).to.equal('open');
  });
});

describe('closing a half-open connection', () => {
  it('gives up on the closing handshake after heartbeat-timeout: close 1006, status closed', async () => {
    const { element, scope } = await connection({ 'heartbeat-timeout': '200' });
    await nextEvent(element, 'open');
    await server(scope, 'silent');
    const closed = nextEvent<CloseEvent>(element, 'close');
    const started = performance.now();
    element.close();
    expect(element.status).to.equal('closing');
    const close = await closed;
    // Chromium itself would wait 60 s for the peer's close frame.
    expect(performance.now() - started).to.be.within(150, 2000);
    expect([close.code, close.wasClean]).to.deep.equal([1006, false]);
    expect(element.status).to.equal('closed');
    expect(element.socket).to.equal(null);
  });
});
