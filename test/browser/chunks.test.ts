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

/** Loads the fixture page at `path` in a frame, removed after the test. */
async function fixture(path: string): ReturnType<typeof loadFixture> {
  const loaded = await loadFixture(path);
  frames.push(loaded.frame);
  return loaded;
}

/** An action of the session server (test/server/session-server-plugin.js) on `scope`. */
const sessionServer = (scope: string, action: string): Promise<unknown> =>
  executeServerCommand('session-server', { scope, action });

/** An error, retry or statuschange event of the frame's realm, told apart by type, not by `instanceof`. */
function describeEvent(event: Event): string {
  if (event.type === 'error') return `error ${((event as ErrorEvent).error as WsConnectionError).code}`;
  if (event.type === 'retry') return 'retry';
  return (event as CustomEvent<{ status: string }>).detail.status;
}
afterEach(() => {
  for (const frame of frames.splice(0)) frame.remove();
});

describe('the CDN bundle’s share chunk', () => {
  it("loads under script-src 'self': what was sent before goes first, once, with no violation", async () => {
    const { frame, element, violations } = await fixture('/test/fixtures/csp-share.html');
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
    const { frame, element, violations } = await fixture('/test/fixtures/csp-resume.html');
    const scope = newScope('chunks-resume');
    const command = (action: string): Promise<unknown> => sessionServer(scope, action);
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
    const { element } = await fixture('/test/fixtures/chunkless.html');
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
    expect(events.map(describeEvent)).to.deep.equal([
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

  // A chunk whose first fetch fails (a flaky network, a deploy in progress) must load on the retry: an engine that
  // kept the failed import in its module map would fail every retry until the page reloaded (whatwg/html#6768).
  it('that fails once loads on the retry: chunk-load, retry, then open, and what was sent goes once', async () => {
    const { element } = await fixture(`/test/fixtures/flaky/${newScope('share')}/page.html`);
    const scope = newScope('chunks-flaky-share');
    element.url = await server<string>(scope, 'url');
    element.send('kept');
    const events = record(element, 'error', 'retry', 'statuschange');
    const opened = nextEvent(element, 'open');
    const echo = nextEvent<MessageEvent>(element, 'message');
    element.share = 'page';
    element.connect();
    await opened;
    expect(events.map(describeEvent)).to.deep.equal([
      'connecting',
      'error chunk-load',
      'retry',
      'reconnecting',
      'connecting',
      'open',
    ]);
    expect((await echo).data).to.equal('kept');
    expect((await server<ReceivedFrame[]>(scope, 'received')).map((received) => received.data)).to.deep.equal(['kept']);
    element.close();
    await server(scope, 'reset');
  });

  it('the resume chunk that fails once loads on the retry too, and the session opens with what was sent', async () => {
    const { element } = await fixture(`/test/fixtures/flaky/${newScope('resume')}/page.html`);
    const scope = newScope('chunks-flaky-resume');
    const command = (action: string): Promise<unknown> => sessionServer(scope, action);
    element.url = (await command('url')) as string;
    element.json = true;
    element.resume = true;
    element.send({ kept: true });
    const events = record(element, 'error', 'retry', 'statuschange');
    const opened = nextEvent(element, 'open');
    const echo = nextEvent<MessageEvent>(element, 'message');
    element.connect();
    await opened;
    expect(events.map(describeEvent)).to.deep.equal([
      'connecting',
      'error chunk-load',
      'retry',
      'reconnecting',
      'open',
    ]);
    expect(element.session).to.be.a('string');
    expect((await echo).data).to.deep.equal({ kept: true });
    expect(await command('received')).to.deep.equal([{ kept: true }]);
    element.close();
    await command('reset');
  });
});
