/** Whether the host believes it is online, and a way to hear when it comes back. */
export interface NetworkStatus {
  readonly online: boolean;
  /** Calls `listener` each time the host comes online; returns an unsubscribe function. */
  onOnline(listener: () => void): () => void;
}

interface OnlineHost {
  navigator?: { onLine?: boolean };
  addEventListener?(type: 'online', listener: () => void): void;
  removeEventListener?(type: 'online', listener: () => void): void;
}

/**
 * `navigator.onLine` and the `online` event of a window or worker. Where the
 * host has neither (Node), it reports online, so attempts are never held back.
 */
export const hostNetwork: NetworkStatus = {
  get online() {
    return (globalThis as OnlineHost).navigator?.onLine !== false;
  },
  onOnline(listener) {
    const host = globalThis as OnlineHost;
    host.addEventListener?.('online', listener);
    return () => host.removeEventListener?.('online', listener);
  },
};
