import { expect } from '@open-wc/testing';
import {
  connection,
  nextEvent,
  record,
  server,
  statusBecomes,
  type ReceivedFrame,
  type ServerStats,
} from './helpers.js';

describe('connecting', () => {
  it('connects when attached, reflecting each status and firing open', async () => {
    const { element } = await connection({}, { attach: false });
    const changes = record<CustomEvent<{ status: string; previous: string }>>(element, 'statuschange');
    const opened = nextEvent(element, 'open');
    document.body.append(element);
    expect(element.status).to.equal('connecting');
    expect(element.getAttribute('status')).to.equal('connecting');
    await opened;
    expect(element.status).to.equal('open');
    expect(element.getAttribute('status')).to.equal('open');
    expect(changes.map((event) => [event.detail.previous, event.detail.status])).to.deep.equal([
      ['closed', 'connecting'],
      ['connecting', 'open'],
    ]);
    expect(element.socket).to.be.instanceOf(WebSocket);
    expect(element.socket!.readyState).to.equal(WebSocket.OPEN);
  });

  it('relays frames as MessageEvents that neither bubble nor compose', async () => {
    const { element, scope } = await connection();
    await nextEvent(element, 'open');
    const received = nextEvent<MessageEvent>(element, 'message');
    let reachedBody = false;
    document.body.addEventListener('message', () => (reachedBody = true), { once: true });
    await server(scope, 'push', { data: 'hello' });
    const event = await received;
    expect(event).to.be.instanceOf(MessageEvent);
    expect(event.data).to.equal('hello');
    expect(event.origin).to.equal(new URL(element.socket!.url).origin);
    expect(event.bubbles).to.equal(false);
    expect(event.composed).to.equal(false);
    expect(reachedBody).to.equal(false);
  });

  it('sends when open and returns true', async () => {
    const { element, scope } = await connection();
    await nextEvent(element, 'open');
    const echoed = nextEvent<MessageEvent>(element, 'message');
    expect(element.send('hi there')).to.equal(true);
    expect((await echoed).data).to.equal('hi there');
    expect(await server<ReceivedFrame[]>(scope, 'received')).to.deep.equal([{ data: 'hi there', binary: false }]);
  });

  it('passes binary-type to the socket', async () => {
    const { element, scope } = await connection({ 'binary-type': 'arraybuffer' });
    await nextEvent(element, 'open');
    expect(element.socket!.binaryType).to.equal('arraybuffer');
    const received = nextEvent<MessageEvent>(element, 'message');
    await server(scope, 'send-binary', { bytes: [1, 2, 3] });
    const { data } = await received;
    expect(data).to.be.instanceOf(ArrayBuffer);
    expect([...new Uint8Array(data as ArrayBuffer)]).to.deep.equal([1, 2, 3]);
  });

  it('receives binary frames as Blobs by default and sends binary data', async () => {
    const { element, scope } = await connection();
    await nextEvent(element, 'open');
    const echoed = nextEvent<MessageEvent>(element, 'message');
    element.send(new Uint8Array([7, 8]));
    const { data } = await echoed;
    expect(data).to.be.instanceOf(Blob);
    expect([...new Uint8Array(await (data as Blob).arrayBuffer())]).to.deep.equal([7, 8]);
    expect(await server<ReceivedFrame[]>(scope, 'received')).to.deep.equal([{ data: btoa('\x07\x08'), binary: true }]);
  });

  it('offers the protocols, comma or space separated', async () => {
    const { element, scope } = await connection({ protocols: 'chat.v2, chat.v1 json' });
    await nextEvent(element, 'open');
    expect(element.protocols).to.deep.equal(['chat.v2', 'chat.v1', 'json']);
    const stats = await server<ServerStats>(scope, 'stats');
    expect(stats.requests[0]!.protocol).to.equal('chat.v2, chat.v1, json');
  });

  it('turns http: into ws: and https: into wss:', async () => {
    const { element, url } = await connection({}, { attach: false });
    element.url = url.replace('ws:', 'http:');
    document.body.append(element);
    await nextEvent(element, 'open');
    expect(element.socket!.url).to.equal(url);

    element.url = 'https://127.0.0.1:1/secure';
    expect(element.socket!.url).to.equal('wss://127.0.0.1:1/secure');
  });

  it('resolves a relative URL against document.baseURI', async () => {
    const { element, scope, url } = await connection({}, { attach: false });
    const base = document.createElement('base');
    base.href = url.replace('ws:', 'http:').replace(/[^/]+$/, '');
    document.head.append(base);
    try {
      element.url = encodeURIComponent(scope);
      document.body.append(element);
      await nextEvent(element, 'open');
      expect(element.socket!.url).to.equal(url);
    } finally {
      base.remove();
    }
  });

  it('fails an invalid URL with an invalid-url error event and no exception', async () => {
    for (const bad of ['ftp://example.com/feed', 'http://[bad']) {
      const { element } = await connection({}, { attach: false });
      element.url = bad;
      const errors = record<ErrorEvent>(element, 'error');
      document.body.append(element);
      expect(errors).to.have.length(1);
      expect(errors[0]!.error.code).to.equal('invalid-url');
      expect(errors[0]!.message).to.contain(bad);
      expect(element.status).to.equal('failed');
      expect(element.getAttribute('status')).to.equal('failed');
      expect(element.socket).to.equal(null);
    }
  });

  it('makes no connection with an empty URL, and connects when one is set later', async () => {
    const { element, url } = await connection({}, { attach: false });
    element.url = '';
    const changes = record(element, 'statuschange');
    document.body.append(element);
    expect(element.status).to.equal('closed');
    expect(element.socket).to.equal(null);
    expect(changes).to.have.length(0);
    element.url = url;
    expect(element.status).to.equal('connecting');
    await statusBecomes(element, 'open');
  });

  it('waits for connect() when manual', async () => {
    const { element, scope } = await connection({ manual: true });
    expect(element.status).to.equal('closed');
    expect(element.socket).to.equal(null);
    expect((await server<ServerStats>(scope, 'stats')).handshakes).to.equal(0);
    element.connect();
    expect(element.status).to.equal('connecting');
    await nextEvent(element, 'open');
    expect(element.status).to.equal('open');
  });
});
