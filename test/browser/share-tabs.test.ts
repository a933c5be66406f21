/**
 * `share="tabs"` in real browsers: each "tab" is a same-origin iframe, a
 * document of its own with its own copy of the bundle, so they meet only
 * through what real tabs share (Web Locks, BroadcastChannel). Every engine
 * runs these. test/share/ has the relay's and the election's unit tests.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { newScope, nextEvent, server, statusBecomes, type ReceivedFrame, type ServerStats } from './helpers.js';
import { frames, openTab, type Tab } from './iframe-tabs.js';

let scope = '';

afterEach(async () => {
  for (const frame of frames.splice(0)) frame.remove();
  await server(scope, 'reset');
});

async function openTabs(count: number, options?: Parameters<typeof openTab>[1]): Promise<Tab[]> {
  scope = newScope('share-tabs');
  const url = await server<string>(scope, 'url');
  const tabs: Tab[] = [];
  for (let index = 0; index < count; index++) tabs.push(await openTab(url, options));
  await Promise.all(tabs.map((tab) => statusBecomes(tab.element, 'open')));
  return tabs;
}

const stats = (): Promise<ServerStats> => server<ServerStats>(scope, 'stats');
const holder = (tabs: Tab[]): Tab | undefined => tabs.find((tab) => tab.element.socket !== null);

describe('share="tabs"', function () {
  this.timeout(20000);

  it('three tabs, one connection at the server; a message sent from each reaches all three once', async () => {
    const tabs = await openTabs(3);
    expect((await stats()).accepted).to.equal(1);
    expect(tabs.filter((tab) => tab.element.socket !== null)).to.have.length(1);
    tabs.forEach((tab, index) => tab.element.send(`from tab ${index}`));
    const expected = ['from tab 0', 'from tab 1', 'from tab 2'];
    await waitUntil(() => tabs.every((tab) => tab.messages.length === 3), 'not every echo reached every tab');
    for (const tab of tabs) expect([...tab.messages].sort()).to.deep.equal(expected);
    const received = await server<ReceivedFrame[]>(scope, 'received');
    expect(received.map((frame) => frame.data).sort()).to.deep.equal(expected);
  });

  it('the tab holding the socket closes: another holds it within 1 s, one new connection, sends during the handover arrive once, in order', async () => {
    // The default retry delay: Firefox closes a removed frame's socket (1001) before its `pagehide`, and a
    // 30 ms retry could reconnect from the dying frame before it leaves the group.
    const tabs = await openTabs(3, { attrs: { 'retry-delay': '1000' } });
    const old = holder(tabs)!;
    const rest = tabs.filter((tab) => tab !== old);
    const reopened = rest.map((tab) => nextEvent(tab.element, 'open'));
    const closedAt = performance.now();
    old.frame.remove();
    rest.forEach((tab, index) => {
      for (let n = 1; n <= 3; n++) tab.element.send(`tab ${index} #${n}`);
    });
    await Promise.all(reopened);
    expect(performance.now() - closedAt).to.be.below(1000);
    expect(holder(rest)).to.not.equal(undefined);
    await waitUntil(
      async () => (await server<ReceivedFrame[]>(scope, 'received')).length >= 6,
      'not all sends arrived',
    );
    const received = (await server<ReceivedFrame[]>(scope, 'received')).map((frame) => frame.data);
    for (const index of [0, 1]) {
      expect(received.filter((data) => data.startsWith(`tab ${index} `))).to.deep.equal(
        [1, 2, 3].map((n) => `tab ${index} #${n}`),
      );
    }
    const { accepted, open } = await stats();
    expect([accepted, open]).to.deep.equal([2, 1]);
  });

  it('a server kill reconnects once for all tabs, not once per tab', async () => {
    const tabs = await openTabs(3);
    const reopened = tabs.map((tab) => nextEvent(tab.element, 'open'));
    await server(scope, 'kill');
    await Promise.all(reopened);
    expect((await stats()).accepted).to.equal(2);
  });

  it('works with the bundle loaded from another origin, as from a CDN', async () => {
    const origin = await executeServerCommand<string, undefined>('second-origin');
    const bundle = `${origin}/ws-connection.min.js`;
    expect(new URL(bundle).origin).to.not.equal(location.origin);
    const tabs = await openTabs(2, { bundle });
    expect((await stats()).accepted).to.equal(1);
    tabs[1]!.element.send('across');
    await waitUntil(() => tabs.every((tab) => tab.messages.includes('across')));
  });
});
