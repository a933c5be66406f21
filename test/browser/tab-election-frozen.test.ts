/**
 * The tab election when Chromium freezes the leader's tab (Page Lifecycle,
 * through DevTools: only Chromium freezes pages and only its protocol can ask
 * for it; the test-runner config runs this file in Chromium alone).
 */
import { expect } from '@open-wc/testing';
import { inElectionTab, takenOver, tabsLeading, threeTabs } from './election-tabs.js';
import { tab } from './real-tabs.js';

describe('TabElection with a frozen leader', function () {
  this.timeout(30000);

  it("Chromium freezes the leader's tab: another tab steals within a second; the frozen one steps down and, resumed, does not lead", async () => {
    const { ids, leader, rest } = await threeTabs();
    const since = Date.now();
    await tab('freeze', { id: leader });
    const handover = await takenOver(rest, since);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await tab('resume', { id: leader });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const log = await inElectionTab<string[]>(leader, 'window.electionLog');
    console.log(`handover after Chromium froze the leader's tab: ${handover} ms; it logged ${log.join(', ')}`);
    expect(handover).to.be.below(1000);
    expect(await tabsLeading(ids)).to.have.length(1);
    // Chromium runs a frozen page's BroadcastChannel handlers: it hears the new leader and steps down while frozen.
    expect(log.filter((entry) => entry.startsWith('lead:'))).to.have.length(1);
    expect(log.at(-1)).to.match(/^follow@/);
    const steppedDown = Number(log.at(-1)!.split('@')[1]);
    expect(steppedDown - since).to.be.below(1000);
  });
});
