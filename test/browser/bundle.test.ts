import { expect } from '@open-wc/testing';
import type { WsConnection } from '../../src/ws-connection.js';
import { loadFixture, newScope, nextEvent, server, shownSlotText, type ReceivedFrame } from './helpers.js';

async function connectAndRecover(element: WsConnection): Promise<void> {
  const scope = newScope('bundle');
  element.url = await server<string>(scope, 'url');
  element.connect();
  await nextEvent(element, 'open');
  await element.updateComplete;
  expect(shownSlotText(element)).to.equal('Online');

  const echo = nextEvent<MessageEvent>(element, 'message');
  element.send('through the bundle');
  expect((await echo).data).to.equal('through the bundle');

  // Listening before the kill: with a 30 ms retry delay, `reconnecting` lasts too briefly to poll for.
  const reconnecting = nextEvent<CustomEvent<{ status: string }>>(
    element,
    'statuschange',
    (event) => event.detail.status === 'reconnecting',
  );
  const reopened = nextEvent(element, 'open');
  await server(scope, 'kill');
  await reconnecting;
  expect(shownSlotText(element)).to.equal('Reconnecting…');
  await reopened;
  await element.updateComplete;
  expect(shownSlotText(element)).to.equal('Online');
  element.close();
  await server(scope, 'reset');
}

/** Sends the fixture's `<form ws-send>` by a button click and checks what the server got; the form is reset. */
async function sendForm(frame: HTMLIFrameElement, element: WsConnection): Promise<void> {
  const scope = newScope('bundle-form');
  element.url = await server<string>(scope, 'url');
  element.connect();
  await nextEvent(element, 'open');
  const form = frame.contentDocument!.querySelector('form')!;
  form.querySelector('input')!.value = 'typed under the policy';
  const submitted = nextEvent<SubmitEvent>(form, 'submit');
  const echo = nextEvent<MessageEvent>(element, 'message');
  form.querySelector('button')!.click();
  await submitted;
  expect((await echo).data).to.equal('text=typed+under+the+policy&via=button');
  expect(await server<ReceivedFrame[]>(scope, 'received')).to.deep.equal([
    { data: 'text=typed+under+the+policy&via=button', binary: false },
  ]);
  expect(form.querySelector('input')!.value).to.equal('from a form');
  element.close();
  await server(scope, 'reset');
}

describe('the CDN bundle', () => {
  it('works from a plain HTML page with only its script tag: connects, reconnects, shows status slots', async () => {
    const { frame, element } = await loadFixture('/test/fixtures/bundle.html');
    try {
      await connectAndRecover(element);
    } finally {
      frame.remove();
    }
  });

  it('works from a classic <script src> (no modules), exposing its exports on window.wsConnection', async () => {
    const { frame, element } = await loadFixture('/test/fixtures/classic.html');
    try {
      const exported = (frame.contentWindow as Window & { wsConnection?: { WsConnection: unknown } }).wsConnection;
      expect(exported?.WsConnection).to.equal(frame.contentWindow!.customElements.get('ws-connection'));
      await connectAndRecover(element);
    } finally {
      frame.remove();
    }
  });

  it('works under a strict Content-Security-Policy with Trusted Types, a <form ws-send> included, with no violation', async () => {
    const { frame, element, violations } = await loadFixture('/test/fixtures/csp.html');
    try {
      // The policy really is in force: Trusted Types refuse a plain string as script. Chromium, Firefox 153 and
      // WebKitGTK 2.50 all enforce them, each with its own message (Chromium and WebKit name `TrustedScript`,
      // Firefox says "Sink type mismatch"), so the type of the error is what is checked.
      const script = frame.contentDocument!.createElement('script');
      expect(() => (script.textContent = 'window.inlineRan = true'))
        .to.throw()
        .with.property('name', 'TypeError');
      const policy = (await fetch('/test/fixtures/csp.html')).headers.get('content-security-policy');
      expect(policy).to.contain("script-src 'self'").and.contain("style-src 'self'");
      violations.length = 0;

      await connectAndRecover(element);
      await sendForm(frame, element);
      expect(violations).to.deep.equal([]);
    } finally {
      frame.remove();
    }
  });

  it('loads beside the npm build without throwing, defining the element once', async () => {
    const { WsConnection } = await import('../../src/ws-connection.js');
    // @ts-expect-error: the bundle has no types of its own here; only its side effect matters.
    await import('/dist/ws-connection.min.js');
    expect(customElements.get('ws-connection')).to.equal(WsConnection);
  });
});
