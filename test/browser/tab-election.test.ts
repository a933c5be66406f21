/**
 * The tab election with the browser's own Web Locks, BroadcastChannel and
 * MessageChannel, in every engine. Same-origin iframes stand in for tabs:
 * each is a document of its own (test/fixtures/tab-election.html), with its
 * own lock client, channels and timers, and removing one is a tab going away.
 *
 * Real tabs (closed, navigated, frozen) come from test/server/tabs-plugin.js,
 * in Chromium and Firefox: WebKitGTK's WebDriver cannot open a second window
 * (see back-forward.test.ts).
 */
import { expect, waitUntil } from '@open-wc/testing';
import { tabsSupported } from '../../src/share/tab-election.js';
import type { ElectionFrame } from '../fixtures/tab-election-frame.js';
import { tab } from './real-tabs.js';

interface Participant {
  readonly name: string;
  readonly iframe: HTMLIFrameElement;
  readonly frame: ElectionFrame;
}

let keys = 0;
const frames: HTMLIFrameElement[] = [];

/** A share key no other test uses. */
function newKey(): string {
  return `ws://127.0.0.1/tab-election-${Date.now().toString(36)}-${++keys}|`;
}

async function participant(name: string, key: string, { start = true } = {}): Promise<Participant> {
  const iframe = document.createElement('iframe');
  const search = new URLSearchParams({ key, name, start: start ? 'yes' : 'no' });
  iframe.src = `/test/fixtures/tab-election.html?${search}`;
  frames.push(iframe);
  document.body.append(iframe);
  await waitUntil(() => frameOf(iframe), `frame ${name} never loaded`, { timeout: 5000 });
  return { name, iframe, frame: frameOf(iframe)! };
}

/** The frame's election, once its module has run. */
function frameOf(iframe: HTMLIFrameElement): ElectionFrame | undefined {
  const view: object | null = iframe.contentWindow;
  return view && 'electionLog' in view ? (view as ElectionFrame) : undefined;
}

function leaders(participants: Participant[]): string[] {
  return participants.filter(({ frame }) => frame.election?.leading).map(({ name }) => name);
}

/** When (Date.now()) a participant last started leading. */
function ledAt(p: Participant): number {
  const entry = p.frame.electionLog.filter((e) => e.startsWith('lead:')).at(-1);
  return Number(entry?.split('@')[1]);
}

afterEach(() => {
  for (const iframe of frames.splice(0)) {
    frameOf(iframe)?.election?.stop();
    iframe.remove();
  }
});

describe('TabElection in this browser (iframes as tabs)', function () {
  this.timeout(20000);

  it('has what it needs: Web Locks (127.0.0.1 is a secure context), BroadcastChannel, MessageChannel', () => {
    expect(tabsSupported()).to.equal(true);
  });

  it('three frames elect one leader, and the followers learn its term', async () => {
    const key = newKey();
    const all = [await participant('a', key), await participant('b', key), await participant('c', key)];
    await waitUntil(() => leaders(all).length === 1, 'no leader', { timeout: 5000 });
    const [leader] = leaders(all);
    const epoch = all.find((p) => p.name === leader)!.frame.election!.epoch;
    await waitUntil(() => all.every((p) => p.frame.election!.epoch === epoch), 'followers never heard the term');
    // Still one, a while later: a healthy leader is not stolen from.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(leaders(all)).to.deep.equal([leader]);
    for (const p of all)
      expect(p.frame.electionLog.filter((e) => e.startsWith('lead')).length).to.equal(p.name === leader ? 1 : 0);
  });

  it("removing the leader's frame: another frame leads within a second, in a newer term", async () => {
    const key = newKey();
    const all = [await participant('a', key), await participant('b', key), await participant('c', key)];
    await waitUntil(() => leaders(all).length === 1, 'no leader', { timeout: 5000 });
    const old = all.find((p) => p.frame.election!.leading)!;
    const oldEpoch = old.frame.election!.epoch;
    const rest = all.filter((p) => p !== old);
    const removed = Date.now();
    old.iframe.remove();
    await waitUntil(() => leaders(rest).length === 1, 'nobody took over', { timeout: 1000 });
    const next = rest.find((p) => p.frame.election!.leading)!;
    const handover = ledAt(next) - removed;
    console.log(`handover after iframe removal: ${handover} ms`);
    expect(handover).to.be.below(1000);
    expect(next.frame.election!.epoch).to.be.greaterThan(oldEpoch);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(leaders(rest)).to.deep.equal([next.name]);
  });

  it('release() hands over at once; start() queues again and leads when the other goes', async () => {
    const key = newKey();
    const a = await participant('a', key);
    await waitUntil(() => a.frame.election!.leading, 'a never led');
    const b = await participant('b', key);
    await waitUntil(() => b.frame.election!.epoch === a.frame.election!.epoch, 'b never heard a');
    const released = Date.now();
    a.frame.election!.release();
    expect(a.frame.electionLog.at(-1)).to.match(/^follow@/);
    await waitUntil(() => b.frame.election!.leading, 'b never led', { timeout: 1000 });
    console.log(`handover after release(): ${ledAt(b) - released} ms`);
    a.frame.election!.start();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(leaders([a, b])).to.deep.equal(['b']);
    b.iframe.remove();
    await waitUntil(() => a.frame.election!.leading, 'a never led again', { timeout: 1000 });
    expect(a.frame.election!.epoch).to.be.greaterThan(b.frame.election!.epoch);
  });

  it('a holder that never beats (stuck) has the lock stolen within deadAfter + beat; its request rejects with AbortError', async () => {
    const key = newKey();
    const stuck = await participant('stuck', key, { start: false });
    const held = stuck.frame.holdSilently(key);
    const b = await participant('b', key);
    const c = await participant('c', key);
    const joined = Date.now();
    await waitUntil(() => leaders([b, c]).length === 1, 'nobody stole the lock', { timeout: 2000 });
    const thief = leaders([b, c])[0] === 'b' ? b : c;
    // A newcomer waits deadAfter (500) for a beat, probes, and steals after 125 to 250 more.
    const after = ledAt(thief) - joined;
    console.log(`steal from a silent holder, after joining: ${after} ms`);
    expect(after).to.be.below(1000);
    expect(await held).to.equal('AbortError');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(leaders([b, c])).to.deep.equal([thief.name]);
  });
});

/** Ids of the real tabs a test opened, closed after it. */
const openTabs: string[] = [];

afterEach(async () => {
  for (const id of openTabs.splice(0)) await tab('close', { id }).catch(() => undefined);
});

/** What `script` (an expression over the fixture's `electionLog` and `election`) gives in real tab `id`. */
function inElectionTab<T>(id: string, script: string): Promise<T> {
  return tab<T>('eval', { id, script });
}

async function tabsLeading(ids: string[]): Promise<string[]> {
  const flags = await Promise.all(ids.map((id) => inElectionTab<boolean>(id, 'window.election?.leading ?? false')));
  return ids.filter((_, index) => flags[index]);
}

/** ms from `since` to the first `lead` at or after it in any of `ids`. */
async function takenOver(ids: string[], since: number): Promise<number> {
  let first: number | undefined;
  await waitUntil(
    async () => {
      const logs = await Promise.all(ids.map((id) => inElectionTab<string[]>(id, 'window.electionLog ?? []')));
      const times = logs
        .flat()
        .filter((entry) => entry.startsWith('lead:'))
        .map((entry) => Number(entry.split('@')[1]));
      first = times.filter((time) => time >= since).sort((a, b) => a - b)[0];
      return first !== undefined;
    },
    'no other tab took over',
    { timeout: 3000, interval: 10 },
  );
  return first! - since;
}

describe('TabElection in real tabs (Chromium, Firefox)', function () {
  this.timeout(30000);

  // Puppeteer drives Chromium and Firefox (test/server/tabs-plugin.js); WebKit's WebDriver cannot open tabs.
  const puppeteerEngine = /Chrome|Firefox/.test(navigator.userAgent);
  const chromium = navigator.userAgent.includes('Chrome');

  /** Three tabs of one key, leaving on `pagehide` as the element will; answers their ids and the leader's. */
  async function threeTabs(): Promise<{ ids: string[]; leader: string; rest: string[] }> {
    const search = new URLSearchParams({ key: newKey(), pagehide: 'release' });
    const url = new URL(`/test/fixtures/tab-election.html?${search}`, location.href).href;
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) ids.push(await tab<string>('open', { url }));
    openTabs.push(...ids);
    let leading: string[] = [];
    await waitUntil(async () => (leading = await tabsLeading(ids)).length === 1, 'no single leader', {
      timeout: 5000,
    });
    const leader = leading[0]!;
    return { ids, leader, rest: ids.filter((id) => id !== leader) };
  }

  it("the leader's tab closes: another tab leads within a second", async function () {
    if (!puppeteerEngine) this.skip();
    const { leader, rest } = await threeTabs();
    const since = Date.now();
    await tab('close', { id: leader });
    openTabs.splice(openTabs.indexOf(leader), 1);
    const handover = await takenOver(rest, since);
    console.log(`handover after the leader's tab closed: ${handover} ms`);
    expect(handover).to.be.below(1000);
  });

  it("the leader's tab navigates away (release() on pagehide): another tab leads within a second", async function () {
    if (!puppeteerEngine) this.skip();
    const { leader, rest } = await threeTabs();
    const since = Date.now();
    await tab('navigate', { id: leader, url: new URL('/test/fixtures/elsewhere.html', location.href).href });
    const handover = await takenOver(rest, since);
    console.log(`handover after the leader's tab navigated: ${handover} ms`);
    expect(handover).to.be.below(1000);
  });

  it("Chromium freezes the leader's tab: another tab steals within a second; the frozen one steps down and, resumed, does not lead", async function () {
    if (!chromium) this.skip();
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
