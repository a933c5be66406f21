import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { RetryEvent } from '../../src/ws-connection.js';
import { connection, nextEvent, record, server, type ServerStats } from './helpers.js';

describe('offline and online', () => {
  it('makes and counts no attempt while offline, and retries at once when back online', async () => {
    const { element, scope } = await connection({ 'retry-delay': '40', 'retry-jitter': '0', 'retry-factor': '1' });
    await nextEvent(element, 'open');
    const onLineAtClose: boolean[] = [];
    element.addEventListener('close', () => onLineAtClose.push(navigator.onLine));
    const retries = record<RetryEvent>(element, 'retry');
    const errors = record(element, 'error');
    const offline = nextEvent(window, 'offline');
    // The element heard `online` before this listener (it subscribed first), so a socket it made at once is there.
    const socketAtOnline = nextEvent(window, 'online').then(() => element.socket);
    // The page loses its network for 800 ms, and the server kills the socket meanwhile.
    await executeServerCommand('go-offline', { ms: 800, kill: scope });
    await offline;
    expect(navigator.onLine).to.equal(false);
    await nextEvent(element, 'retry');
    const socket = await socketAtOnline;
    const onlineAt = performance.now();
    // The socket dropped while offline; over a dozen retry delays passed, yet only that one retry was counted.
    expect(onLineAtClose).to.deep.equal([false]);
    expect(retries.map((event) => event.detail.attempt)).to.deep.equal([1]);
    expect(errors).to.have.length(0);
    expect(element.status).to.equal('reconnecting');
    expect(socket).to.be.instanceOf(WebSocket);
    // Emulation may tell the page it is online a moment before the network service lets sockets
    // through, so attempts right after `online` can still fail; it must get back all the same.
    await nextEvent(element, 'open');
    expect(performance.now() - onlineAt).to.be.below(3000);
    expect((await server<ServerStats>(scope, 'stats')).handshakes).to.be.at.least(2);
  });

  it('cuts a long backoff wait short when the online event fires', async () => {
    const { element, scope } = await connection({ 'retry-delay': '20000', 'retry-jitter': '0' });
    await nextEvent(element, 'open');
    const retrying = nextEvent<RetryEvent>(element, 'retry');
    await server(scope, 'kill');
    expect((await retrying).detail.delay).to.equal(20000);
    const opened = nextEvent(element, 'open');
    window.dispatchEvent(new Event('online'));
    await opened;
    expect(element.status).to.equal('open');
  });
});
