import { Connection } from '../core/connection.js';
import type { TabRelayEnvironment } from './tab-connection.js';
import { hostTabEnvironment, TabElection } from './tab-election.js';

/**
 * The browser's Web Locks and `BroadcastChannel` for the election and the
 * relay, and a `Connection` for the tab that holds the socket; `undefined`
 * where the browser lacks them (then `tabs` works as `page`).
 */
export function hostTabRelayEnvironment(): TabRelayEnvironment | undefined {
  const host = hostTabEnvironment();
  if (!host) return undefined;
  return {
    tab: Math.floor(host.random() * 2 ** 48).toString(36),
    elect: (key, callbacks) => new TabElection(key, host, callbacks),
    openChannel: (name) => host.openChannel(name),
    connect: (options, callbacks, sessionState) => new Connection(options, callbacks, { sessionState }),
    onLifecycle(listener) {
      const document = (globalThis as { document?: Document }).document;
      if (!document) return () => undefined;
      const onFreeze = (): void => listener('freeze');
      const onResume = (): void => listener('resume');
      document.addEventListener('freeze', onFreeze);
      document.addEventListener('resume', onResume);
      return () => {
        document.removeEventListener('freeze', onFreeze);
        document.removeEventListener('resume', onResume);
      };
    },
  };
}
