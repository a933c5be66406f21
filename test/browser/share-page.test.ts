/**
 * `share="page"`: the elements of one document with the same share key use
 * one connection (test/share/ has the group's unit tests).
 */
import { expect, waitUntil } from '@open-wc/testing';
import type { WsConnection } from '../../src/ws-connection.js';
import {
  newScope,
  nextEvent,
  record,
  server,
  statusBecomes,
  warningsDuring,
  type ReceivedFrame,
  type ServerStats,
} from './helpers.js';

const made: WsConnection[] = [];
let scope = '';

afterEach(async () => {
  for (const element of made.splice(0)) element.remove();
  await server(scope, 'reset');
});

/** `count` elements with `share="page"` on one fresh scope, attached in one go. */
async function sharing(count: number, attributes: Record<string, string> = {}): Promise<WsConnection[]> {
  scope = newScope('share-page');
  const url = await server<string>(scope, 'url');
  const elements = Array.from({ length: count }, () => {
    const element = document.createElement('ws-connection');
    for (const [name, value] of Object.entries({ share: 'page', 'retry-delay': '30', ...attributes })) {
      element.setAttribute(name, value);
    }
    element.setAttribute('url', url);
    return element;
  });
  made.push(...elements);
  document.body.append(...elements);
  return elements;
}

/** Every element open (at once for those already open). */
const allOpen = (elements: (WsConnection | undefined)[]): Promise<unknown> =>
  Promise.all(elements.map((element) => statusBecomes(element!, 'open')));

const stats = (): Promise<ServerStats> => server<ServerStats>(scope, 'stats');

describe('share="page"', () => {
  it('five elements, one connection: every echo reaches all five, statuses and events match', async () => {
    const elements = await sharing(5);
    const events = elements.map((element) => record(element, 'open', 'statuschange', 'message'));
    await allOpen(elements);
    expect((await stats()).accepted).to.equal(1);
    expect(elements.every((element) => element.socket === elements[0]!.socket)).to.equal(true);

    const echoes = elements.map((element) => nextEvent<MessageEvent>(element, 'message'));
    expect(elements[2]!.send('from the third')).to.equal(true);
    expect((await Promise.all(echoes)).map((event) => event.data)).to.deep.equal(Array(5).fill('from the third'));
    const types = events.map((list) => list.map((event) => event.type));
    for (const list of types) expect(list).to.deep.equal(types[0]);
    expect(types[0]).to.include('open');
  });

  it('removing four keeps the socket; removing the last closes it with 1000', async () => {
    const elements = await sharing(5);
    await allOpen(elements);
    const last = elements.pop()!;
    const closes = elements.map((element) => nextEvent<CloseEvent>(element, 'close'));
    for (const element of elements) element.remove();
    for (const close of await Promise.all(closes)) expect([close.code, close.wasClean]).to.deep.equal([1000, true]);
    expect(elements.every((element) => element.status === 'closed')).to.equal(true);
    expect(last.status).to.equal('open');
    const echo = nextEvent<MessageEvent>(last, 'message');
    last.send('still here');
    expect((await echo).data).to.equal('still here');
    expect((await stats()).open).to.equal(1);

    last.remove();
    await waitUntil(async () => (await stats()).closeCodes.length === 1);
    expect((await stats()).closeCodes).to.deep.equal([1000]);
    expect((await stats()).accepted).to.equal(1);
  });

  it('json is per element: the one with json parses, the others get the text', async () => {
    const [plain, parsing] = await sharing(2);
    parsing!.json = true;
    await allOpen([plain, parsing]);
    const texts = nextEvent<MessageEvent>(plain!, 'message');
    const objects = nextEvent<MessageEvent>(parsing!, 'message');
    parsing!.send({ n: 1 });
    expect((await texts).data).to.equal('{"n":1}');
    expect((await objects).data).to.deep.equal({ n: 1 });
  });

  it('a joiner with a different retry-delay gets one warning naming it; the group keeps its own', async () => {
    const [first] = await sharing(1);
    await nextEvent(first!, 'open');
    const joiner = document.createElement('ws-connection');
    made.push(joiner);
    joiner.setAttribute('share', 'page');
    joiner.setAttribute('retry-delay', '5000');
    joiner.setAttribute('url', first!.url);
    const warnings = await warningsDuring(() => document.body.append(joiner));
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain('retry-delay');
    expect(joiner.status).to.equal('open');
    const retry = nextEvent<CustomEvent<{ delay: number }>>(joiner, 'retry');
    await server(scope, 'kill');
    expect((await retry).detail.delay).to.be.at.most(30);
  });

  it('a server kill reconnects once for all: close, retry, reconnecting and open on each', async () => {
    const elements = await sharing(3);
    await allOpen(elements);
    const events = elements.map((element) => record(element, 'close', 'retry', 'open'));
    const reopened = elements.map((element) => nextEvent(element, 'open'));
    await server(scope, 'kill');
    await Promise.all(reopened);
    for (const list of events) expect(list.map((event) => event.type)).to.deep.equal(['close', 'retry', 'open']);
    expect((await stats()).accepted).to.equal(2);
  });

  it('close() on one member leaves: it alone hears a clean close; a later connect() joins again', async () => {
    const [a, b] = await sharing(2);
    await allOpen([a, b]);
    const others = record(b!, 'close', 'statuschange');
    const closed = nextEvent<CloseEvent>(a!, 'close');
    a!.close();
    expect([(await closed).code, a!.status]).to.deep.equal([1000, 'closed']);
    expect(others).to.have.length(0);
    const opened = nextEvent(a!, 'open');
    a!.connect();
    await opened;
    expect((await stats()).accepted).to.equal(1);
  });

  it('changing share while open moves the element: it leaves the group (clean close) and connects on its own', async () => {
    const [a, b] = await sharing(2);
    await allOpen([a, b]);
    const closed = nextEvent<CloseEvent>(a!, 'close');
    const reopened = nextEvent(a!, 'open');
    a!.share = '';
    expect([(await closed).code, (await closed).wasClean]).to.deep.equal([1000, true]);
    await reopened;
    expect(a!.socket).to.not.equal(b!.socket);
    expect(b!.status).to.equal('open');
    expect((await stats()).accepted).to.equal(2);
    expect((await stats()).open).to.equal(2);
  });

  it('setting share while open moves the element into the group: its own socket closes at once, then the group opens', async () => {
    scope = newScope('share-page');
    const element = document.createElement('ws-connection');
    made.push(element);
    element.url = await server<string>(scope, 'url');
    document.body.append(element);
    await statusBecomes(element, 'open');
    const own = element.socket;
    const events = record(element, 'close', 'statuschange', 'open');
    const opened = nextEvent(element, 'open');
    element.share = 'page';
    await opened;
    // Its own socket's closing handshake ends later; the element heard of that socket once, before the group.
    await waitUntil(async () => (await stats()).open === 1, 'the own socket closed at the server');
    expect(
      events.map((event) =>
        event instanceof CustomEvent
          ? (event as CustomEvent<{ status: string }>).detail.status
          : `${event.type}${event instanceof CloseEvent ? ` ${event.code}` : ''}`,
      ),
    ).to.deep.equal(['close 1000', 'closed', 'connecting', 'open', 'open']);
    expect(element.socket).to.not.equal(own);
    expect(element.getAttribute('status')).to.equal('open');
    expect((await stats()).closeCodes).to.deep.equal([1000]);
  });

  it('what an element queued before it started sharing is sent by the group, once', async () => {
    scope = newScope('share-page');
    const element = document.createElement('ws-connection');
    made.push(element);
    element.manual = true;
    element.url = await server<string>(scope, 'url');
    document.body.append(element);
    expect(element.send('queued alone')).to.equal(false);
    element.share = 'page';
    expect(element.queued).to.equal(1);
    const echo = nextEvent<MessageEvent>(element, 'message');
    element.connect();
    expect((await echo).data).to.equal('queued alone');
    const received = await server<ReceivedFrame[]>(scope, 'received');
    expect(received.map((frame) => frame.data)).to.deep.equal(['queued alone']);
  });

  it('a bad share value warns and means not shared', async () => {
    const element = document.createElement('ws-connection');
    made.push(element);
    const warnings = await warningsDuring(() => element.setAttribute('share', 'everywhere'));
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain('share="everywhere"');
    expect(element.share).to.equal('');
  });

  it('elements with other URLs or protocols do not share', async () => {
    const [a] = await sharing(1);
    const other = document.createElement('ws-connection');
    made.push(other);
    other.setAttribute('share', 'page');
    other.setAttribute('protocols', 'chat');
    other.setAttribute('url', a!.url);
    document.body.append(other);
    await allOpen([a, other]);
    expect(a!.socket).not.to.equal(other.socket);
    expect((await stats()).accepted).to.equal(2);
  });
});
