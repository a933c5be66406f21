import { expect, waitUntil } from '@open-wc/testing';
import type { RetryEvent } from '../../src/ws-connection.js';
import { connection, nextEvent, record, server, statusBecomes, type ReceivedFrame } from './helpers.js';

/**
 * A socket that opened or received a frame within the last second is not
 * probed. No event marks the end of that second, so the tests wait it out.
 */
function pastProbeGrace(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1100));
}

/** Holds the main thread, as a long task or a suspended page does: timers fall due and cannot run. */
function blockMainThread(ms: number): number {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Busy on purpose.
  }
  return performance.now();
}

/** Times of every heartbeat reply the socket receives (the element hides them from `message`). */
function replyTimes(socket: WebSocket, reply = 'pong'): number[] {
  const times: number[] = [];
  socket.addEventListener('message', (event) => {
    if (event.data === reply) times.push(performance.now());
  });
  return times;
}

/** Sets `document.visibilityState` for the page until the returned function restores it. */
function pretendVisibility(state: DocumentVisibilityState): () => void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  return () => {
    delete (document as { visibilityState?: unknown }).visibilityState;
  };
}

const signals: [name: string, send: () => void][] = [
  ['online', () => window.dispatchEvent(new Event('online'))],
  // Headless pages are always visible (every engine here reports `visible`), and no portable command hides
  // one; the element reads `document.visibilityState` when the event comes, which is what a real change gives.
  ['visibilitychange to visible', () => document.dispatchEvent(new Event('visibilitychange'))],
  // `resume` exists only in Chromium (Page Lifecycle); elsewhere the element listens all the same. A real
  // freeze is the Chromium-only test in freeze.test.ts.
  ['resume', () => document.dispatchEvent(new Event('resume'))],
];

describe('noticing a dead connection sooner', () => {
  before(() => {
    expect(document.visibilityState).to.equal('visible');
  });

  for (const [name, send] of signals) {
    it(`probes a half-open socket on ${name}: heartbeat error and reconnecting within the heartbeat timeout, not the interval`, async () => {
      const { element, scope } = await connection({
        'heartbeat-interval': '60000',
        'heartbeat-timeout': '300',
        'retry-delay': '10000',
      });
      await nextEvent(element, 'open');
      await server(scope, 'silent');
      await pastProbeGrace();
      const events = record(element, 'error', 'close', 'retry');
      const error = nextEvent<ErrorEvent>(element, 'error');
      const reconnecting = statusBecomes(element, 'reconnecting');
      const sentAt = performance.now();
      send();
      expect((await error).error.code).to.equal('heartbeat');
      await reconnecting;
      expect(performance.now() - sentAt).to.be.within(250, 2000);
      expect(events.map((event) => event.type)).to.deep.equal(['error', 'close', 'retry']);
    });
  }

  it('ignores a visibilitychange that leaves the page hidden', async () => {
    const { element, scope } = await connection({ 'heartbeat-interval': '60000', 'heartbeat-timeout': '300' });
    await nextEvent(element, 'open');
    await pastProbeGrace();
    const restore = pretendVisibility('hidden');
    try {
      document.dispatchEvent(new Event('visibilitychange'));
    } finally {
      restore();
    }
    // A frame sent after it arrives after anything it made the element send.
    element.send('marker');
    let received: ReceivedFrame[] = [];
    await waitUntil(async () => (received = await server<ReceivedFrame[]>(scope, 'received')).length > 0);
    expect(received.map((frame) => frame.data)).to.deep.equal(['marker']);
  });

  it('a healthy server answers the probe: nothing else happens, and the next heartbeat comes an interval after the reply', async () => {
    const { element, scope } = await connection({ 'heartbeat-interval': '2000', 'heartbeat-timeout': '1000' });
    await nextEvent(element, 'open');
    const replies = replyTimes(element.socket!);
    const events = record(element, 'message', 'error', 'close', 'retry', 'statuschange');
    await pastProbeGrace();
    document.dispatchEvent(new Event('visibilitychange'));
    await waitUntil(() => replies.length >= 2, 'no second heartbeat', { timeout: 5000 });
    // The regular heartbeat was due 2000 ms after the open, about 900 ms after the probe; the probe took its place.
    expect(replies[1]! - replies[0]!).to.be.within(1900, 2700);
    const received = await server<ReceivedFrame[]>(scope, 'received');
    expect(received.map((frame) => frame.data)).to.deep.equal(['ping', 'ping']);
    expect(events).to.have.length(0);
    expect(element.status).to.equal('open');
  });

  it('a main thread blocked longer than the interval sends one probe at once when it unblocks', async () => {
    const { element, scope } = await connection({ 'heartbeat-interval': '1000', 'heartbeat-timeout': '2000' });
    await nextEvent(element, 'open');
    const replies = replyTimes(element.socket!);
    const events = record(element, 'error', 'close', 'retry');
    const unblockedAt = blockMainThread(2500);
    await waitUntil(() => replies.length >= 1, 'no probe after the block', { timeout: 3000 });
    expect(replies[0]! - unblockedAt).to.be.below(500);
    // One frame, not one per overdue timer; the next comes an interval after its reply.
    expect((await server<ReceivedFrame[]>(scope, 'received')).map((frame) => frame.data)).to.deep.equal(['ping']);
    await waitUntil(() => replies.length >= 2, 'no heartbeat after the probe', { timeout: 3000 });
    expect(replies[1]! - replies[0]!).to.be.within(900, 1700);
    expect(events).to.have.length(0);
    expect(element.status).to.equal('open');
  });

  it('with heartbeats off, no frame is sent on any signal, nor after a blocked main thread', async () => {
    const { element, scope } = await connection();
    await nextEvent(element, 'open');
    const events = record(element, 'error', 'close', 'retry', 'statuschange');
    await pastProbeGrace();
    for (const [, send] of signals) send();
    blockMainThread(1500);
    // One task later, the timers the block made overdue have run: anything they sent precedes the marker.
    await new Promise((resolve) => setTimeout(resolve));
    element.send('marker');
    let received: ReceivedFrame[] = [];
    await waitUntil(async () => (received = await server<ReceivedFrame[]>(scope, 'received')).length > 0);
    expect(received.map((frame) => frame.data)).to.deep.equal(['marker']);
    expect(events).to.have.length(0);
    expect(element.status).to.equal('open');
  });

  it('a retry waiting 10 s runs at once when the page becomes visible', async () => {
    const { element, scope } = await connection({ 'retry-delay': '10000', 'retry-jitter': '0' });
    await nextEvent(element, 'open');
    const retrying = nextEvent<RetryEvent>(element, 'retry');
    await server(scope, 'kill');
    expect((await retrying).detail.delay).to.equal(10000);
    await statusBecomes(element, 'reconnecting');
    const opened = nextEvent(element, 'open');
    const visibleAt = performance.now();
    document.dispatchEvent(new Event('visibilitychange'));
    await opened;
    expect(performance.now() - visibleAt).to.be.below(3000);
    expect(element.status).to.equal('open');
  });
});
