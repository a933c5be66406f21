import type { ShareScope } from './share-key.js';
import { pageGroups, type ShareGroups } from './share-registry.js';

let page: ShareGroups | undefined;
let tabs: ShareGroups | undefined;

/**
 * This document's groups of a scope, made on first use so that importing
 * touches nothing. `tabs` keys never meet `page` keys.
 */
export function sharedGroups(scope: ShareScope): ShareGroups {
  if (scope === 'page') return (page ??= pageGroups());
  return (tabs ??= pageGroups());
}
