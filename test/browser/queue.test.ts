import { expect } from '@open-wc/testing';
import type { WsConnectionError } from '../../src/ws-connection.js';
import { connection, nextEvent, server, type ReceivedFrame } from './helpers.js';

function thrown(run: () => unknown): WsConnectionError {
  try {
    run();
  } catch (error) {
    return error as WsConnectionError;
  }
  throw new Error('expected a throw');
}

describe('the send queue', () => {
  it('holds sends while not open and flushes them in order, once, before later sends', async () => {
    const { element, scope } = await connection({ manual: true });
    expect(element.send('one')).to.equal(false);
    expect(element.send('two')).to.equal(false);
    expect(element.queued).to.equal(2);
    element.addEventListener('open', () => element.send('three'), { once: true });
    element.connect();
    await nextEvent(element, 'open');
    expect(element.queued).to.equal(0);
    const echoes: string[] = [];
    element.addEventListener('message', (event) => echoes.push(event.data as string));
    await nextEvent(element, 'message', () => echoes.length === 3);
    expect(echoes).to.deep.equal(['one', 'two', 'three']);
    const received = await server<ReceivedFrame[]>(scope, 'received');
    expect(received.map((frame) => frame.data)).to.deep.equal(['one', 'two', 'three']);
  });

  it('keeps what was queued across a drop and sends it after reconnecting', async () => {
    const { element, scope } = await connection({ 'retry-delay': '50', 'retry-jitter': '0' });
    await nextEvent(element, 'open');
    const retrying = nextEvent(element, 'retry');
    await server(scope, 'kill');
    await retrying;
    expect(element.send('while away')).to.equal(false);
    const echo = await nextEvent<MessageEvent>(element, 'message');
    expect(echo.data).to.equal('while away');
    expect(element.queued).to.equal(0);
  });

  it('throws queue-full and holds nothing more when the queue is full', async () => {
    const { element } = await connection({ manual: true, 'queue-limit': '2' });
    element.send('a');
    element.send('b');
    const error = thrown(() => element.send('c'));
    expect(error.code).to.equal('queue-full');
    expect(error).to.be.instanceOf(Error);
    expect(element.queued).to.equal(2);
  });

  it('throws not-open with queue-limit="0" while not open', async () => {
    const { element } = await connection({ manual: true, 'queue-limit': '0' });
    expect(thrown(() => element.send('a')).code).to.equal('not-open');
    expect(element.queued).to.equal(0);
  });

  it('keeps the queue through close() and flushes it on a later connect()', async () => {
    const { element, scope } = await connection();
    await nextEvent(element, 'open');
    element.close();
    expect(element.status).to.equal('closing');
    await nextEvent(element, 'close');
    expect(element.status).to.equal('closed');
    element.send('later');
    expect(element.queued).to.equal(1);
    element.connect();
    await nextEvent(element, 'message');
    const received = await server<ReceivedFrame[]>(scope, 'received');
    expect(received.map((frame) => frame.data)).to.deep.equal(['later']);
  });
});

describe('json', () => {
  it('parses text frames and stringifies what is sent', async () => {
    const { element, scope } = await connection({ json: true });
    await nextEvent(element, 'open');
    const echo = nextEvent<MessageEvent>(element, 'message');
    element.send({ hello: 'world', n: [1, 2] });
    expect((await echo).data).to.deep.equal({ hello: 'world', n: [1, 2] });
    const received = await server<ReceivedFrame[]>(scope, 'received');
    expect(received[0]!.data).to.equal('{"hello":"world","n":[1,2]}');
  });

  it('sends strings as they are', async () => {
    const { element, scope } = await connection({ json: true });
    await nextEvent(element, 'open');
    const echo = nextEvent(element, 'message');
    element.send('{"already":"json"}');
    await echo;
    expect((await server<ReceivedFrame[]>(scope, 'received'))[0]!.data).to.equal('{"already":"json"}');
  });

  it('throws serialize for a value JSON cannot hold, and queues nothing', async () => {
    const { element } = await connection({ json: true, manual: true });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    for (const value of [circular, 10n, undefined, () => 1]) {
      expect(thrown(() => element.send(value)).code).to.equal('serialize');
    }
    expect(element.queued).to.equal(0);
  });

  it('reports a frame that is not JSON as a parse error with the raw text, and no message', async () => {
    const { element, scope } = await connection({ json: true });
    await nextEvent(element, 'open');
    const messages: MessageEvent[] = [];
    element.addEventListener('message', (event) => messages.push(event));
    const error = nextEvent<ErrorEvent>(element, 'error');
    await server(scope, 'push', { data: 'not { json' });
    const { error: cause, message } = await error;
    expect(cause.code).to.equal('parse');
    expect(cause.data).to.equal('not { json');
    expect(message).to.be.a('string').and.not.equal('');
    expect(messages).to.have.length(0);
    expect(element.status).to.equal('open');
  });
});
