import type { ShareScope } from './share-key.js';
import { pageGroups, type ShareGroups } from './share-registry.js';
import { tabGroups } from './tab-groups.js';
import { hostTabRelayEnvironment } from './tab-host.js';

let page: ShareGroups | undefined;
let tabs: ShareGroups | undefined;

/**
 * This document's groups of a scope, made on first use so that importing
 * touches nothing. Where the browser lacks what `tabs` needs (Web Locks,
 * `BroadcastChannel`), `tabs` groups work as `page` ones; their keys never
 * meet `page` keys.
 */
export function sharedGroups(scope: ShareScope): ShareGroups {
  if (scope === 'page') return (page ??= pageGroups());
  if (!tabs) {
    const environment = hostTabRelayEnvironment();
    tabs = environment ? tabGroups(environment) : pageGroups();
  }
  return tabs;
}
