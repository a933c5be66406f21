import { expect, waitUntil } from '@open-wc/testing';
import { connection, nextEvent, record, server } from './helpers.js';

describe('connect-timeout and heartbeat', () => {
  it('abandons a handshake slower than connect-timeout with a timeout error, then retries', async () => {
    const { element, scope } = await connection({ 'connect-timeout': '100', 'retry-delay': '20' }, { attach: false });
    await server(scope, 'delay', { ms: 400 });
    const events = record(element, 'error', 'close', 'retry');
    const started = performance.now();
    document.body.append(element);
    const retried = nextEvent(element, 'retry');
    const error = await nextEvent<ErrorEvent>(element, 'error');
    expect(performance.now() - started).to.be.within(90, 350);
    expect(error.error.code).to.equal('timeout');
    await retried;
    expect(events.map((event) => event.type)).to.deep.equal(['error', 'close', 'retry']);
    expect((events[1] as CloseEvent).code).to.equal(1006);
    expect(element.status).to.equal('reconnecting');
    await server(scope, 'delay', { ms: 0 });
    await nextEvent(element, 'open');
  });

  it('waits as long as it takes with connect-timeout="0"', async () => {
    const { element, scope } = await connection({ 'connect-timeout': '0' }, { attach: false });
    await server(scope, 'delay', { ms: 300 });
    const errors = record(element, 'error');
    document.body.append(element);
    await nextEvent(element, 'open');
    expect(errors).to.have.length(0);
  });

  it('detects a half-open connection: heartbeat error, close, retry, open again', async () => {
    const { element, scope } = await connection({
      'heartbeat-interval': '100',
      'heartbeat-timeout': '150',
      'retry-delay': '20',
    });
    await nextEvent(element, 'open');
    const events = record(element, 'error', 'close', 'retry', 'open');
    await server(scope, 'silent');
    const silentAt = performance.now();
    const error = await nextEvent<ErrorEvent>(element, 'error');
    expect(error.error.code).to.equal('heartbeat');
    // 100 ms idle before the ping, then 150 ms without an answer.
    expect(performance.now() - silentAt).to.be.within(150, 600);
    await nextEvent(element, 'open');
    expect(events.map((event) => event.type)).to.deep.equal(['error', 'close', 'retry', 'open']);
  });

  it('sends the heartbeat message when idle and hides the reply', async () => {
    const { element, scope } = await connection({
      'heartbeat-interval': '60',
      'heartbeat-timeout': '1000',
      'heartbeat-message': 'ping',
      'heartbeat-reply': 'pong',
    });
    await nextEvent(element, 'open');
    const messages = record<MessageEvent>(element, 'message');
    // Each ping is answered, so the next one follows an interval after the answer.
    let received: { data: string }[] = [];
    await waitUntil(async () => (received = await server(scope, 'received')).length >= 3, 'too few pings', {
      timeout: 2000,
    });
    expect(received.every((frame) => frame.data === 'ping')).to.equal(true);
    expect(messages).to.have.length(0);
    expect(element.status).to.equal('open');
  });

  it('dispatches a frame equal to heartbeat-reply when heartbeats are off', async () => {
    const { element, scope } = await connection({ json: true });
    await nextEvent(element, 'open');
    const message = nextEvent<MessageEvent>(element, 'message');
    await server(scope, 'push', { data: '"pong"' });
    expect((await message).data).to.equal('pong');
    const raw = nextEvent<ErrorEvent>(element, 'error');
    await server(scope, 'push', { data: 'pong' });
    // With json and heartbeats off, a bare `pong` is just text that is not JSON.
    expect((await raw).error.code).to.equal('parse');
  });

  it('never parses the heartbeat reply as JSON', async () => {
    const { element, scope } = await connection({ json: true, 'heartbeat-interval': '5000' });
    await nextEvent(element, 'open');
    const events = record(element, 'message', 'error');
    const message = nextEvent<MessageEvent>(element, 'message');
    await server(scope, 'push', { data: 'pong' });
    await server(scope, 'push', { data: '{"after":true}' });
    const after = await message;
    expect(after.data).to.deep.equal({ after: true });
    expect(events.map((event) => event.type)).to.deep.equal(['message']);
  });
});
