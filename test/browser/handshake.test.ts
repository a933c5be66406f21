import { expect } from '@open-wc/testing';
import type { HandshakeContext, WsConnectionError } from '../../src/ws-connection.js';
import {
  connection,
  nextEvent,
  record,
  server,
  warningsDuring,
  type ReceivedFrame,
  type ServerStats,
} from './helpers.js';

/** Frames as the fault server received them, text only. */
async function received(scope: string): Promise<string[]> {
  return (await server<ReceivedFrame[]>(scope, 'received')).map((frame) => frame.data);
}

describe('handshake', () => {
  it('runs on the open socket before open: its frames go first, then the queue; status stays connecting', async () => {
    const { element, scope } = await connection({ manual: true });
    const statuses: string[] = [];
    element.addEventListener('statuschange', (event) => statuses.push(event.detail.status));
    element.handshake = async ({ send, receive }) => {
      expect(element.status).to.equal('connecting');
      send('init');
      expect(await receive()).to.equal('init'); // the echo
      expect(element.send('during')).to.equal(false);
    };
    element.send('queued');
    element.connect();
    await nextEvent(element, 'open');
    expect(statuses).to.deep.equal(['connecting', 'open']);
    const echoes: string[] = [];
    element.addEventListener('message', (event) => echoes.push(event.data as string));
    await nextEvent(element, 'message', () => echoes.length === 2);
    expect(echoes).to.deep.equal(['queued', 'during']);
    expect(await received(scope)).to.deep.equal(['init', 'queued', 'during']);
  });

  it('frames nobody claimed are dispatched as message right after open, in order, none dropped', async () => {
    const { element } = await connection({ manual: true });
    const events = record(element, 'open', 'message');
    element.handshake = async ({ send, receive }) => {
      // The raw socket shows when all three echoes are in; the handshake claims only the first.
      const socket = element.socket!;
      const arrived = new Promise<void>((resolve) => {
        let count = 0;
        socket.addEventListener('message', () => ++count === 3 && resolve());
      });
      send('one');
      send('two');
      send('three');
      expect(await receive()).to.equal('one');
      await arrived;
    };
    element.connect();
    await nextEvent(element, 'open');
    expect(events.map((event) => (event instanceof MessageEvent ? (event.data as string) : event.type))).to.deep.equal([
      'open',
      'two',
      'three',
    ]);
  });

  it('a rejection fails the attempt: error handshake with the cause, the server sees 1000, then retry and a new handshake', async () => {
    const { element, scope } = await connection({ manual: true, 'retry-delay': '30', 'retry-jitter': '0' });
    let runs = 0;
    const cause = new Error('auth refused');
    element.handshake = () => (++runs === 1 ? Promise.reject(cause) : undefined);
    const events = record(element, 'error', 'close', 'retry', 'open');
    element.connect();
    await nextEvent(element, 'open');
    expect(events.map((event) => event.type)).to.deep.equal(['error', 'close', 'retry', 'open']);
    const error = (events[0] as ErrorEvent).error as WsConnectionError;
    expect(error.code).to.equal('handshake');
    expect(error.cause).to.equal(cause);
    expect((events[1] as CloseEvent).code).to.equal(1000);
    expect(runs).to.equal(2);
    await expectServerClose(scope, 1000);
  });

  it('a server that closes during the handshake: receive() rejects, the signal aborts, close then retry', async () => {
    const { element, scope } = await connection({ manual: true, 'retry-delay': '30', 'retry-jitter': '0' });
    const contexts: HandshakeContext[] = [];
    const outcomes: string[] = [];
    element.handshake = async (context) => {
      contexts.push(context);
      if (contexts.length > 1) return;
      await server(scope, 'close', { code: 4401, reason: 'Unauthorized' });
      await context.receive().catch((error: unknown) => outcomes.push((error as WsConnectionError).code));
    };
    const events = record(element, 'close', 'retry', 'open', 'error');
    element.connect();
    await nextEvent(element, 'open');
    expect(events.map((event) => event.type)).to.deep.equal(['close', 'retry', 'open']);
    expect((events[0] as CloseEvent).code).to.equal(4401);
    expect(outcomes).to.deep.equal(['handshake']);
    expect(contexts[0]!.signal.aborted).to.equal(true);
    expect(contexts[1]!.signal.aborted).to.equal(false);
    expect(() => contexts[0]!.send('late'))
      .to.throw()
      .with.property('code', 'not-open');
  });

  it('connect-timeout counts the handshake', async () => {
    const { element } = await connection({ manual: true, 'connect-timeout': '150', 'retry-delay': '30' });
    let calls = 0;
    element.handshake = ({ signal }) =>
      ++calls === 1 ? new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve())) : undefined;
    const started = performance.now();
    element.connect();
    const error = await nextEvent<ErrorEvent>(element, 'error');
    expect(error.error.code).to.equal('timeout');
    expect(performance.now() - started).to.be.within(140, 1500);
    await nextEvent(element, 'open');
    expect(calls).to.equal(2);
  });

  it('setting it to anything but a function or null throws a TypeError at once', async () => {
    const { element } = await connection({ manual: true });
    expect(() => ((element as unknown as { handshake: unknown }).handshake = 'init')).to.throw(TypeError);
    expect(() => ((element as unknown as { handshake: unknown }).handshake = {})).to.throw(TypeError);
    expect(element.handshake).to.equal(null);
    const run = (): void => undefined;
    element.handshake = run;
    expect(element.handshake).to.equal(run);
    element.handshake = null;
    expect(element.handshake).to.equal(null);
  });

  it('setting it does not reconnect; the next socket runs it', async () => {
    const { element, scope } = await connection();
    await nextEvent(element, 'open');
    let runs = 0;
    element.handshake = () => {
      runs++;
    };
    expect(element.status).to.equal('open');
    expect(runs).to.equal(0);
    element.reconnect();
    await nextEvent(element, 'open');
    expect(runs).to.equal(1);
    expect((await server<ServerStats>(scope, 'stats')).accepted).to.equal(2);
  });

  it('with share="page": the starter’s handshake runs once per socket, with its json', async () => {
    const first = await connection({ manual: true, share: 'page', json: true });
    const url = first.element.url;
    const second = document.createElement('ws-connection');
    second.setAttribute('url', url);
    second.setAttribute('share', 'page');
    second.setAttribute('manual', '');
    const replies: unknown[] = [];
    first.element.handshake = async ({ send, receive }) => {
      send({ type: 'init' });
      replies.push(await receive());
    };
    document.body.append(second);
    first.element.connect();
    const opened = Promise.all([nextEvent(first.element, 'open'), nextEvent(second, 'open')]);
    const warnings = await warningsDuring(() => second.connect());
    await opened;
    second.remove();
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain('handshake');
    expect(replies).to.deep.equal([{ type: 'init' }]);
    expect(await received(first.scope)).to.deep.equal(['{"type":"init"}']);
  });
});

describe('send without queueing, clearQueue, rtt', () => {
  it('send(data, { queue: false }) while not open sends and holds nothing; while open it sends', async () => {
    const { element, scope } = await connection({ manual: true });
    expect(element.send('cursor 1', { queue: false })).to.equal(false);
    expect(element.queued).to.equal(0);
    element.connect();
    await nextEvent(element, 'open');
    expect(element.send('cursor 2', { queue: false })).to.equal(true);
    await nextEvent<MessageEvent>(element, 'message');
    expect(await received(scope)).to.deep.equal(['cursor 2']);
  });

  it('clearQueue() returns the queue, oldest first, as it would have been written, and nothing is sent later', async () => {
    const { element, scope } = await connection({ manual: true, json: true });
    element.send({ n: 1 });
    element.send('two');
    expect(element.clearQueue()).to.deep.equal(['{"n":1}', 'two']);
    expect(element.queued).to.equal(0);
    expect(element.clearQueue()).to.deep.equal([]);
    element.connect();
    await nextEvent(element, 'open');
    element.send({ after: true });
    await nextEvent(element, 'message');
    expect(await received(scope)).to.deep.equal(['{"after":true}']);
  });

  it('rtt and the heartbeat event: null until a reply, then the round trip; the event does not bubble', async () => {
    const { element } = await connection({ 'heartbeat-interval': '50', 'heartbeat-timeout': '1000' });
    await nextEvent(element, 'open');
    expect(element.rtt).to.equal(null);
    let bubbled = false;
    document.body.addEventListener('heartbeat', () => (bubbled = true), { once: true });
    const heartbeat = await nextEvent<CustomEvent<{ rtt: number }>>(element, 'heartbeat');
    expect(heartbeat).to.be.instanceOf(CustomEvent);
    expect(heartbeat.bubbles).to.equal(false);
    expect(heartbeat.detail.rtt).to.be.a('number').within(0, 1000);
    expect(element.rtt).to.equal(heartbeat.detail.rtt);
    expect(bubbled).to.equal(false);
  });

  it('rtt is null again on a new socket', async () => {
    const { element, scope } = await connection({
      'heartbeat-interval': '50',
      'retry-delay': '30',
      'retry-jitter': '0',
    });
    await nextEvent(element, 'heartbeat');
    expect(element.rtt).to.be.a('number');
    const reopened = nextEvent(element, 'open');
    await server(scope, 'kill');
    await reopened;
    expect(element.rtt).to.equal(null);
  });
});

/** The server saw a close with `code` for one of the scope's connections. */
async function expectServerClose(scope: string, code: number): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const { closeCodes } = await server<ServerStats>(scope, 'stats');
    if (closeCodes.includes(code)) return;
    await nextFrame();
  }
  expect((await server<ServerStats>(scope, 'stats')).closeCodes).to.include(code);
}

function nextFrame(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 20));
}
