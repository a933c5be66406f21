/**
 * `share="tabs"` with `resume` in real browsers (same-origin iframes as tabs, as in share-tabs.test.ts) against
 * a real SessionServer: the tab that holds the socket is removed mid-stream, with messages flowing both ways,
 * and the next holder resumes the same session: nothing lost, nothing twice, one session at the server.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { newScope, statusBecomes } from './helpers.js';
import { frames, openTab, type Tab } from './iframe-tabs.js';

let scope = '';

function sessions<T = unknown>(action: string, options: Record<string, unknown> = {}): Promise<T> {
  return executeServerCommand<T, Record<string, unknown>>('session-server', { scope, action, ...options });
}

afterEach(async () => {
  for (const frame of frames.splice(0)) frame.remove();
  await sessions('reset');
});

interface Numbered {
  tab?: number;
  n?: number;
  push?: number;
}

describe('share="tabs" with resume', function () {
  this.timeout(20000);

  it('the holding tab removed mid-stream: the next resumes the session; nothing lost or twice, either way', async () => {
    scope = newScope('tabs-resume');
    const url = await sessions<string>('url');
    const tabs: Tab[] = [];
    for (let index = 0; index < 3; index++) tabs.push(await openTab(url, { attrs: { resume: '', json: '' } }));
    await Promise.all(tabs.map((tab) => statusBecomes(tab.element, 'open')));
    const session = tabs[0]!.element.session;
    expect(session).to.be.a('string');
    for (const tab of tabs) expect(tab.element.session).to.equal(session);

    const holder = tabs.find((tab) => tab.element.socket !== null)!;
    const others = tabs.filter((tab) => tab !== holder);
    const total = 60;
    for (let n = 1; n <= total; n++) {
      others.forEach((tab) => tab.element.send({ tab: tabs.indexOf(tab), n }));
      if (n === 20) await sessions('push', { count: 30 });
      if (n === 30) {
        // The holder goes while frames flow both ways; the other tabs keep sending through the handover.
        holder.frame.remove();
        frames.splice(frames.indexOf(holder.frame), 1);
      }
      if (n % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const perTab = others.length * total;
    await waitUntil(
      () => others.every((tab) => tab.messages.length === perTab + 30),
      'every echo and push in every remaining tab',
      { timeout: 10000 },
    );
    for (const tab of others) {
      const received = tab.messages as Numbered[];
      const pushes = received.filter((message) => message.push !== undefined).map((message) => message.push);
      expect(pushes).to.deep.equal(Array.from({ length: 30 }, (_, i) => i + 1));
      for (const sender of others) {
        const index = tabs.indexOf(sender);
        const echoes = received.filter((message) => message.tab === index).map((message) => message.n);
        expect(echoes).to.deep.equal(Array.from({ length: total }, (_, i) => i + 1));
      }
    }
    const atServer = await sessions<Numbered[]>('received');
    for (const sender of others) {
      const index = tabs.indexOf(sender);
      const arrived = atServer.filter((message) => message.tab === index).map((message) => message.n);
      expect(arrived).to.deep.equal(Array.from({ length: total }, (_, i) => i + 1));
    }
    expect(atServer).to.have.length(perTab);
    const newHolder = others.find((tab) => tab.element.socket !== null);
    expect(newHolder).to.not.equal(undefined);
    expect(newHolder!.element.session).to.equal(session);
    expect(newHolder!.element.resumed).to.equal(true);
    expect((await sessions<{ started: number }>('stats')).started).to.equal(1);
  });
});
