/**
 * The demo page end to end: demo/index.html (served by the test runner) in an
 * iframe, pointed at a real demo server (demo/server.js, started through the
 * `demo-server` command) with `?server=`. Drives it only through its UI.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';

type DemoConnection = HTMLElement & {
  status: string;
  attempt: number;
  queued: number;
  resume: boolean;
  session: string | null;
  resumed: boolean;
};

const STATUSES = ['connecting', 'open', 'reconnecting', 'closing', 'closed', 'failed'];

describe('demo page', function () {
  // Each step waits on real sockets and a real retry (500 ms base): give the suite room.
  this.timeout(20000);

  let origin: string;
  let frame: HTMLIFrameElement | undefined;
  let doc: Document;
  let conn: DemoConnection;

  /** The element's status slots that the browser actually renders. */
  const visibleSlots = () =>
    STATUSES.filter((name) => {
      // Not `instanceof HTMLElement`: the span belongs to the frame's realm.
      const span = conn.querySelector(`:scope > [slot="${name}"]`);
      return span !== null && span.getClientRects().length > 0;
    });

  const byId = (id: string): HTMLElement => {
    const found = doc.getElementById(id);
    if (!found) throw new Error(`The demo page has no #${id}.`);
    return found;
  };
  const input = (id: string) => byId(id) as HTMLInputElement;
  const button = (id: string) => byId(id) as HTMLButtonElement;

  /** Entries of the demo's event log of one type, oldest first. */
  const logged = (type: string) => [...byId('log').querySelectorAll<HTMLElement>(`li[data-event="${type}"]`)].reverse();

  before(async () => {
    origin = await executeServerCommand<string, { action: string }>('demo-server', { action: 'start' });
    expect(origin).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);

    const iframe = document.createElement('iframe');
    frame = iframe;
    iframe.style.width = '1000px';
    iframe.style.height = '800px';
    const loaded = new Promise((resolve) => iframe.addEventListener('load', resolve, { once: true }));
    iframe.src = `/demo/index.html?server=${encodeURIComponent(origin)}`;
    document.body.append(frame);
    await loaded;
    doc = iframe.contentDocument!;
    await iframe.contentWindow!.customElements.whenDefined('ws-connection');
    conn = doc.getElementById('conn') as DemoConnection;
  });

  after(async () => {
    frame?.remove();
    await executeServerCommand('demo-server', { action: 'stop' });
  });

  it('connects to the demo server named by ?server=', async () => {
    expect(conn.getAttribute('url')).to.equal(`${origin}/s/chat`);
    await waitUntil(() => conn.status === 'open', 'the element never opened', { timeout: 5000 });
    expect(conn.getAttribute('status')).to.equal('open');
    await waitUntil(() => visibleSlots().join() === 'open', 'the badge does not show only the open slot');
    expect(logged('open').length).to.be.greaterThan(0);
    expect(byId('status-text').textContent).to.equal('open');
  });

  it('sends the chat form through the element (ws-send) and shows the broadcast copy', async () => {
    expect(byId('chat-form').hasAttribute('ws-send')).to.equal(true);
    expect(byId('chat-form').closest('ws-connection')).to.equal(conn);
    const text = `hello from the test ${Math.random().toString(36).slice(2)}`;
    input('name').value = 'Tester';
    input('message').value = text;
    button('send').click();

    const messages = byId('messages');
    await waitUntil(
      () => [...messages.querySelectorAll('.message .text')].some((node) => node.textContent === text),
      'the broadcast message never appeared in #messages',
      { timeout: 5000 },
    );
    const item = [...messages.querySelectorAll<HTMLElement>('.message')].find(
      (node) => node.querySelector('.text')?.textContent === text,
    )!;
    expect(item.querySelector('.meta strong')?.textContent).to.equal('Tester');
    expect(item.querySelector('time')?.dateTime).to.match(/^\d{4}-\d\d-\d\dT/);
    // The element reset the form; the page kept the name as the name field's default.
    expect(input('message').value).to.equal('');
    expect(input('name').value).to.equal('Tester');
    expect(frame!.contentWindow!.location.search).to.equal(`?server=${encodeURIComponent(origin)}`);
  });

  it('shows text as text, never as markup', async () => {
    const text = `<img src=x id=injected> ${Math.random()}`;
    input('message').value = text;
    button('send').click();
    const messages = byId('messages');
    await waitUntil(
      () => [...messages.querySelectorAll('.message .text')].some((node) => node.textContent === text),
      'the message never appeared',
      { timeout: 5000 },
    );
    expect(doc.getElementById('injected')).to.equal(null);
  });

  it('recovers after "Kill connection": reconnecting badge, retry countdown, then open again', async () => {
    await waitUntil(() => conn.status === 'open', 'not open before the kill', { timeout: 5000 });
    const statuses: string[] = [];
    const retries: { attempt: number; delay: number }[] = [];
    const onStatus = (event: Event) => statuses.push((event as CustomEvent<{ status: string }>).detail.status);
    const onRetry = (event: Event) => retries.push((event as CustomEvent<{ attempt: number; delay: number }>).detail);
    conn.addEventListener('statuschange', onStatus);
    conn.addEventListener('retry', onRetry);
    const closesBefore = logged('close').length;
    try {
      button('kill').click();

      // A retry waits 250–500 ms (retry-delay 500, jitter 0.5): poll faster than that.
      await waitUntil(
        () => conn.status === 'reconnecting' && visibleSlots().join() === 'reconnecting',
        'the element and its badge never showed reconnecting',
        { timeout: 5000, interval: 10 },
      );
      expect(conn.getAttribute('status')).to.equal('reconnecting');

      await waitUntil(() => conn.status === 'open', 'the element did not reopen after the kill', { timeout: 8000 });
      await waitUntil(() => visibleSlots().join() === 'open', 'the badge did not go back to open');
    } finally {
      conn.removeEventListener('statuschange', onStatus);
      conn.removeEventListener('retry', onRetry);
    }

    expect(statuses[0]).to.equal('reconnecting');
    expect(statuses.at(-1)).to.equal('open');
    expect(retries.length).to.be.greaterThan(0);
    expect(retries[0]!.attempt).to.equal(1);
    expect(retries[0]!.delay).to.be.within(250, 500);

    // The page's own record of it: the kill answered, an unclean close, the retry.
    await waitUntil(() => doc.querySelector('#log li[data-event="server"][data-control="kill"]'), 'no kill answer');
    expect(doc.querySelector('#log li[data-control="kill"]')!.getAttribute('data-http-status')).to.equal('204');
    const close = logged('close').slice(closesBefore)[0];
    expect(close?.dataset.code).to.equal('1006');
    const retry = logged('retry').at(-1)!;
    expect(retry.dataset.attempt).to.equal('1');
    expect(byId('countdown').textContent).to.equal('—');
  });

  it('chats again after reconnecting', async () => {
    const text = `back again ${Math.random()}`;
    input('message').value = text;
    button('send').click();
    await waitUntil(
      () => [...byId('messages').querySelectorAll('.message .text')].some((node) => node.textContent === text),
      'no broadcast after the reconnect',
      { timeout: 5000 },
    );
  });

  it('with the resume switch on, a burst with a kill mid-way comes back whole, each message once', async () => {
    const text = (id: string) => byId(id).textContent;
    await waitUntil(() => conn.status === 'open', 'not open before the switch', { timeout: 5000 });
    const resume = input('resume');
    expect(resume.checked).to.equal(false);
    resume.click();

    expect(conn.resume).to.equal(true);
    expect(conn.getAttribute('url')).to.equal(`${origin}/s/chat?resume`);
    expect(text('endpoint')).to.equal(`${origin}/s/chat?resume`);
    await waitUntil(() => conn.status === 'open' && conn.session, 'no session on the resume endpoint', {
      timeout: 5000,
    });
    const session = conn.session!;
    await waitUntil(() => text('session') === `${session.slice(0, 8)}…`, 'the session id is not shown');
    expect(text('resumed')).to.equal('no');
    expect(text('sent-count')).to.equal('0');
    expect(text('received-count')).to.equal('0');

    const closesBefore = logged('close').length;
    expect((byId('burst-fault') as HTMLSelectElement).value).to.equal('kill');
    // How many echoes had come back when the socket died: fewer than 200 means the kill came mid-way.
    let echoes = 0;
    let echoesAtClose: number | undefined;
    const onMessage = (event: Event) => {
      if ((event as MessageEvent<{ type?: string }>).data.type === 'echo') echoes++;
    };
    const onClose = () => (echoesAtClose ??= echoes);
    conn.addEventListener('message', onMessage);
    conn.addEventListener('close', onClose);
    button('burst').click();

    // Settled: all sent, open again, nothing unacknowledged and nothing more coming.
    await waitUntil(() => text('burst-lost') === '0' || /^[1-9]/.test(text('burst-lost')), 'never settled', {
      timeout: 15000,
    });
    expect(text('burst-lost')).to.equal('0');
    expect(text('burst-duplicated')).to.equal('0');
    expect(text('burst-echoed')).to.equal('200 of 200');
    expect(text('sent-count')).to.equal('200');
    expect(text('received-count')).to.equal(text('sent-count'));
    expect(text('acked-count')).to.equal('200');
    expect(conn.queued).to.equal(0);
    conn.removeEventListener('message', onMessage);
    conn.removeEventListener('close', onClose);

    // The kill really came mid-way: an unclean close, then an open that resumed the same session.
    expect(doc.querySelector('#log li[data-event="server"][data-control="kill"]')).to.not.equal(null);
    expect(logged('close').slice(closesBefore)[0]?.dataset.code).to.equal('1006');
    expect(echoesAtClose).to.be.below(200);
    expect(echoes).to.equal(200);
    expect(logged('open').at(-1)?.dataset.resumed).to.equal('true');
    expect(conn.resumed).to.equal(true);
    expect(conn.session).to.equal(session);
    expect(text('resumed')).to.equal('yes');
    expect(text('session')).to.equal(`${session.slice(0, 8)}…`);
    expect(logged('error').filter((item) => /^(session-lost|protocol)$/.test(item.dataset.code ?? ''))).to.have.length(
      0,
    );
  });
});
