/**
 * `share="tabs"` across real tabs of the browser (test/server/tabs-plugin.js).
 * Chromium and Firefox: WebKitGTK's WebDriver ends its session when a test
 * opens another window, so WebKit runs the same handovers with iframes as
 * tabs (share-tabs.test.ts). The freeze test is Chromium's alone: only its
 * DevTools protocol can freeze a page.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { server, type ReceivedFrame, type ServerStats } from './helpers.js';
import { closeTab, holders, inTab, openRealTabs, tab } from './real-tabs.js';

let scope = '';

const stats = (): Promise<ServerStats> => server<ServerStats>(scope, 'stats');

describe('share="tabs" across real tabs', function () {
  this.timeout(20000);

  it('three tabs, one connection; the holding tab closed: another holds it within 1 s, sends during the handover arrive once, in order', async () => {
    const { ids, scope: opened } = await openRealTabs(3);
    scope = opened;
    expect((await stats()).accepted).to.equal(1);
    const [first] = await holders(ids);
    expect(await holders(ids)).to.have.length(1);
    const rest = ids.filter((id) => id !== first);

    const closedAt = Date.now();
    await closeTab(first!);
    for (const id of rest) await inTab(id, `['${id} 1', '${id} 2'].map((text) => element.send(text))`);
    await waitUntil(async () => (await holders(rest)).length === 1, 'no tab took the socket over', {
      timeout: 5000,
      interval: 20,
    });
    await waitUntil(
      () =>
        Promise.all(rest.map((id) => inTab<boolean>(id, "element.status === 'open'"))).then((all) =>
          all.every(Boolean),
        ),
      'not open again',
      { interval: 20 },
    );
    expect(Date.now() - closedAt).to.be.below(1500);
    await waitUntil(
      async () => (await server<ReceivedFrame[]>(scope, 'received')).length === 4,
      'not every send arrived',
    );
    const received = (await server<ReceivedFrame[]>(scope, 'received')).map((frame) => frame.data);
    for (const id of rest)
      expect(received.filter((data) => data.startsWith(`${id} `))).to.deep.equal([`${id} 1`, `${id} 2`]);
    expect((await stats()).accepted).to.equal(2);
  });

  it('the holding tab navigates away: another holds the socket; back again, it joins without a second socket', async () => {
    const { ids, scope: opened, base } = await openRealTabs(2);
    scope = opened;
    const [first] = await holders(ids);
    const other = ids.find((id) => id !== first)!;
    await tab('navigate', { id: first, url: `${base}/elsewhere.html` });
    await waitUntil(async () => (await holders([other])).length === 1, 'the other tab did not take over', {
      timeout: 3000,
      interval: 20,
    });
    await tab('back', { id: first });
    await waitUntil(
      () => inTab<boolean>(first!, "element?.status === 'open'").catch(() => false),
      'the tab did not join again',
      { timeout: 5000 },
    );
    expect(await holders(ids)).to.deep.equal([other]);
    expect((await stats()).open).to.equal(1);
  });
});
