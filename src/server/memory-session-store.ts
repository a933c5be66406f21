import { dataFrame } from './frames.js';
import type { SessionRecord, SessionStore, StoredFrame } from './session-store.js';

interface MutableRecord {
  readonly id: string;
  readonly user: string;
  epoch: number;
  sent: number;
  acknowledged: number;
  received: number;
  unacknowledged: StoredFrame[];
  expiresAt: number | null;
}

interface Watcher {
  readonly epoch: number;
  readonly listener: () => void;
}

/** How often, at most, `create` looks for records nobody expired (see `sweep`). */
const SWEEP_INTERVAL = 1000;

/**
 * The default store: sessions in this process's memory, lost when it exits.
 * It is also the reference for a store on a shared database: two
 * `SessionServer`s given one `MemorySessionStore` behave like two processes
 * sharing a database (a client resumes on either; the other gives its socket
 * up), which is how the tests check the interface.
 */
export class MemorySessionStore implements SessionStore {
  readonly #records = new Map<string, MutableRecord>();
  readonly #watchers = new Map<string, Set<Watcher>>();
  /** Messages other servers queued for a session (`enqueue`), and whether the queue overflowed. */
  readonly #queues = new Map<string, { data: string[]; overflow: boolean }>();
  readonly #queueWatchers = new Map<string, Set<() => void>>();
  readonly #now: () => number;
  #lastSweep = 0;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** How many sessions it holds (expired ones may count until the next sweep). */
  get size(): number {
    return this.#records.size;
  }

  create(record: SessionRecord): Promise<void> {
    this.#sweep();
    this.#records.set(record.id, { ...record, unacknowledged: [...record.unacknowledged] });
    return Promise.resolve();
  }

  load(id: string): Promise<SessionRecord | undefined> {
    const record = this.#live(id);
    return Promise.resolve(record && snapshot(record));
  }

  claim(id: string, epoch: number): Promise<SessionRecord | undefined> {
    const record = this.#live(id);
    if (record?.epoch !== epoch) return Promise.resolve(undefined);
    record.epoch++;
    record.expiresAt = null;
    this.#notify(id, record.epoch);
    return Promise.resolve(snapshot(record));
  }

  append(id: string, epoch: number, frame: StoredFrame): Promise<boolean> {
    return this.#write(id, epoch, (record) => {
      record.unacknowledged.push(frame);
      record.sent = frame.s;
    });
  }

  acknowledge(id: string, epoch: number, ack: number): Promise<boolean> {
    return this.#write(id, epoch, (record) => {
      if (ack <= record.acknowledged) return;
      const kept = record.unacknowledged.findIndex((frame) => frame.s > ack);
      record.unacknowledged.splice(0, kept === -1 ? record.unacknowledged.length : kept);
      record.acknowledged = ack;
    });
  }

  receive(id: string, epoch: number, received: number): Promise<boolean> {
    return this.#write(id, epoch, (record) => {
      record.received = received;
    });
  }

  release(id: string, epoch: number, expiresAt: number): Promise<boolean> {
    return this.#write(id, epoch, (record) => {
      record.expiresAt = expiresAt;
    });
  }

  delete(id: string, epoch: number): Promise<boolean> {
    const record = this.#records.get(id);
    if (record && record.epoch !== epoch) return Promise.resolve(false);
    this.#forget(id);
    return Promise.resolve(true);
  }

  enqueue(id: string, data: string, limit: number): Promise<'queued' | 'unknown' | 'overflow'> {
    const record = this.#live(id);
    if (!record) return Promise.resolve('unknown');
    let queue = this.#queues.get(id);
    if (!queue) this.#queues.set(id, (queue = { data: [], overflow: false }));
    const full = queue.overflow || record.unacknowledged.length + queue.data.length >= limit;
    if (full) queue.overflow = true;
    else queue.data.push(data);
    for (const listener of this.#queueWatchers.get(id) ?? []) listener();
    return Promise.resolve(full ? 'overflow' : 'queued');
  }

  takeQueued(
    id: string,
    epoch: number,
    sent: number,
    room: number,
  ): Promise<{ frames: StoredFrame[]; overflow: boolean } | false> {
    const record = this.#live(id);
    if (record?.epoch !== epoch) return Promise.resolve(false);
    const queue = this.#queues.get(id);
    const frames = (queue?.data.splice(0, room) ?? []).map((data, index) => ({
      s: sent + 1 + index,
      frame: dataFrame(sent + 1 + index, data),
    }));
    record.unacknowledged.push(...frames);
    record.sent = frames.at(-1)?.s ?? record.sent;
    const overflow = (queue?.overflow ?? false) || (queue?.data.length ?? 0) > 0;
    if (queue && !overflow) this.#queues.delete(id);
    return Promise.resolve({ frames, overflow });
  }

  watchQueued(id: string, listener: () => void): () => void {
    let listeners = this.#queueWatchers.get(id);
    if (!listeners) this.#queueWatchers.set(id, (listeners = new Set()));
    const own = listeners;
    // A distinct function per call, so one listener watching twice is two watchers.
    const watcher = (): void => listener();
    own.add(watcher);
    return () => {
      own.delete(watcher);
      if (own.size === 0 && this.#queueWatchers.get(id) === own) this.#queueWatchers.delete(id);
    };
  }

  #forget(id: string): void {
    this.#records.delete(id);
    this.#watchers.delete(id);
    this.#queues.delete(id);
  }

  watchTakeover(id: string, epoch: number, listener: () => void): () => void {
    const watcher: Watcher = { epoch, listener };
    let watchers = this.#watchers.get(id);
    if (!watchers) this.#watchers.set(id, (watchers = new Set()));
    watchers.add(watcher);
    return () => {
      watchers.delete(watcher);
      if (watchers.size === 0 && this.#watchers.get(id) === watchers) this.#watchers.delete(id);
    };
  }

  #write(id: string, epoch: number, change: (record: MutableRecord) => void): Promise<boolean> {
    const record = this.#live(id);
    if (record?.epoch !== epoch) return Promise.resolve(false);
    change(record);
    return Promise.resolve(true);
  }

  /** The record unless it is past its expiry; an expired one is dropped on the way. */
  #live(id: string): MutableRecord | undefined {
    const record = this.#records.get(id);
    if (record?.expiresAt != null && record.expiresAt <= this.#now()) {
      this.#forget(id);
      return undefined;
    }
    return record;
  }

  #notify(id: string, epoch: number): void {
    for (const watcher of this.#watchers.get(id) ?? []) {
      if (watcher.epoch < epoch) {
        this.#watchers.get(id)?.delete(watcher);
        watcher.listener();
      }
    }
  }

  /**
   * A server expires its sessions itself; this drops records no server is
   * left to expire (their server closed), at most once a second, so the
   * store's memory stays bounded without a timer of its own.
   */
  #sweep(): void {
    const now = this.#now();
    if (now - this.#lastSweep < SWEEP_INTERVAL) return;
    this.#lastSweep = now;
    for (const id of [...this.#records.keys()]) this.#live(id);
  }
}

function snapshot(record: MutableRecord): SessionRecord {
  return { ...record, unacknowledged: [...record.unacknowledged] };
}
