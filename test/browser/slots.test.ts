import { expect } from '@open-wc/testing';
import { WsConnection } from '../../src/ws-connection-element.js';
import { connection, nextEvent, server, shownSlotText, statusBecomes } from './helpers.js';

describe('status slots and states', () => {
  it('shows exactly the slot of the current status, and the default slot always', async () => {
    const { element, scope } = await connection({ 'retry-delay': '300', 'retry-jitter': '0' }, { attach: false });
    for (const status of ['connecting', 'open', 'reconnecting', 'closed']) {
      const span = document.createElement('span');
      span.slot = status;
      span.textContent = status;
      element.append(span);
    }
    const always = document.createElement('b');
    always.textContent = 'always';
    element.append(always);
    document.body.append(element);
    await nextEvent(element, 'open');
    await element.updateComplete;
    expect(shownSlotText(element)).to.equal('open');
    expect(element.shadowRoot!.querySelectorAll('slot[name]')).to.have.length(1);
    const defaultSlot = element.shadowRoot!.querySelector<HTMLSlotElement>('slot:not([name])')!;
    expect(defaultSlot.assignedElements()).to.deep.equal([always]);

    const reconnecting = statusBecomes(element, 'reconnecting');
    await server(scope, 'kill');
    await reconnecting;
    expect(shownSlotText(element)).to.equal('reconnecting');
    // Only the slotted span of the current status renders.
    const shown = [...element.querySelectorAll('span')].filter((span) => span.assignedSlot !== null);
    expect(shown.map((span) => span.textContent)).to.deep.equal(['reconnecting']);
  });

  it('exposes the status as a CSS custom state', async () => {
    const { element } = await connection();
    await nextEvent(element, 'open');
    expect(element.matches(':state(open)')).to.equal(true);
    expect(element.matches(':state(connecting)')).to.equal(false);
    element.close();
    await nextEvent(element, 'close');
    expect(element.matches(':state(closed)')).to.equal(true);
    expect(element.matches(':state(open)')).to.equal(false);
  });

  it('lets CSS style on the reflected status attribute', async () => {
    const style = document.createElement('style');
    style.textContent = 'ws-connection[status="open"] { outline: 3px solid rgb(0, 128, 0); }';
    document.head.append(style);
    try {
      const { element } = await connection();
      await nextEvent(element, 'open');
      expect(getComputedStyle(element).outlineColor).to.equal('rgb(0, 128, 0)');
    } finally {
      style.remove();
    }
  });

  it('is defined once, however often it is imported or defined', async () => {
    // @ts-expect-error: a second import of the same module, under another URL so it evaluates again.
    await import('../../src/ws-connection.js?again');
    WsConnection.define();
    expect(customElements.get('ws-connection')).to.equal(WsConnection);
    expect(document.createElement('ws-connection')).to.be.instanceOf(WsConnection);
  });

  it('can be registered under another tag', async () => {
    // A registry of its own: only Chromium can construct a CustomElementRegistry yet (scoped registries).
    const defined: [string, CustomElementConstructor][] = [];
    const registry = {
      get: (tag: string) => defined.find(([name]) => name === tag)?.[1],
      define: (tag: string, constructor: CustomElementConstructor) => void defined.push([tag, constructor]),
    } as unknown as CustomElementRegistry;
    WsConnection.define('ws-connection-other', registry);
    WsConnection.define('ws-connection-other', registry);
    expect(defined).to.deep.equal([['ws-connection-other', WsConnection]]);
    class Renamed extends WsConnection {}
    Renamed.define('ws-renamed');
    expect(document.createElement('ws-renamed')).to.be.instanceOf(WsConnection);
  });
});
