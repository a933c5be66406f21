import { expect, waitUntil } from '@open-wc/testing';
import type { RetryEvent } from '../../src/ws-connection.js';
import { connection, nextEvent, record, server, statusBecomes, type ServerStats } from './helpers.js';

// Fast, jitter-free backoff so every delay is known exactly.
const fast = { 'retry-delay': '30', 'retry-jitter': '0', 'retry-factor': '2' };

describe('retrying', () => {
  it('reconnects after the server kills the connection: close 1006, retry, reconnecting, open', async () => {
    const { element, scope } = await connection(fast);
    await nextEvent(element, 'open');
    const events = record(element, 'close', 'retry', 'statuschange', 'open');
    const reopened = nextEvent(element, 'open');
    await server(scope, 'kill');
    await reopened;
    const summary = events.map((event) =>
      event instanceof CloseEvent
        ? `close ${event.code}`
        : event.type === 'statuschange'
          ? `status ${(event as CustomEvent<{ status: string }>).detail.status}`
          : event.type,
    );
    expect(summary).to.deep.equal(['close 1006', 'retry', 'status reconnecting', 'status open', 'open']);
    const retry = events.find((event) => event.type === 'retry') as RetryEvent;
    expect(retry.detail).to.deep.equal({ attempt: 1, delay: 30 });
    expect(retry.cancelable).to.equal(true);
    expect(element.attempt).to.equal(1);
  });

  it('grows the delay by retry-factor and caps it at retry-max-delay, staying reconnecting throughout', async () => {
    const { element, scope } = await connection({ ...fast, 'retry-max-delay': '100' });
    await nextEvent(element, 'open');
    // Long enough for four refused retries (30 + 60 + 100 + 100 ms of delays) even where each refused handshake
    // takes up to ~100 ms (WebKitGTK: 18–94 ms); 400 ms let WebKit's fourth attempt through (1 run in 7).
    await server(scope, 'refuse', { ms: 1000 });
    const retries = record<RetryEvent>(element, 'retry');
    const statuses = record<CustomEvent<{ status: string }>>(element, 'statuschange');
    const reopened = nextEvent(element, 'open');
    await server(scope, 'kill');
    await reopened;
    const delays = retries.map((event) => event.detail.delay);
    expect(delays.slice(0, 4)).to.deep.equal([30, 60, 100, 100]);
    expect(retries.map((event) => event.detail.attempt)).to.deep.equal(delays.map((_, index) => index + 1));
    expect(statuses.map((event) => event.detail.status)).to.deep.equal(['reconnecting', 'open']);
  });

  it('waits the jittered delay it announces', async () => {
    const { element, scope } = await connection({ 'retry-delay': '300', 'retry-jitter': '0.5' });
    await nextEvent(element, 'open');
    const retry = nextEvent<RetryEvent>(element, 'retry');
    await server(scope, 'kill');
    const { detail } = await retry;
    const scheduled = performance.now();
    expect(detail.delay).to.be.within(150, 300);
    await nextEvent(element, 'open');
    expect(performance.now() - scheduled).to.be.at.least(detail.delay - 5);
  });

  it('gives up after max-retries with status failed', async () => {
    const { element, scope } = await connection({ ...fast, 'max-retries': '2' });
    await nextEvent(element, 'open');
    await server(scope, 'refuse', { ms: 60000 });
    const retries = record<RetryEvent>(element, 'retry');
    await server(scope, 'kill');
    await statusBecomes(element, 'failed');
    expect(retries.map((event) => event.detail.attempt)).to.deep.equal([1, 2]);
    // The first connection, then exactly two refused retries.
    expect((await server<ServerStats>(scope, 'stats')).handshakes).to.equal(3);
  });

  it('never retries with max-retries="0"', async () => {
    const { element, scope } = await connection({ ...fast, 'max-retries': '0' });
    await nextEvent(element, 'open');
    const retries = record(element, 'retry');
    await server(scope, 'kill');
    await statusBecomes(element, 'failed');
    expect(retries).to.have.length(0);
  });

  it('stops for good on a stop code, with a close event and no error', async () => {
    const { element, scope } = await connection(fast);
    await nextEvent(element, 'open');
    const events = record(element, 'error', 'retry');
    const closed = nextEvent<CloseEvent>(element, 'close');
    await server(scope, 'close', { code: 1008, reason: 'policy' });
    const close = await closed;
    expect([close.code, close.reason, close.wasClean]).to.deep.equal([1008, 'policy', true]);
    expect(element.status).to.equal('failed');
    expect(events).to.have.length(0);
  });

  it('retries a normal 1000 close, and honours custom stop-codes ranges', async () => {
    const { element, scope } = await connection({ ...fast, 'stop-codes': '4000-4099' });
    await nextEvent(element, 'open');
    const retried = nextEvent(element, 'retry');
    await server(scope, 'close', { code: 1000 });
    await retried;
    await nextEvent(element, 'open');
    // 1008 is no longer final; 4042 is.
    const reopened = nextEvent(element, 'open');
    await server(scope, 'close', { code: 1008 });
    await reopened;
    await server(scope, 'close', { code: 4042 });
    await statusBecomes(element, 'failed');
  });

  it('retries every close with stop-codes=""', async () => {
    const { element, scope } = await connection({ ...fast, 'stop-codes': '' });
    await nextEvent(element, 'open');
    const retried = nextEvent(element, 'retry');
    await server(scope, 'close', { code: 1008 });
    await retried;
    expect(element.status).to.equal('reconnecting');
  });

  it('stops retrying when the retry event is cancelled', async () => {
    const { element, scope } = await connection(fast);
    await nextEvent(element, 'open');
    element.addEventListener('retry', (event) => event.preventDefault(), { once: true });
    const closed = statusBecomes(element, 'closed');
    await server(scope, 'kill');
    await closed;
    expect(element.socket).to.equal(null);
    const stats = await server<ServerStats>(scope, 'stats');
    expect(stats.handshakes).to.equal(1);
  });

  it('keeps backing off when a server accepts and drops at once (min-uptime)', async () => {
    const { element, scope } = await connection({ ...fast, 'min-uptime': '5000' });
    await nextEvent(element, 'open');
    await server(scope, 'drop', { count: 3 });
    const retries = record<RetryEvent>(element, 'retry');
    await server(scope, 'kill');
    // Three connections open and drop at once; then one stays.
    await nextEvent(element, 'open', () => retries.length === 4);
    expect(retries.map((event) => event.detail.attempt)).to.deep.equal([1, 2, 3, 4]);
    expect(retries.map((event) => event.detail.delay)).to.deep.equal([30, 60, 120, 240]);
  });

  it('resets the attempt count once a connection stays open for min-uptime', async () => {
    const { element, scope } = await connection({ ...fast, 'min-uptime': '100' });
    await nextEvent(element, 'open');
    const reopened = nextEvent(element, 'open');
    await server(scope, 'kill');
    await reopened;
    const openedAt = performance.now();
    expect(element.attempt).to.equal(1);
    await waitUntil(() => element.attempt === 0, 'attempt not reset', { timeout: 2000 });
    expect(performance.now() - openedAt).to.be.at.least(95);
    const retry = nextEvent<RetryEvent>(element, 'retry');
    await server(scope, 'kill');
    expect((await retry).detail.attempt).to.equal(1);
  });
});
