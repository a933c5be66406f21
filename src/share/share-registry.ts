import { Connection, type ConnectionEnvironment } from '../core/connection.js';
import type { ConnectionOptions } from '../core/options.js';
import { ConnectionGroup, type GroupConnectionFactory } from './connection-group.js';

/**
 * The groups of one scope (`page` or `tabs`) in this document, by share key.
 * A group ends (and leaves this map) when its last member leaves; the next
 * element to join that key starts a new one.
 */
export class ShareGroups {
  readonly #groups = new Map<string, ConnectionGroup>();
  readonly #connect: (key: string) => GroupConnectionFactory;

  /** `connect(key)` makes the connection of a new group for `key`. */
  constructor(connect: (key: string) => GroupConnectionFactory) {
    this.#connect = connect;
  }

  get size(): number {
    return this.#groups.size;
  }

  lookup = (key: string, options: Readonly<ConnectionOptions>): ConnectionGroup => {
    let group = this.#groups.get(key);
    if (!group) {
      const started: ConnectionGroup = new ConnectionGroup(options, this.#connect(key), () => {
        if (this.#groups.get(key) === started) this.#groups.delete(key);
      });
      group = started;
      this.#groups.set(key, group);
    }
    return group;
  };
}

/** Groups whose connection is a `Connection` in this document (`share="page"`). */
export function pageGroups(environment: ConnectionEnvironment = {}): ShareGroups {
  return new ShareGroups(() => (options, callbacks) => new Connection(options, callbacks, environment));
}
