/**
 * The entry of the share chunk: what `share="page"` and `share="tabs"` need
 * beyond the first module (the groups, the cross-tab relay, the election).
 * Only src/loading-link.ts reaches it, through `import()`; nothing imports it
 * statically, so every bundle keeps it out of the code a page loads first.
 */
export { SharedLink } from './shared-link.js';
export { sharedGroups } from './shared-groups.js';
