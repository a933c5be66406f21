/**
 * A tab that holds the shared socket is frozen (Chromium's Page Lifecycle,
 * through DevTools: only Chromium freezes pages, and only its protocol can
 * ask for it; the test-runner config runs this file in Chromium alone).
 * A frozen tab keeps its Web Lock, so the others must notice its silence
 * and take the socket over; thawed, it must step down.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { server, type ServerStats } from './helpers.js';
import { inTab, openRealTabs, tab } from './real-tabs.js';

describe('share="tabs": a frozen holder', function () {
  this.timeout(20000);

  it('is replaced within 1 s, and steps down when it thaws: one socket in use after', async () => {
    const { ids, scope } = await openRealTabs(2);
    const holding = await Promise.all(ids.map((id) => inTab<boolean>(id, 'element.socket !== null')));
    const frozen = ids[holding.indexOf(true)]!;
    const other = ids[holding.indexOf(false)]!;

    const frozenAt = Date.now();
    await tab('freeze', { id: frozen });
    await waitUntil(
      () => inTab<boolean>(other, "element.socket !== null && element.status === 'open'"),
      'nobody took over',
      { timeout: 5000, interval: 20 },
    );
    expect(Date.now() - frozenAt).to.be.below(1500);

    await tab('resume', { id: frozen });
    await waitUntil(
      () => inTab<boolean>(frozen, "element.socket === null && element.status === 'open'"),
      'the thawed tab did not step down',
      { timeout: 5000 },
    );
    expect(await inTab<boolean>(other, 'element.socket !== null')).to.equal(true);
    await waitUntil(async () => (await server<ServerStats>(scope, 'stats')).open === 1, 'two sockets stayed open');
    const echo = await inTab<boolean>(frozen, "element.send('after the thaw')");
    expect(echo).to.equal(true);
    await waitUntil(() => inTab<boolean>(other, "window.received.includes('after the thaw')"));
  });
});
