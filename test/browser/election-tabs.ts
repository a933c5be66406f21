/**
 * Real tabs for the tab election's tests (test/server/tabs-plugin.js, puppeteer: Chromium and Firefox), each
 * loading test/fixtures/tab-election.html, which records its election in `window.electionLog`.
 */
import { waitUntil } from '@open-wc/testing';
import { tab } from './real-tabs.js';

let keys = 0;

/** A share key no other test uses. */
function newKey(): string {
  return `ws://127.0.0.1/tab-election-real-${Date.now().toString(36)}-${++keys}|`;
}

/** Ids of the real tabs a test opened, closed after it. */
export const openTabs: string[] = [];

afterEach(async () => {
  for (const id of openTabs.splice(0)) await tab('close', { id }).catch(() => undefined);
});

/** What `script` (an expression over the fixture's `electionLog` and `election`) gives in real tab `id`. */
export function inElectionTab<T>(id: string, script: string): Promise<T> {
  return tab<T>('eval', { id, script });
}

export async function tabsLeading(ids: string[]): Promise<string[]> {
  const flags = await Promise.all(ids.map((id) => inElectionTab<boolean>(id, 'window.election?.leading ?? false')));
  return ids.filter((_, index) => flags[index]);
}

/** ms from `since` to the first `lead` at or after it in any of `ids`. */
export async function takenOver(ids: string[], since: number): Promise<number> {
  let first: number | undefined;
  await waitUntil(
    async () => {
      const logs = await Promise.all(ids.map((id) => inElectionTab<string[]>(id, 'window.electionLog ?? []')));
      const times = logs
        .flat()
        .filter((entry) => entry.startsWith('lead:'))
        .map((entry) => Number(entry.split('@')[1]));
      first = times.filter((time) => time >= since).sort((a, b) => a - b)[0];
      return first !== undefined;
    },
    'no other tab took over',
    { timeout: 3000, interval: 10 },
  );
  return first! - since;
}

/** Three tabs of one key, leaving on `pagehide` as the element will; answers their ids and the leader's. */
export async function threeTabs(): Promise<{ ids: string[]; leader: string; rest: string[] }> {
  const search = new URLSearchParams({ key: newKey(), pagehide: 'release' });
  const url = new URL(`/test/fixtures/tab-election.html?${search}`, location.href).href;
  const ids: string[] = [];
  for (let index = 0; index < 3; index++) ids.push(await tab<string>('open', { url }));
  openTabs.push(...ids);
  let leading: string[] = [];
  await waitUntil(async () => (leading = await tabsLeading(ids)).length === 1, 'no single leader', {
    timeout: 5000,
  });
  const leader = leading[0]!;
  return { ids, leader, rest: ids.filter((id) => id !== leader) };
}
