import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { Handshake, WsConnection } from '../../src/ws-connection.js';
import { nextEvent } from './helpers.js';

interface GraphqlStats {
  /** The type of each connection's first frame, as the server read it. */
  firstFrames: string[];
  closeCodes: number[];
  subscriptions: number;
}

function graphql<T>(action: string): Promise<T> {
  return executeServerCommand<T, { action: string }>('graphql', { action });
}

interface GraphqlMessage {
  id?: string;
  type: string;
  payload?: { data?: { countdown?: number } };
}

/** The README recipe's handshake: connection_init, then connection_ack or fail. */
const init: Handshake = async ({ send, receive }) => {
  send({ type: 'connection_init', payload: {} });
  const reply = (await receive()) as GraphqlMessage;
  if (reply.type !== 'connection_ack') throw new Error(`Expected connection_ack, got ${reply.type}`);
};

/** The countdown values of subscription `id`, once it completes. */
function countdown(element: WsConnection, id: string): Promise<number[]> {
  const values: number[] = [];
  return new Promise((resolve, reject) => {
    const listener = (event: MessageEvent): void => {
      const message = event.data as GraphqlMessage;
      if (message.id !== id) return;
      if (message.type === 'next') values.push(message.payload!.data!.countdown!);
      else if (message.type === 'complete') {
        element.removeEventListener('message', listener);
        resolve(values);
      } else reject(new Error(`Unexpected ${message.type}`));
    };
    element.addEventListener('message', listener);
  });
}

function subscribe(element: WsConnection, id: string, from: number): boolean {
  return element.send({
    id,
    type: 'subscribe',
    payload: { query: `subscription { countdown(from: ${from}, every: 5) }` },
  });
}

describe('GraphQL subscriptions over graphql-ws (the real server)', () => {
  let element: WsConnection;

  beforeEach(async () => {
    await graphql('reset');
    element = document.createElement('ws-connection');
    element.setAttribute('url', await graphql<string>('url'));
    element.setAttribute('protocols', 'graphql-transport-ws');
    element.setAttribute('retry-delay', '50');
    element.json = true;
    element.handshake = init;
  });

  afterEach(async () => {
    element.close();
    element.remove();
    await graphql('reset');
  });

  it('a subscription sent before the socket opened runs after connection_init / connection_ack', async () => {
    expect(subscribe(element, '1', 3)).to.equal(false); // queued
    const values = countdown(element, '1');
    document.body.append(element);
    await nextEvent(element, 'open');
    expect(element.socket!.protocol).to.equal('graphql-transport-ws');
    expect(await values).to.deep.equal([3, 2, 1, 0]);
    const stats = await graphql<GraphqlStats>('stats');
    expect(stats.firstFrames).to.deep.equal(['connection_init']);
    expect(stats.subscriptions).to.equal(1);
  });

  it('after a drop, every socket starts with connection_init and a subscription sent while reconnecting runs once', async () => {
    document.body.append(element);
    await nextEvent(element, 'open');
    expect(await (subscribe(element, 'a', 1), countdown(element, 'a'))).to.deep.equal([1, 0]);
    const retrying = nextEvent(element, 'retry');
    await graphql('kill');
    await retrying;
    expect(element.status).to.equal('reconnecting');
    expect(subscribe(element, 'b', 2)).to.equal(false);
    const values = countdown(element, 'b');
    await nextEvent(element, 'open');
    expect(await values).to.deep.equal([2, 1, 0]);
    const stats = await graphql<GraphqlStats>('stats');
    expect(stats.firstFrames).to.deep.equal(['connection_init', 'connection_init']);
    expect(stats.subscriptions).to.equal(2);
    expect(stats.closeCodes.filter((code) => code >= 4400 && code < 4500)).to.deep.equal([]);
  });

  it('without the handshake the server closes with 4401 (the failure the handshake prevents)', async () => {
    element.handshake = null;
    element.setAttribute('max-retries', '0');
    subscribe(element, 'x', 1);
    document.body.append(element);
    const closed = await nextEvent<CloseEvent>(element, 'close');
    expect(closed.code).to.equal(4401);
  });
});
