// @ts-check
/**
 * `executeServerCommand('tab-election', { url, how })`: real tabs for the tab
 * election (test/browser/tab-election.test.ts), through puppeteer (Chromium,
 * Firefox; WebKitGTK's WebDriver cannot open a second window). Opens three
 * tabs of `url` (test/fixtures/tab-election.html with a fresh key), waits for
 * one leader, then makes the leader's tab go away `how`:
 *
 * - `close`: the tab is closed;
 * - `navigate`: the tab navigates to another page (the fixture calls
 *   `release()` on `pagehide`, as the element will);
 * - `freeze`: Chromium freezes the tab (CDP `Page.setWebLifecycleState`), and
 *   resumes it a second later.
 *
 * Answers when another tab started leading (ms after the leader went), and
 * for `freeze` what the frozen tab logged and how many tabs lead after it
 * resumed.
 * @returns {import('@web/test-runner').TestRunnerPlugin}
 */
export function tabElectionPlugin() {
  return {
    name: 'tab-election',
    async executeCommand({ command, payload, session }) {
      if (command !== 'tab-election') return undefined;
      const { url, how } = /** @type {{ url: string, how: 'close' | 'navigate' | 'freeze' }} */ (payload);
      const launcher = /** @type {{ browser?: import('puppeteer-core').Browser }} */ (
        /** @type {unknown} */ (session.browser)
      );
      if (!launcher.browser) return { unsupported: 'no puppeteer browser in this launcher' };
      return inTabs(launcher.browser, url, how);
    },
  };
}

/** @typedef {import('puppeteer-core').Page} Page */

// These functions run in the page, where `globalThis` is its window.
/** @param {Page} page @returns {Promise<string[]>} */
const logOf = (page) =>
  page
    .evaluate(() => /** @type {{ electionLog?: string[] }} */ (/** @type {unknown} */ (globalThis)).electionLog ?? [])
    .catch(() => []);
/** @param {Page} page @returns {Promise<boolean>} */
const leading = (page) =>
  page
    .evaluate(
      () =>
        /** @type {{ election?: { leading: boolean } }} */ (/** @type {unknown} */ (globalThis)).election?.leading ??
        false,
    )
    .catch(() => false);
const at = (/** @type {string} */ entry) => Number(entry.split('@').at(-1));
const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {Page[]} pages @param {(flags: boolean[]) => boolean} done */
async function pollLeaders(pages, done, timeout = 5000) {
  const started = Date.now();
  let flags = await Promise.all(pages.map(leading));
  while (!done(flags) && Date.now() - started < timeout) {
    await sleep(10);
    flags = await Promise.all(pages.map(leading));
  }
  return flags;
}

/** The first `lead` entry at or after `since` in any of `pages`, as ms after `since`. @param {Page[]} pages */
async function tookOver(pages, since) {
  const started = Date.now();
  while (Date.now() - started < 3000) {
    for (const page of pages) {
      const entry = (await logOf(page)).find((e) => e.startsWith('lead:') && at(e) >= since);
      if (entry) return at(entry) - since;
    }
    await sleep(5);
  }
  return undefined;
}

/**
 * @param {import('puppeteer-core').Browser} browser
 * @param {string} url
 * @param {'close' | 'navigate' | 'freeze'} how
 */
async function inTabs(browser, url, how) {
  /** @type {Page[]} */
  const pages = [];
  try {
    for (let i = 0; i < 3; i++) {
      const page = await browser.newPage();
      await page.goto(url);
      pages.push(page);
    }
    const flags = await pollLeaders(pages, (f) => f.filter(Boolean).length === 1);
    const leader = flags.indexOf(true);
    if (leader < 0 || flags.filter(Boolean).length !== 1) return { error: `leaders: ${flags.join()}` };
    const gone = /** @type {Page} */ (pages[leader]);
    const rest = pages.filter((page) => page !== gone);
    const since = Date.now();
    if (how === 'close') {
      pages.splice(leader, 1);
      await gone.close();
      return { handover: await tookOver(rest, since) };
    }
    if (how === 'navigate') {
      await gone.goto(new URL('/test/fixtures/elsewhere.html', url).href);
      return { handover: await tookOver(rest, since) };
    }
    const cdp = await gone.createCDPSession();
    await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
    const handover = await tookOver(rest, since);
    await sleep(1000);
    await cdp.send('Page.setWebLifecycleState', { state: 'active' });
    await sleep(500);
    const after = await Promise.all(pages.map(leading));
    return {
      handover,
      frozenLog: (await logOf(gone)).map((entry) => `${entry.split('@')[0]}@${at(entry) - since}`),
      leadersAfterResume: after.filter(Boolean).length,
    };
  } finally {
    for (const page of pages) await page.close().catch(() => undefined);
  }
}
