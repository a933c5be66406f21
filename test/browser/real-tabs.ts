/**
 * Real tabs of the test's browser for the `share="tabs"` tests, driven
 * through test/server/tabs-plugin.js (puppeteer: Chromium and Firefox). Each
 * tab loads test/fixtures/share-tabs.html from the second origin, whose pages
 * carry no `unload` listener (see history-plugin.js), so they can enter the
 * back/forward cache. Tabs opened here are closed after each test.
 */
import { waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { newScope, server } from './helpers.js';

const opened: string[] = [];
let scope = '';

/** One action of the tabs plugin. */
export function tab<T = unknown>(action: string, options: Record<string, unknown> = {}): Promise<T> {
  return executeServerCommand<T, Record<string, unknown>>('tab', { action, ...options });
}

/** What `script`, an expression over `element` (the tab's `<ws-connection>`), gives in tab `id`. */
export function inTab<T>(id: string, script: string): Promise<T> {
  return tab<T>('eval', {
    id,
    script: `(() => { const element = document.querySelector('ws-connection'); return ${script}; })()`,
  });
}

/** Closes a tab as a user would; it is not closed again after the test. */
export async function closeTab(id: string): Promise<void> {
  await tab('close', { id });
  opened.splice(opened.indexOf(id), 1);
}

/**
 * `count` tabs with a `share="tabs"` member each for a fresh scope, all open.
 * Answers their ids, the scope and the origin they were loaded from.
 */
export async function openRealTabs(count: number): Promise<{ ids: string[]; scope: string; base: string }> {
  scope = newScope('real-tabs');
  const base = await executeServerCommand<string, undefined>('second-origin');
  const query = new URLSearchParams({
    ws: await server<string>(scope, 'url'),
    attrs: JSON.stringify({ 'retry-delay': '30' }),
  });
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    ids.push(await tab<string>('open', { url: `${base}/test/fixtures/share-tabs.html?${query}` }));
  }
  opened.push(...ids);
  for (const id of ids) {
    await waitUntil(() => inTab<boolean>(id, "element?.status === 'open'"), `tab ${id} did not open`);
  }
  return { ids, scope, base };
}

/** The tabs among `ids` whose element holds the socket. */
export async function holders(ids: string[]): Promise<string[]> {
  const holding = await Promise.all(ids.map((id) => inTab<boolean>(id, 'element.socket !== null')));
  return ids.filter((_, index) => holding[index]);
}

afterEach(async () => {
  for (const id of opened.splice(0)) await tab('close', { id }).catch(() => undefined);
  if (scope) await server(scope, 'reset');
  scope = '';
});
