import { ShareGroups } from './share-registry.js';
import { TabConnection, type TabRelayEnvironment } from './tab-connection.js';

/** Groups whose connection is held by one tab of the origin for all (`share="tabs"`). */
export function tabGroups(environment: TabRelayEnvironment): ShareGroups {
  return new ShareGroups((key) => (options, callbacks) => new TabConnection(key, options, callbacks, environment));
}
