import type { ConnectionCallbacks, SendOptions } from '../core/connection.js';
import { serializeMessage } from '../core/message-format.js';
import type { ConnectionOptions } from '../core/options.js';
import { SendQueue, type SocketData } from '../core/send-queue.js';
import type { SocketLike } from '../core/socket-like.js';
import type { Status } from '../core/status.js';
import type { ConnectionLink } from './connection-link.js';
import { toSessionValue, type ConnectionGroup, type GroupMember } from './connection-group.js';

/** Finds the group of a share key, starting it with `options` when there is none. */
export type GroupLookup = (key: string, options: Readonly<ConnectionOptions>) => ConnectionGroup;

/**
 * An element's membership of the group for one share key. It joins when the
 * element would otherwise connect (`connect()`, `reconnect()`) and leaves on
 * `close()`. While out of the group it reads `closed` and holds what is sent
 * in a queue of its own, handed to the group when it joins.
 */
export class SharedLink implements ConnectionLink, GroupMember {
  readonly key: string;
  readonly callbacks: ConnectionCallbacks;
  readonly warned: boolean;
  readonly #lookup: GroupLookup;
  #options: ConnectionOptions;
  #group: ConnectionGroup | undefined;
  readonly #held: SendQueue;

  /** `warned`: the element was warned about its group options while the share chunk loaded. */
  constructor(
    key: string,
    options: Readonly<ConnectionOptions>,
    callbacks: ConnectionCallbacks,
    lookup: GroupLookup,
    warned = false,
  ) {
    this.key = key;
    this.warned = warned;
    this.#options = { ...options };
    this.callbacks = callbacks;
    this.#lookup = lookup;
    this.#held = new SendQueue(options.queueLimit);
  }

  get options(): Readonly<ConnectionOptions> {
    return this.#options;
  }

  get status(): Status {
    return this.#joined()?.connection.status ?? 'closed';
  }

  get socket(): SocketLike | null {
    return this.#joined()?.connection.socket ?? null;
  }

  get attempt(): number {
    return this.#joined()?.connection.attempt ?? 0;
  }

  get queued(): number {
    return this.#joined()?.connection.queued ?? this.#held.size;
  }

  get rtt(): number | null {
    return this.#joined()?.connection.rtt ?? null;
  }

  get session(): string | null {
    return this.#joined()?.connection.session ?? null;
  }

  get resumed(): boolean {
    return this.#joined()?.connection.resumed ?? false;
  }

  /** The group's queue while a member, else what this element holds for it. */
  clearQueue(): SocketData[] {
    return [...this.#held.clear(), ...(this.#joined()?.connection.clearQueue() ?? [])];
  }

  /** The element's own options: `json` applies at once; the group's options were set by its first member. */
  configure(changes: Partial<ConnectionOptions>): void {
    this.#options = { ...this.#options, ...changes };
    this.#held.limit = this.#options.queueLimit;
  }

  /** Takes what was already serialized (an element's own queue when it starts sharing), as `send()` would. */
  sendPayload(payload: SocketData, options?: SendOptions): boolean {
    const group = this.#joined();
    if (group) return this.#hand(group, payload, options);
    if (options?.queue === false) return false;
    this.#held.push(payload);
    return false;
  }

  send(data: unknown, options?: SendOptions): boolean {
    const payload = serializeMessage(data, this.#options.json);
    return this.sendPayload(payload, options);
  }

  /** To the group's connection: what this member serialized, or with `resume` the value it holds. */
  #hand(group: ConnectionGroup, payload: SocketData, options?: SendOptions): boolean {
    const message = group.resume ? toSessionValue(payload, this.#options.json) : payload;
    return group.connection.send(message, options);
  }

  connect(): void {
    this.#join().connection.connect();
  }

  reconnect(): void {
    this.#join().connection.reconnect();
  }

  /** Leaves the group; the socket closes only when no member is left. */
  close(): void {
    const group = this.#group;
    this.#group = undefined;
    group?.leave(this);
  }

  /** The group, while a member: a group may drop a member by itself (its retry was cancelled). */
  #joined(): ConnectionGroup | undefined {
    if (this.#group && !this.#group.has(this)) this.#group = undefined;
    return this.#group;
  }

  #join(): ConnectionGroup {
    const joined = this.#joined();
    if (joined) return joined;
    const group = this.#lookup(this.key, this.#options);
    this.#group = group;
    group.join(this);
    // What was sent while out goes first, in order; what the group cannot take stays held.
    this.#held.drain((payload) => this.#hand(group, payload));
    return group;
  }
}
