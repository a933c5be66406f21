/**
 * The tab election across real tabs that close or navigate, in Chromium and
 * Firefox (test/server/tabs-plugin.js drives them with puppeteer). WebKitGTK's
 * WebDriver ends its session when a test opens a second window, so the
 * test-runner config leaves this file out of WebKit's run; there iframes
 * stand in for tabs (tab-election.test.ts).
 */
import { expect } from '@open-wc/testing';
import { openTabs, takenOver, threeTabs } from './election-tabs.js';
import { tab } from './real-tabs.js';

describe('TabElection in real tabs', function () {
  this.timeout(30000);

  it("the leader's tab closes: another tab leads within a second", async () => {
    const { leader, rest } = await threeTabs();
    const since = Date.now();
    await tab('close', { id: leader });
    openTabs.splice(openTabs.indexOf(leader), 1);
    const handover = await takenOver(rest, since);
    console.log(`handover after the leader's tab closed: ${handover} ms`);
    expect(handover).to.be.below(1000);
  });

  it("the leader's tab navigates away (release() on pagehide): another tab leads within a second", async () => {
    const { leader, rest } = await threeTabs();
    const since = Date.now();
    await tab('navigate', { id: leader, url: new URL('/test/fixtures/elsewhere.html', location.href).href });
    const handover = await takenOver(rest, since);
    console.log(`handover after the leader's tab navigated: ${handover} ms`);
    expect(handover).to.be.below(1000);
  });
});
