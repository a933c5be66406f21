import { createHash } from 'node:crypto';
import { scripts, type ScriptName } from './redis-lua.js';
import type { SessionRecord, SessionStore, StoredFrame } from './session-store.js';

/**
 * The part of a node-redis client (`createClient()` of the `redis` package,
 * v5) the store uses. Declared here so that this module imports nothing from
 * `redis` at run time: the application makes and configures its client.
 */
export interface RedisClientLike {
  readonly isReady: boolean;
  sendCommand(args: string[]): Promise<unknown>;
  duplicate(): RedisClientLike;
  connect(): Promise<unknown>;
  subscribe(channel: string, listener: (message: string, channel: string) => unknown): Promise<unknown>;
  unsubscribe(channel: string, listener: (message: string, channel: string) => unknown): Promise<unknown>;
  // node-redis declares its listeners with any[]; unknown[] would not accept them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  on(event: string, listener: (...args: any[]) => void): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  off(event: string, listener: (...args: any[]) => void): unknown;
  close(): Promise<unknown>;
}

export interface RedisSessionStoreOptions {
  /**
   * A node-redis client, connected or not (the store connects it). The store
   * makes a second connection from it (`duplicate()`) for pub/sub. It
   * rejects calls while the client is not ready rather than queue them.
   */
  client: RedisClientLike;
  /** Put before every key and channel the store uses. Default `'wsc:'`. */
  prefix?: string;
}

interface Watcher {
  readonly epoch: number;
  readonly listener: () => void;
}

/** The watchers of one session's channel, and the subscription they share. */
interface Channel {
  readonly takeover: Set<Watcher>;
  readonly queued: Set<() => void>;
  readonly dispatch: (message: string) => void;
}

/**
 * A `SessionStore` on Redis (≥ 6.2), so that a client may resume its session
 * on any server process sharing the Redis, and any process may send in any
 * session (`SessionServer.send(id, data)`):
 *
 * ```js
 * import { createClient } from 'redis';
 * import { SessionServer } from 'ws-connection/server';
 * import { RedisSessionStore } from 'ws-connection/server/redis';
 *
 * const store = await RedisSessionStore.connect({ client: createClient({ url: process.env.REDIS_URL }) });
 * const sessions = new SessionServer({ store });
 * ```
 *
 * Each session is a hash (its numbers, user, epoch), a stream of the frames
 * the client has not acknowledged (entry id = frame number), and a list of
 * messages other processes sent; every call is one Lua script that checks
 * the epoch, and a claim publishes on the session's channel, where the
 * process that held it learns of the takeover. See docs/fleet.md.
 */
export class RedisSessionStore implements SessionStore {
  readonly #client: RedisClientLike;
  readonly #subscriber: RedisClientLike;
  readonly #prefix: string;
  readonly #channels = new Map<string, Channel>();
  readonly #failureListeners = new Set<(error: Error) => void>();
  readonly #sha = new Map<ScriptName, string>();
  /** Whether a connection was lost and its failure reported; cleared once both are ready again. */
  #failed = false;
  #closed = false;
  /** The chain of SUBSCRIBE / UNSUBSCRIBE calls, made one after another on the subscriber connection. */
  #subscribed: Promise<unknown> = Promise.resolve();
  readonly #onError = (error: Error): void => this.#fail(error);
  readonly #onReconnecting = (): void => this.#fail(new Error('reconnecting'));
  readonly #onEnd = (): void => {
    if (!this.#closed) this.#fail(new Error('connection closed'));
  };
  readonly #onReady = (): void => {
    if (this.#client.isReady && this.#subscriber.isReady) this.#failed = false;
  };

  /** Makes a store and connects its two connections; resolves once both are ready. */
  static async connect(options: RedisSessionStoreOptions): Promise<RedisSessionStore> {
    const store = new RedisSessionStore(options);
    await store.ready();
    return store;
  }

  constructor(options: RedisSessionStoreOptions) {
    this.#client = options.client;
    this.#subscriber = options.client.duplicate();
    this.#prefix = options.prefix ?? 'wsc:';
    for (const [name, source] of Object.entries(scripts)) {
      this.#sha.set(name as ScriptName, createHash('sha1').update(source).digest('hex'));
    }
    for (const client of [this.#client, this.#subscriber]) {
      // node-redis throws an 'error' nobody listens to; here each one means a lost connection.
      client.on('error', this.#onError);
      client.on('reconnecting', this.#onReconnecting);
      client.on('end', this.#onEnd);
      client.on('ready', this.#onReady);
    }
  }

  /** Connects whichever of its two connections is not connected yet. */
  async ready(): Promise<void> {
    await Promise.all(
      [this.#client, this.#subscriber].map((client) => (client.isReady ? Promise.resolve() : client.connect())),
    );
    this.#failed = false;
  }

  /** Closes both connections (the application's client too): call it after `SessionServer.close()`. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#channels.clear();
    for (const client of [this.#client, this.#subscriber]) {
      client.off('error', this.#onError);
      client.off('reconnecting', this.#onReconnecting);
      client.off('end', this.#onEnd);
      client.off('ready', this.#onReady);
      // A late socket error must not become an uncaught 'error'.
      client.on('error', () => undefined);
    }
    await Promise.all([this.#client, this.#subscriber].map((client) => client.close().catch(() => undefined)));
  }

  async create(record: SessionRecord): Promise<void> {
    const frames = record.unacknowledged.flatMap((frame) => [String(frame.s), frame.frame]);
    await this.#run('create', record.id, [
      record.user,
      String(record.epoch),
      String(record.sent),
      String(record.acknowledged),
      String(record.received),
      String(record.expiresAt ?? 0),
      ...frames,
    ]);
  }

  async load(id: string): Promise<SessionRecord | undefined> {
    return parseRecord(id, await this.#run('load', id, []));
  }

  async claim(id: string, epoch: number): Promise<SessionRecord | undefined> {
    return parseRecord(id, await this.#run('claim', id, [String(epoch), this.#channel(id)]));
  }

  async append(id: string, epoch: number, frame: StoredFrame): Promise<boolean> {
    return (await this.#run('append', id, [String(epoch), String(frame.s), frame.frame])) === 1;
  }

  async acknowledge(id: string, epoch: number, ack: number): Promise<boolean> {
    return (await this.#run('acknowledge', id, [String(epoch), String(ack)])) === 1;
  }

  async receive(id: string, epoch: number, received: number): Promise<boolean> {
    return (await this.#run('receive', id, [String(epoch), String(received)])) === 1;
  }

  async release(id: string, epoch: number, expiresAt: number): Promise<boolean> {
    return (await this.#run('release', id, [String(epoch), String(Math.ceil(expiresAt))])) === 1;
  }

  async delete(id: string, epoch: number): Promise<boolean> {
    return (await this.#run('delete', id, [String(epoch)])) === 1;
  }

  async enqueue(id: string, data: string, limit: number): Promise<'queued' | 'unknown' | 'overflow'> {
    const result = await this.#run('enqueue', id, [data, String(limit), this.#channel(id)]);
    return result === 1 ? 'queued' : result === 2 ? 'overflow' : 'unknown';
  }

  async takeQueued(
    id: string,
    epoch: number,
    sent: number,
    room: number,
  ): Promise<{ frames: StoredFrame[]; overflow: boolean } | false> {
    const result = await this.#run('takeQueued', id, [String(epoch), String(sent), String(room)]);
    if (!Array.isArray(result)) return false;
    const [, overflow, ...texts] = result as [number, number, ...string[]];
    return { frames: texts.map((frame, index) => ({ s: sent + 1 + index, frame })), overflow: overflow === 1 };
  }

  watchTakeover(id: string, epoch: number, listener: () => void): () => void {
    const watcher: Watcher = { epoch, listener };
    const channel = this.#watch(id, () => {
      // A claim published before the subscription was in place is read from the record instead.
      this.#run('load', id, []).then(
        (reply) => {
          const record = parseRecord(id, reply);
          if (record && record.epoch > epoch && channel.takeover.delete(watcher)) listener();
        },
        () => undefined,
      );
    });
    channel.takeover.add(watcher);
    return () => {
      channel.takeover.delete(watcher);
      this.#unwatchIfIdle(id, channel);
    };
  }

  watchQueued(id: string, listener: () => void): () => void {
    const watcher = (): void => listener();
    // What was queued before the subscription was in place is taken once it is.
    const channel = this.#watch(id, () => {
      if (channel.queued.has(watcher)) watcher();
    });
    channel.queued.add(watcher);
    return () => {
      channel.queued.delete(watcher);
      this.#unwatchIfIdle(id, channel);
    };
  }

  watchFailure(listener: (error: Error) => void): () => void {
    this.#failureListeners.add(listener);
    return () => this.#failureListeners.delete(listener);
  }

  /** The session's channel, subscribed on first use; `subscribed` runs once the subscription is in place. */
  #watch(id: string, subscribed: () => void): Channel {
    const name = this.#channel(id);
    let channel = this.#channels.get(name);
    if (!channel) {
      const created: Channel = {
        takeover: new Set(),
        queued: new Set(),
        dispatch: (message) => {
          if (message === 'q') {
            for (const listener of [...created.queued]) listener();
            return;
          }
          const raised = Number(message.slice(1));
          for (const watcher of [...created.takeover]) {
            if (watcher.epoch < raised && created.takeover.delete(watcher)) watcher.listener();
          }
        },
      };
      channel = created;
      this.#channels.set(name, created);
      this.#subscribed = this.#subscribed.then(() =>
        this.#subscriber.subscribe(name, (message) => created.dispatch(message)).catch(() => undefined),
      );
    }
    // Subscriptions are made in order on one connection: once this one resolves, every earlier one is in too.
    void this.#subscribed.then(() => {
      if (this.#channels.get(name) === channel) subscribed();
    });
    return channel;
  }

  #unwatchIfIdle(id: string, channel: Channel): void {
    const name = this.#channel(id);
    if (channel.takeover.size > 0 || channel.queued.size > 0 || this.#channels.get(name) !== channel) return;
    this.#channels.delete(name);
    if (this.#closed) return;
    this.#subscribed = this.#subscribed.then(() =>
      this.#subscriber.unsubscribe(name, channel.dispatch).catch(() => undefined),
    );
  }

  #channel(id: string): string {
    return `${this.#prefix}{${id}}`;
  }

  #keys(id: string): string[] {
    const record = this.#channel(id);
    return [record, `${record}:frames`, `${record}:queue`];
  }

  /** A lost connection, reported once per outage: the server ends its sessions (`error`). */
  #fail(cause: Error): void {
    if (this.#closed || this.#failed) return;
    this.#failed = true;
    const error = new Error(`Redis connection lost (${cause.message}): sessions may be gone`, { cause });
    for (const listener of [...this.#failureListeners]) listener(error);
  }

  /** Runs a script by its SHA1, loading it when Redis does not know it (a restarted Redis forgot them). */
  async #run(name: ScriptName, id: string, args: string[]): Promise<unknown> {
    if (this.#closed) throw new Error('RedisSessionStore: closed');
    if (!this.#client.isReady) throw new Error('RedisSessionStore: Redis is not connected');
    const keys = this.#keys(id);
    const sha = this.#sha.get(name) ?? '';
    try {
      return await this.#client.sendCommand(['EVALSHA', sha, String(keys.length), ...keys, ...args]);
    } catch (error) {
      if (!(error as Error).message.startsWith('NOSCRIPT')) throw error;
      return this.#client.sendCommand(['EVAL', scripts[name], String(keys.length), ...keys, ...args]);
    }
  }
}

/** load's and claim's reply: `[flat HGETALL, XRANGE entries]`, or null. */
function parseRecord(id: string, reply: unknown): SessionRecord | undefined {
  if (!Array.isArray(reply)) return undefined;
  const [flat, entries] = reply as [string[], [string, string[]][]];
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i] ?? '', flat[i + 1] ?? '');
  const number = (field: string): number => Number(fields.get(field) ?? 0);
  const expiresAt = number('expiresAt');
  return {
    id,
    user: fields.get('user') ?? '',
    epoch: number('epoch'),
    sent: number('sent'),
    acknowledged: number('acknowledged'),
    received: number('received'),
    unacknowledged: entries.map(([entryId, values]) => ({
      s: Number(entryId.slice(0, entryId.indexOf('-'))),
      frame: values[values.indexOf('f') + 1] ?? '',
    })),
    expiresAt: expiresAt > 0 ? expiresAt : null,
  };
}
