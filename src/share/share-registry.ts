import { Connection, type ConnectionEnvironment } from '../core/connection.js';
import type { ConnectionOptions } from '../core/options.js';
import { ConnectionGroup } from './connection-group.js';

/**
 * The groups of one document for `share="page"`, by share key. A group ends
 * (and leaves this map) when its last member leaves; the next element to
 * join that key starts a new one.
 */
export class PageGroups {
  readonly #groups = new Map<string, ConnectionGroup>();
  readonly #environment: ConnectionEnvironment;

  constructor(environment: ConnectionEnvironment = {}) {
    this.#environment = environment;
  }

  get size(): number {
    return this.#groups.size;
  }

  lookup = (key: string, options: Readonly<ConnectionOptions>): ConnectionGroup => {
    let group = this.#groups.get(key);
    if (!group) {
      const started: ConnectionGroup = new ConnectionGroup(
        options,
        (groupOptions, callbacks) => new Connection(groupOptions, callbacks, this.#environment),
        () => {
          if (this.#groups.get(key) === started) this.#groups.delete(key);
        },
      );
      group = started;
      this.#groups.set(key, group);
    }
    return group;
  };
}

let pageGroups: PageGroups | undefined;

/** This realm's groups, made on first use so that importing touches nothing. */
export function sharedGroups(): PageGroups {
  pageGroups ??= new PageGroups();
  return pageGroups;
}
