/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import {
  TabElection,
  tabLockName,
  type TabElectionEnvironment,
  type TabElectionTiming,
} from '../../src/share/tab-election.js';
import { FakeClock } from '../core/fake-clock.js';
import { FakeBrowser, type FakeTab } from './fake-tabs.js';

const KEY = 'ws://a.example.test/live|';
const LOCK = tabLockName(KEY);
const timing: TabElectionTiming = { beat: 250, deadAfter: 500 };

interface Participant {
  readonly name: string;
  readonly tab: FakeTab;
  readonly election: TabElection;
  /** `lead:<epoch>@<time>`, `follow@<time>`, `failed:<name>`. */
  readonly log: string[];
}

describe('TabElection (fake tabs)', () => {
  let clock: FakeClock;
  let browser: FakeBrowser;
  let participants: Participant[];
  /** Every moment (fake ms) at which two running tabs both believed they led, with who. */
  let overlaps: string[];
  /** Tabs left out of the one-leader check, for the tasks a thawed tab still has to run. */
  let exempt: Set<string>;

  /**
   * A tab whose election draws its id first (distinct per tab, as `Math.random` gives) and then `jitter` for
   * every steal delay.
   */
  function join(name: string, jitter: () => number = () => 0.5): Participant {
    const tab = browser.tab(name);
    let idDrawn = false;
    const random = (): number => {
      if (idDrawn) return jitter();
      idDrawn = true;
      return (participants.length + 1) / 100;
    };
    const log: string[] = [];
    const election = new TabElection(
      KEY,
      tab.environment(random),
      {
        lead: (epoch) => log.push(`lead:${epoch}@${clock.now()}`),
        follow: () => log.push(`follow@${clock.now()}`),
        failed: (error) => log.push(`failed:${(error as Error).name}`),
      },
      timing,
    );
    const participant = { name, tab, election, log };
    participants.push(participant);
    election.start();
    return participant;
  }

  /** The tabs that run and believe they lead. */
  function leaders(): string[] {
    return participants
      .filter(({ tab, election }) => election.leading && !tab.frozen && !tab.closed)
      .map(({ name }) => name);
  }

  beforeEach(() => {
    clock = new FakeClock(1_000_000);
    browser = new FakeBrowser(clock);
    participants = [];
    overlaps = [];
    exempt = new Set();
    browser.afterTask = () => {
      const running = leaders().filter((name) => !exempt.has(name));
      if (running.length > 1) overlaps.push(`${running.join('+')}@${clock.now()}`);
    };
  });

  afterEach(() => {
    for (const { election } of participants) election.stop();
  });

  it('elects exactly one of three tabs, and every follower learns its term', async () => {
    const a = join('a');
    const b = join('b');
    const c = join('c');
    await browser.run(1000);
    expect(leaders()).to.deep.equal(['a']);
    expect(a.log).to.deep.equal([`lead:${a.election.epoch}@1000000`]);
    expect(a.election.epoch).to.equal(1_000_000);
    expect(b.log).to.deep.equal([]);
    expect(c.log).to.deep.equal([]);
    expect(b.election.epoch).to.equal(a.election.epoch);
    expect(c.election.epoch).to.equal(a.election.epoch);
    expect(browser.locks.queued(LOCK)).to.deep.equal(['b', 'c']);
    expect(overlaps).to.deep.equal([]);
  });

  it('a healthy leader is never stolen from, however long it leads', async () => {
    join('a');
    join('b', () => 0);
    join('c', () => 0.99);
    await browser.run(30_000);
    expect(leaders()).to.deep.equal(['a']);
    expect(browser.locks.grants).to.deep.equal([`a:${LOCK}`]);
  });

  it("the leader's tab closes: the next tab in the queue leads at once, with a higher term", async () => {
    const a = join('a');
    const b = join('b');
    join('c');
    await browser.run(100);
    const first = a.election.epoch;
    a.tab.close();
    const closed = clock.now();
    await browser.run(0);
    expect(leaders()).to.deep.equal(['b']);
    expect(b.log).to.deep.equal([`lead:${Math.max(first + 1, closed)}@${closed}`]);
    await browser.run(1000);
    expect(leaders()).to.deep.equal(['b']);
    expect(overlaps).to.deep.equal([]);
  });

  for (const kind of ['page-lifecycle', 'stalled'] as const) {
    describe(`a leader frozen (${kind})`, () => {
      /** a leads, b steals first (its jitter is the smaller), c later; then a freezes. */
      async function threeWithFrozenLeader(how: typeof kind) {
        const a = join('a');
        const b = join('b', () => 0.1);
        const c = join('c', () => 0.9);
        await browser.run(1000);
        const oldEpoch = a.election.epoch;
        a.tab.freeze(how);
        return { a, b, c, oldEpoch };
      }

      it('is replaced within deadAfter + beat, by one steal', async () => {
        const { b, c, oldEpoch } = await threeWithFrozenLeader(kind);
        const frozen = clock.now();
        await browser.run(timing.deadAfter + timing.beat);
        expect(leaders()).to.deep.equal(['b']);
        const tookOver = Number(b.log[0]?.split('@')[1]);
        expect(tookOver - frozen).to.be.at.most(timing.deadAfter + timing.beat);
        // c probed too, but heard b's first beat before its own (later) steal was due.
        expect(c.log).to.deep.equal([]);
        expect(browser.locks.grants).to.deep.equal([`a:${LOCK}`, `b:${LOCK}`]);
        expect(b.election.epoch).to.be.greaterThan(oldEpoch);
        expect(c.election.epoch).to.equal(b.election.epoch);
        expect(overlaps).to.deep.equal([]);
      });

      it('steps down as soon as it hears or runs, never leads again in its old term, and queues again', async () => {
        const { a, b, c, oldEpoch } = await threeWithFrozenLeader(kind);
        await browser.run(2000);
        const newEpoch = b.election.epoch;
        const tookOver = Number(b.log[0]?.split('@')[1]);
        const postedBefore = browser.bus.posted.length;
        // Its held tasks (timers, the rejection of its stolen lock) run now; in `stalled`, it believes it leads
        // until one of them tells it otherwise, all within the instant it wakes (no fake time passes).
        exempt.add('a');
        a.tab.thaw();
        const thawed = clock.now();
        await browser.run(0);
        exempt.delete('a');
        expect(a.election.leading).to.equal(false);
        // Chromium runs a frozen page's BroadcastChannel handlers: it hears b's first beat and steps down at once.
        const steppedDown = kind === 'page-lifecycle' ? tookOver : thawed;
        expect(a.log).to.deep.equal([`lead:${oldEpoch}@1000000`, `follow@${steppedDown}`]);
        // What it said while stale carried its old term, which b and c ignore.
        const stale = browser.bus.posted
          .slice(postedBefore)
          .filter(({ from, data }) => from === 'a' && (data as { type: string }).type === 'beat');
        for (const { data } of stale) expect((data as { epoch: number }).epoch).to.equal(oldEpoch);
        expect(b.election.epoch).to.equal(newEpoch);
        expect(c.election.epoch).to.equal(newEpoch);
        await browser.run(5000);
        expect(leaders()).to.deep.equal(['b']);
        expect(a.log).to.have.length(2);
        expect(browser.locks.queued(LOCK)).to.deep.equal(['c', 'a']);
        expect(overlaps).to.deep.equal([]);
        // It is back in the queue: when b and c go, a leads again, in a newer term.
        b.tab.close();
        c.tab.close();
        await browser.run(0);
        expect(leaders()).to.deep.equal(['a']);
        expect(a.election.epoch).to.be.greaterThan(newEpoch);
      });
    });
  }

  // Chromium runs a hidden page's timers once a second, and its chained timers once a minute after five minutes.
  for (const floor of [1000, 60_000]) {
    it(`a leader whose timers run once every ${floor} ms (hidden tab) answers probes and keeps the lock`, async () => {
      const a = join('a');
      join('b', () => 0);
      join('c', () => 0.5);
      await browser.run(100);
      a.tab.timerFloor = floor;
      await browser.run(3 * floor);
      expect(leaders()).to.deep.equal(['a']);
      expect(browser.locks.grants).to.deep.equal([`a:${LOCK}`]);
    });
  }

  it('a frozen leader whose followers are all hidden is replaced only as fast as their timers run', async () => {
    const a = join('a');
    const b = join('b', () => 0);
    await browser.run(1000);
    b.tab.timerFloor = 1000;
    a.tab.freeze();
    const frozen = clock.now();
    await browser.run(3000);
    expect(leaders()).to.deep.equal(['b']);
    const tookOver = Number(b.log[0]?.split('@')[1]) - frozen;
    // The watch and the wait for an answer to the probe each take a hidden timer's second.
    expect(tookOver).to.be.above(timing.deadAfter + timing.beat);
    expect(tookOver).to.be.at.most(2 * 1000 + timing.beat);
  });

  it('a follower that was frozen does not steal from a healthy leader when it wakes', async () => {
    join('a');
    const b = join('b', () => 0);
    await browser.run(1000);
    b.tab.freeze();
    await browser.run(10_000);
    b.tab.thaw();
    await browser.run(5000);
    expect(leaders()).to.deep.equal(['a']);
    expect(b.log).to.deep.equal([]);
  });

  it('two followers that steal at the same moment end with one leader', async () => {
    const a = join('a');
    join('b', () => 0);
    join('c', () => 0);
    await browser.run(1000);
    a.tab.freeze();
    await browser.run(2000);
    expect(leaders()).to.have.length(1);
    expect(overlaps).to.deep.equal([]);
    await browser.run(10_000);
    expect(leaders()).to.have.length(1);
  });

  it('release() hands the lead over at once and start() queues again', async () => {
    const a = join('a');
    const b = join('b');
    await browser.run(100);
    a.election.release();
    expect(a.election.leading).to.equal(false);
    expect(a.log.at(-1)).to.equal(`follow@${clock.now()}`);
    await browser.run(0);
    expect(leaders()).to.deep.equal(['b']);
    // Gone from the lock and its queue: nothing of a's is left for a page to be cached with.
    expect(browser.locks.queued(LOCK)).to.deep.equal([]);
    a.election.start();
    await browser.run(3000);
    expect(leaders()).to.deep.equal(['b']);
    expect(browser.locks.queued(LOCK)).to.deep.equal(['a']);
    b.election.release();
    await browser.run(0);
    expect(leaders()).to.deep.equal(['a']);
    expect(a.election.epoch).to.be.greaterThan(b.election.epoch);
    expect(overlaps).to.deep.equal([]);
  });

  it('a follower that releases leaves the queue; release() and start() twice are harmless', async () => {
    join('a');
    const b = join('b');
    await browser.run(100);
    b.election.release();
    b.election.release();
    expect(browser.locks.queued(LOCK)).to.deep.equal([]);
    b.election.start();
    b.election.start();
    await browser.run(100);
    expect(browser.locks.queued(LOCK)).to.deep.equal(['b']);
    expect(b.log).to.deep.equal([]);
  });

  it('stop() lets go without a callback, and start() after it throws', async () => {
    const a = join('a');
    const b = join('b');
    await browser.run(100);
    a.election.stop();
    await browser.run(0);
    expect(a.log).to.have.length(1);
    expect(leaders()).to.deep.equal(['b']);
    expect(() => a.election.start()).to.throw(/after stop/);
    b.election.stop();
    await browser.run(0);
    expect(browser.locks.holder(LOCK)).to.equal(undefined);
    expect(clock.pending).to.equal(0);
  });

  it('a leader that hears of a newer term steps down, and the next leader numbers above it', async () => {
    const a = join('a');
    const b = join('b');
    await browser.run(100);
    // A beat from a term a has never seen (a leader it never heard, say, numbered from a clock ahead).
    const stranger = browser.tab('stranger');
    const channel = browser.bus.open(stranger, LOCK);
    channel.postMessage({ election: 'ws-connection', type: 'beat', epoch: 5_000_000, id: 'zzz' });
    await browser.run(0);
    expect(a.log.at(-1)).to.match(/^follow@/);
    expect(leaders()).to.deep.equal(['b']);
    expect(b.election.epoch).to.equal(5_000_001);
  });

  it("answers an older leader's beat at once, but never a claim equal to its own (no endless ping-pong)", async () => {
    const a = join('a');
    await browser.run(100);
    const mine = browser.bus.posted.find(({ from }) => from === 'a')!.data as { id: string };
    const channel = browser.bus.open(browser.tab('other'), LOCK);
    let heard = 0;
    channel.onmessage = () => heard++;
    channel.postMessage({ election: 'ws-connection', type: 'beat', epoch: a.election.epoch - 1, id: 'zzz' });
    await browser.run(0);
    expect(heard).to.equal(1);
    channel.postMessage({ election: 'ws-connection', type: 'beat', epoch: a.election.epoch, id: mine.id });
    await browser.run(0);
    expect(heard).to.equal(1);
    expect(leaders()).to.deep.equal(['a']);
  });

  it('ignores messages that are not its own', async () => {
    const a = join('a');
    await browser.run(100);
    const channel = browser.bus.open(browser.tab('other'), LOCK);
    for (const data of [null, 'beat', { type: 'beat', epoch: 9e15 }, { election: 'ws-connection', type: 'beat' }]) {
      channel.postMessage(data);
    }
    await browser.run(1000);
    expect(leaders()).to.deep.equal(['a']);
    expect(a.log).to.have.length(1);
  });

  it('a request that ends in AbortError before its callback ran is made again, not reported as a failure', async () => {
    const tab = browser.tab('unlucky');
    const log: string[] = [];
    const environment = tab.environment();
    const real = environment.locks;
    let requests = 0;
    environment.locks = {
      request: (name, options, callback) => {
        if (++requests > 1) return real.request(name, options, callback);
        return rejection('AbortError', 'stolen before the callback ran');
      },
    };
    const election = loggingElection(environment, log);
    election.start();
    await browser.run(100);
    expect(log).to.deep.equal(['lead']);
    expect(requests).to.equal(2);
    election.stop();
  });

  it('reports a lock manager that refuses (an opaque origin, say) through failed()', async () => {
    const tab = browser.tab('sandboxed');
    const log: string[] = [];
    const environment = tab.environment();
    environment.locks = {
      request: () => rejection('SecurityError', 'opaque origin'),
    };
    const election = loggingElection(environment, log);
    election.start();
    await browser.run(5000);
    expect(log).to.deep.equal(['SecurityError']);
    election.stop();
  });
});

/** A lock request that fails as the Web Locks API fails one: a rejected promise with a named error. */
function rejection(name: string, message: string): Promise<never> {
  const error = new Error(message);
  error.name = name;
  return Promise.reject(error);
}

/** An election that logs `lead`, `follow` and the name of each refusal. */
function loggingElection(environment: TabElectionEnvironment, log: string[]): TabElection {
  return new TabElection(
    KEY,
    environment,
    { lead: () => log.push('lead'), follow: () => log.push('follow'), failed: (e) => log.push((e as Error).name) },
    timing,
  );
}
