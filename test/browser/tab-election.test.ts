/**
 * The tab election with the browser's own Web Locks, BroadcastChannel and
 * MessageChannel, in every engine. Same-origin iframes stand in for tabs:
 * each is a document of its own (test/fixtures/tab-election.html), with its
 * own lock client, channels and timers, and removing one is a tab going away.
 *
 * Real tabs (closed, navigated, frozen): tab-election-real-tabs.test.ts and
 * tab-election-frozen.test.ts.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { tabsSupported } from '../../src/share/tab-election.js';
import type { ElectionFrame } from '../fixtures/tab-election-frame.js';

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
