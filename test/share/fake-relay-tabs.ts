import type { ConnectionCallbacks } from '../../src/core/connection.js';
import { Connection } from '../../src/core/connection.js';
import { defaultOptions, type ConnectionOptions } from '../../src/core/options.js';
import type { ShareGroups } from '../../src/share/share-registry.js';
import { SharedLink } from '../../src/share/shared-link.js';
import type { Election, ElectionCallbacks, RelayChannel, TabRelayEnvironment } from '../../src/share/tab-connection.js';
import { tabGroups } from '../../src/share/tab-groups.js';
import { loadedSessionModule } from '../core/connection-harness.js';
import { FakeClock } from '../core/fake-clock.js';
import { FakeNetwork } from '../core/fake-network.js';
import { FakeSocket } from '../core/fake-socket.js';
import { FakeWake } from '../core/fake-wake.js';

/**
 * Several simulated tabs of one origin in one page: a broadcast bus that
 * delivers (structured-cloned) messages only when `deliver()` runs, as a
 * browser delivers them in later tasks, and an election whose lock goes to
 * the earliest waiting tab, as Web Locks grant it.
 */
export class FakeTabs {
  readonly clock = new FakeClock(1_000_000);
  readonly #channels = new Map<string, Set<FakeChannel>>();
  readonly #queue: (() => void)[] = [];
  readonly #waiting: FakeElection[] = [];
  #leader: FakeElection | undefined;
  #epoch = 0;

  constructor() {
    FakeSocket.reset();
  }

  openChannel(name: string, tab: string): FakeChannel {
    const channel = new FakeChannel(this, name, tab);
    let set = this.#channels.get(name);
    if (!set) this.#channels.set(name, (set = new Set()));
    set.add(channel);
    return channel;
  }

  post(from: FakeChannel, message: unknown): void {
    const copy = structuredClone(message);
    for (const channel of this.#channels.get(from.name) ?? []) {
      if (channel !== from) this.#queue.push(() => channel.receive(copy));
    }
  }

  closeChannel(channel: FakeChannel): void {
    this.#channels.get(channel.name)?.delete(channel);
  }

  /** Delivers every message and lock grant, including those they cause, like the tasks that follow. */
  deliver(): void {
    for (let rounds = 0; rounds < 1000; rounds++) {
      this.#grant();
      const next = this.#queue.shift();
      if (!next) return;
      next();
    }
    throw new Error('Messages kept causing messages.');
  }

  wait(election: FakeElection): void {
    this.#waiting.push(election);
  }

  leave(election: FakeElection): void {
    const index = this.#waiting.indexOf(election);
    if (index >= 0) this.#waiting.splice(index, 1);
    if (this.#leader === election) this.#leader = undefined;
  }

  get leader(): string | undefined {
    return this.#leader?.tab;
  }

  get leaderElection(): FakeElection | undefined {
    return this.#leader;
  }

  #grant(): void {
    if (this.#leader) return;
    const next = this.#waiting.shift();
    if (!next) return;
    this.#leader = next;
    next.callbacks.lead(++this.#epoch);
  }

  /** A simulated tab: its own share groups, over this bus and election. */
  tab(name: string): FakeTab {
    return new FakeTab(this, name);
  }
}

export class FakeChannel implements RelayChannel {
  onmessage: ((event: { data: unknown }) => void) | null = null;
  #open = true;
  constructor(
    readonly bus: FakeTabs,
    readonly name: string,
    readonly tab: string,
  ) {}
  postMessage(message: unknown): void {
    if (this.#open) this.bus.post(this, message);
  }
  receive(data: unknown): void {
    if (this.#open) this.onmessage?.({ data });
  }
  close(): void {
    this.#open = false;
    this.bus.closeChannel(this);
  }
}

export class FakeElection implements Election {
  get leading(): boolean {
    return this.bus.leader === this.tab && this.bus.leaderElection === this;
  }

  constructor(
    readonly bus: FakeTabs,
    readonly tab: string,
    readonly callbacks: ElectionCallbacks,
  ) {}
  start(): void {
    this.bus.wait(this);
  }
  stop(): void {
    this.bus.leave(this);
  }
}

export interface Member {
  link: SharedLink;
  log: string[];
}

export class FakeTab {
  readonly groups: ShareGroups;
  readonly channels: FakeChannel[] = [];
  readonly elections: FakeElection[] = [];
  #gone = false;

  constructor(
    readonly bus: FakeTabs,
    readonly name: string,
  ) {
    const environment: TabRelayEnvironment = {
      tab: name,
      elect: (_key, callbacks) => {
        const election = new FakeElection(bus, name, callbacks);
        this.elections.push(election);
        return election;
      },
      openChannel: (channelName) => {
        const channel = bus.openChannel(channelName, name);
        this.channels.push(channel);
        return channel;
      },
      connect: (options, callbacks, sessionState) =>
        new Connection(options, callbacks, {
          sessionState,
          sessionModule: loadedSessionModule(),
          WebSocket: FakeSocket,
          clock: bus.clock,
          random: () => 0,
          network: new FakeNetwork(),
          wake: new FakeWake(),
        }),
    };
    this.groups = tabGroups(environment);
  }

  /** A member element in this tab, logging what it hears. */
  member(options: Partial<ConnectionOptions> = {}): Member {
    const log: string[] = [];
    const callbacks: ConnectionCallbacks = {
      status: (status, previous) => log.push(`status:${status}<${previous}`),
      open: () => log.push('open'),
      close: (close) => log.push(`close:${close.code}`),
      error: (error) => log.push(`error:${error.code}`),
      retry: (attempt) => Boolean(log.push(`retry:${attempt}`)),
      message: (data) => log.push(`message:${String(data)}`),
    };
    const link = new SharedLink(
      'key',
      { ...defaultOptions, url: 'ws://a.test/', retryDelay: 100, ...options },
      callbacks,
      this.groups.lookup,
    );
    return { link, log };
  }

  /** The tab is closed or crashed: its locks go, its channels go silent, nothing of it runs again. */
  vanish(): void {
    this.#gone = true;
    for (const channel of this.channels) channel.close();
    for (const election of this.elections) election.stop();
  }

  get gone(): boolean {
    return this.#gone;
  }
}
