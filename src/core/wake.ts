/** Why the host thinks its sockets may have died unnoticed. */
export type WakeReason = 'visible' | 'resume';

/**
 * Signals that the page was away (hidden, frozen) and is back: a socket may
 * have died meanwhile without a `close` (a proxy dropped it, the device
 * slept), so it is worth asking at once rather than at the next heartbeat.
 */
export interface WakeSignals {
  /** Calls `listener` each time the host comes back; returns an unsubscribe function. */
  onWake(listener: (reason: WakeReason) => void): () => void;
}

// eslint-disable-next-line @typescript-eslint/no-empty-function -- nothing was subscribed, so nothing to undo
const nothingToStop = (): void => {};

interface LifecycleDocument {
  readonly visibilityState?: string;
  addEventListener?(type: 'visibilitychange' | 'resume', listener: () => void): void;
  removeEventListener?(type: 'visibilitychange' | 'resume', listener: () => void): void;
}

/**
 * The document's `visibilitychange` (to `visible`) and `resume`, the Page
 * Lifecycle event that follows a freeze (Chromium only; elsewhere it never
 * fires, which costs nothing). Without a document (Node, a worker) nothing
 * is heard. The document is looked up when subscribing, never at import.
 */
export const hostWakeSignals: WakeSignals = {
  onWake(listener) {
    const document = (globalThis as { document?: LifecycleDocument }).document;
    if (!document?.addEventListener) return nothingToStop;
    const onVisibilityChange = (): void => {
      if (document.visibilityState === 'visible') listener('visible');
    };
    const onResume = (): void => listener('resume');
    document.addEventListener('visibilitychange', onVisibilityChange);
    document.addEventListener('resume', onResume);
    return () => {
      document.removeEventListener?.('visibilitychange', onVisibilityChange);
      document.removeEventListener?.('resume', onResume);
    };
  },
};
