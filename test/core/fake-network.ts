import type { NetworkStatus } from '../../src/core/network.js';

/** A `NetworkStatus` driven by hand: flip `online`, then `goOnline()` fires the listeners. */
export class FakeNetwork implements NetworkStatus {
  online = true;
  readonly #listeners = new Set<() => void>();

  onOnline(listener: () => void): () => void {
    const entry = (): void => listener();
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  goOffline(): void {
    this.online = false;
  }

  /** Sets `online` and fires the `online` listeners, like the browser's `online` event. */
  goOnline(): void {
    this.online = true;
    for (const listener of [...this.#listeners]) listener();
  }
}
