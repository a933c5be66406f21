/**
 * The framework examples end to end: examples/react and examples/vue, built
 * by Vite (scripts/build-examples.js) into their dist/ folders, each opened in
 * an iframe and pointed at a fresh scope of the echoing fault server with
 * `?ws=`. Everything is read from what the framework rendered (its status
 * text, its message list) and driven through the page's own form.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { newScope, server, type ReceivedFrame } from './helpers.js';

for (const framework of ['react', 'vue']) {
  describe(`${framework} example`, function () {
    // Real sockets and one real retry (up to 1 s with the default retry-delay): give the suite room.
    this.timeout(20000);

    let scope: string;
    let frame: HTMLIFrameElement | undefined;
    let doc: Document;
    /** Every text the framework rendered into #status, in order. */
    let rendered: string[];
    let observer: MutationObserver | undefined;

    const byId = (id: string): HTMLElement => {
      const found = doc.getElementById(id);
      if (!found) throw new Error(`The ${framework} example has no #${id}.`);
      return found;
    };
    const status = () => byId('status').textContent;
    const messages = () => [...byId('messages').querySelectorAll('li')].map((item) => item.textContent);

    /** Types `text` into the page's message box with real key presses, then clicks Send. */
    async function sendThroughForm(text: string): Promise<void> {
      const input = byId('message') as HTMLInputElement;
      // WebKit's WebDriver types into the top document's focused element: the frame itself must hold focus.
      frame!.focus();
      input.focus();
      // One key per command: WebKitGTK's WebDriver loses keys of a longer string typed in one action
      // ("hello from" arrived as "helo from"), seen in 4 of 4 runs.
      for (const key of text) await sendKeys({ type: key });
      // The framework owns the input's value: the keys must have reached its state, not just the DOM.
      await waitUntil(() => input.value === text, 'the typed text did not reach the input');
      byId('send').click();
    }

    before(async () => {
      scope = newScope(`${framework}-example`);
      const url = await server<string>(scope, 'url');

      const iframe = document.createElement('iframe');
      frame = iframe;
      const loaded = new Promise((resolve) => iframe.addEventListener('load', resolve, { once: true }));
      iframe.src = `/examples/${framework}/dist/index.html?ws=${encodeURIComponent(url)}`;
      document.body.append(iframe);
      await loaded;
      doc = iframe.contentDocument!;
      await waitUntil(
        () => doc.getElementById('status'),
        `examples/${framework}/dist did not render; build it first: node scripts/build-examples.js`,
        { timeout: 5000 },
      );

      rendered = [status()];
      // Records each render of the status text, so a short-lived status cannot slip between polls.
      observer = new MutationObserver(() => {
        const text = status();
        if (rendered.at(-1) !== text) rendered.push(text);
      });
      observer.observe(byId('status'), { characterData: true, childList: true, subtree: true });
    });

    after(async () => {
      observer?.disconnect();
      frame?.remove();
      await server(scope, 'reset');
    });

    it('renders the status open once the element connects to ?ws=', async () => {
      await waitUntil(() => status() === 'open', `the ${framework} status never read open`, { timeout: 5000 });
      const element = doc.querySelector('ws-connection')!;
      expect(element.getAttribute('status')).to.equal('open');
      expect(element.getAttribute('url')).to.equal(await server<string>(scope, 'url'));
      expect(rendered.at(-1)).to.equal('open');
      expect(rendered).not.to.include('failed');
    });

    it('sends a typed message and renders the echo', async () => {
      const text = `hello from ${framework} ${Math.random().toString(36).slice(2)}`;
      await sendThroughForm(text);
      await waitUntil(() => messages().includes(text), `the ${framework} example never rendered the echo`, {
        timeout: 5000,
      });
      const received = await server<ReceivedFrame[]>(scope, 'received');
      expect(received.map((frame) => frame.data)).to.include(text);
      expect((byId('message') as HTMLInputElement).value).to.equal('');
    });

    it('renders reconnecting when the connection is killed, then open again, and chats on', async () => {
      rendered = [status()];
      expect(rendered).to.deep.equal(['open']);
      const killed = await server<number>(scope, 'kill');
      expect(killed).to.equal(1);

      await waitUntil(() => rendered.includes('reconnecting'), `the ${framework} status never read reconnecting`, {
        timeout: 5000,
      });
      await waitUntil(() => status() === 'open', `the ${framework} status did not go back to open`, {
        timeout: 8000,
      });
      expect(rendered).to.deep.equal(['open', 'reconnecting', 'open']);

      const text = `back again ${Math.random().toString(36).slice(2)}`;
      await sendThroughForm(text);
      await waitUntil(() => messages().includes(text), 'no echo after the reconnect', { timeout: 5000 });
    });
  });
}
