/**
 * The CDN bundle's chunks (dist/share.min.js and dist/resume.min.js beside dist/ws-connection.min.js): loaded on
 * the first use of `share` or `resume`, under a strict Content-Security-Policy too, and a chunk that does not load is an `error` with code
 * `chunk-load` and the element's backoff, never a silent hang.
 */
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { WsConnectionError } from '../../src/ws-connection.js';
import { loadFixture, newScope, nextEvent, record, server, type ReceivedFrame } from './helpers.js';

const frames: HTMLIFrameElement[] = [];
afterEach(() => {
  for (const frame of frames.splice(0)) frame.remove();
});

describe('the CDN bundle’s share chunk', () => {
  it("loads under script-src 'self': what was sent before goes first, once, with no violation", async () => {
    const { frame, element, violations } = await loadFixture('/test/fixtures/csp-share.html');
    frames.push(frame);
    const scope = newScope('chunks-csp');
    element.url = await server<string>(scope, 'url');
    expect(element.send('before the chunk')).to.equal(false);
    const statuses = record<CustomEvent<{ status: string }>>(element, 'statuschange');
    const echo = nextEvent<MessageEvent>(element, 'message');
    element.connect();
    expect(element.status).to.equal('connecting');
    expect((await echo).data).to.equal('before the chunk');
    expect(statuses.map((event) => event.detail.status)).to.deep.equal(['connecting', 'open']);
    const loadedChunks = performance
      .getEntriesByType('resource')
      .concat(frame.contentWindow!.performance.getEntriesByType('resource'))
      .map((entry) => new URL(entry.name).pathname);
    expect(loadedChunks).to.include('/dist/share.min.js');
    expect((await server<ReceivedFrame[]>(scope, 'received')).map((received) => received.data)).to.deep.equal([
      'before the chunk',
    ]);
    expect(violations).to.deep.equal([]);
    element.close();
    await server(scope, 'reset');
  });

  it("the resume chunk loads under script-src 'self' too: what was sent before goes first, once, in the session", async () => {
    const { frame, element, violations } = await loadFixture('/test/fixtures/csp-resume.html');
    frames.push(frame);
    const scope = newScope('chunks-resume');
    const command = (action: string): Promise<unknown> => executeServerCommand('session-server', { scope, action });
    element.url = (await command('url')) as string;
    expect(element.send({ before: 'the chunk' })).to.equal(false);
    const echo = nextEvent<MessageEvent>(element, 'message');
    element.connect();
    expect(element.status).to.equal('connecting');
    expect((await echo).data).to.deep.equal({ before: 'the chunk' });
    expect(element.session).to.be.a('string');
    const loadedChunks = frame
      .contentWindow!.performance.getEntriesByType('resource')
      .map((entry) => new URL(entry.name).pathname);
    expect(loadedChunks).to.include('/dist/resume.min.js');
    expect(await command('received')).to.deep.equal([{ before: 'the chunk' }]);
    expect(violations).to.deep.equal([]);
    element.close();
    await command('reset');
  });

  it('that fails to load is an error with code chunk-load, then the backoff: retry, reconnecting, failed', async () => {
    const { frame, element } = await loadFixture('/test/fixtures/chunkless.html');
    frames.push(frame);
    element.url = 'ws://127.0.0.1:9/never';
    element.send('kept');
    const events = record(element, 'error', 'retry', 'statuschange');
    const failed = nextEvent<CustomEvent<{ status: string }>>(
      element,
      'statuschange',
      (event) => event.detail.status === 'failed',
    );
    element.connect();
    await failed;
    // Events of the frame's realm: told apart by type, not by `instanceof`.
    const seen = events.map((event) =>
      event.type === 'error'
        ? `error ${((event as ErrorEvent).error as WsConnectionError).code}`
        : event.type === 'retry'
          ? 'retry'
          : (event as CustomEvent<{ status: string }>).detail.status,
    );
    expect(seen).to.deep.equal([
      'connecting',
      'error chunk-load',
      'retry',
      'reconnecting',
      'error chunk-load',
      'failed',
    ]);
    expect(element.queued).to.equal(1);
    expect(element.socket).to.equal(null);
  });
});
