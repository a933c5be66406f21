import type { WakeReason, WakeSignals } from '../../src/core/wake.js';

/** `WakeSignals` driven by hand: `wake(reason)` fires the listeners, like the document's events. */
export class FakeWake implements WakeSignals {
  readonly #listeners = new Set<(reason: WakeReason) => void>();

  onWake(listener: (reason: WakeReason) => void): () => void {
    const entry = (reason: WakeReason): void => listener(reason);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  wake(reason: WakeReason = 'visible'): void {
    for (const listener of [...this.#listeners]) listener(reason);
  }
}
