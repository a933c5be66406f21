import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { WsConnection, WsConnectionError } from '../../src/ws-connection.js';
import { newScope, nextEvent, record } from './helpers.js';

/** Drives the SessionServer of test/server/session-server-plugin.js for one scope. */
function sessions<T = unknown>(scope: string, action: string, options: Record<string, unknown> = {}): Promise<T> {
  return executeServerCommand<T, Record<string, unknown>>('session-server', { scope, action, ...options });
}

const made: { element: WsConnection; scope: string }[] = [];

async function resumingElement(): Promise<{ element: WsConnection; scope: string }> {
  const scope = newScope('resume');
  const element = document.createElement('ws-connection');
  element.setAttribute('url', await sessions<string>(scope, 'url'));
  element.setAttribute('retry-delay', '30');
  element.setAttribute('retry-jitter', '0');
  element.resume = true;
  element.json = true;
  made.push({ element, scope });
  return { element, scope };
}

afterEach(async () => {
  for (const { element, scope } of made.splice(0)) {
    element.close();
    element.remove();
    await sessions(scope, 'reset');
  }
});

/** Every message data the element dispatches, in order. */
function messages(element: WsConnection): unknown[] {
  const seen: unknown[] = [];
  element.addEventListener('message', (event) => seen.push(event.data));
  return seen;
}

function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const poll = (): void => {
      if (check()) resolve();
      else if (performance.now() - started > ms) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(poll, 10);
    };
    poll();
  });
}

describe('resume against ws-connection/server', () => {
  it('opens a session: session names it, resumed is false, messages echo once', async () => {
    const { element, scope } = await resumingElement();
    const seen = messages(element);
    document.body.append(element);
    await nextEvent(element, 'open');
    expect(element.session).to.be.a('string').with.length.greaterThan(20);
    expect(element.resumed).to.equal(false);
    element.send({ n: 1 });
    await until(() => seen.length === 1, 'the echo');
    expect(seen).to.deep.equal([{ n: 1 }]);
    await until(() => element.queued === 0, 'the acknowledgement');
    expect(await sessions(scope, 'received')).to.deep.equal([{ n: 1 }]);
  });

  it('a drop mid-stream loses and duplicates nothing, both ways, and resumes the same session', async () => {
    const { element, scope } = await resumingElement();
    const seen = messages(element);
    document.body.append(element);
    await nextEvent(element, 'open');
    const session = element.session;
    const total = 200;
    for (let n = 1; n <= total; n++) {
      element.send({ n });
      if (n === 60) {
        const reopened = nextEvent(element, 'open');
        await sessions(scope, 'kill');
        // Sent while the socket is gone or reconnecting, then the stream goes on on the next socket.
        for (n++; n <= 100; n++) element.send({ n });
        n--;
        await reopened;
      }
      if (n === 120) await sessions(scope, 'push', { count: 50 });
      if (n === 140) await sessions(scope, 'kill');
    }
    await until(() => seen.length === total + 50, 'every echo and push', 8000);
    const echoes = seen.filter((data) => typeof (data as { n?: number }).n === 'number');
    const pushes = seen.filter((data) => typeof (data as { push?: number }).push === 'number');
    expect(echoes).to.deep.equal(Array.from({ length: total }, (_, i) => ({ n: i + 1 })));
    expect(pushes).to.deep.equal(Array.from({ length: 50 }, (_, i) => ({ push: i + 1 })));
    expect(await sessions(scope, 'received')).to.deep.equal(echoes);
    expect(element.session).to.equal(session);
    expect(element.resumed).to.equal(true);
    const stats = await sessions<{ started: number; accepted: number }>(scope, 'stats');
    expect(stats.started).to.equal(1);
    expect(stats.accepted).to.be.at.least(3);
  });

  it('pushes made while the page is away arrive once, in order, after it resumes', async () => {
    const { element, scope } = await resumingElement();
    const seen = messages(element);
    document.body.append(element);
    await nextEvent(element, 'open');
    element.close();
    await nextEvent(element, 'close');
    await sessions(scope, 'push', { count: 5 });
    element.connect();
    await until(() => seen.length === 5, 'the pushes');
    expect(seen).to.deep.equal([1, 2, 3, 4, 5].map((push) => ({ push })));
    expect(element.resumed).to.equal(true);
  });

  it('a session the server forgot: session-lost before open, with what is sent again first', async () => {
    const { element, scope } = await resumingElement();
    document.body.append(element);
    await nextEvent(element, 'open');
    const previous = element.session;
    element.close();
    await nextEvent(element, 'close');
    await sessions(scope, 'forget');
    element.send({ kept: true });
    const events = record(element, 'error', 'open');
    element.connect();
    await nextEvent(element, 'open');
    expect(events.map((event) => event.type)).to.deep.equal(['error', 'open']);
    const error = (events[0] as ErrorEvent).error as WsConnectionError;
    expect(error.code).to.equal('session-lost');
    expect(error.data).to.deep.equal({ previous, unacknowledged: 0 });
    expect(element.session).to.not.equal(previous);
    await until(() => element.queued === 0, 'the acknowledgement');
    expect(await sessions(scope, 'received')).to.deep.equal([{ kept: true }]);
  });

  it('with share="page": one session for the group; JSON values reach the server as values, each member reads by its json', async () => {
    const { element: first, scope } = await resumingElement();
    first.setAttribute('share', 'page');
    const second = document.createElement('ws-connection');
    second.setAttribute('url', first.url);
    second.setAttribute('share', 'page');
    second.resume = true;
    made.push({ element: second, scope });
    const firstSeen = messages(first);
    const secondSeen = messages(second);
    document.body.append(first, second);
    await Promise.all([nextEvent(first, 'open'), nextEvent(second, 'open')]);
    expect(first.session).to.be.a('string');
    expect(second.session).to.equal(first.session);
    first.send({ from: 'json' });
    second.send('plain text');
    await until(() => firstSeen.length === 2 && secondSeen.length === 2, 'both echoes in both members');
    expect(await sessions(scope, 'received')).to.deep.equal([{ from: 'json' }, 'plain text']);
    expect(firstSeen).to.deep.equal([{ from: 'json' }, 'plain text']);
    expect(secondSeen).to.deep.equal(['{"from":"json"}', 'plain text']);
    expect((await sessions<{ started: number }>(scope, 'stats')).started).to.equal(1);
  });

  it('send() of binary data throws serialize', async () => {
    const { element } = await resumingElement();
    expect(() => element.send(new Uint8Array([1])))
      .to.throw()
      .with.property('code', 'serialize');
  });
});
