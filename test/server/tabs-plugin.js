// @ts-check
/**
 * Real tabs for the `share="tabs"` tests, through puppeteer (Chromium and
 * Firefox: WebKitGTK's WebDriver ends its session when a test opens another
 * window). Tabs are pages of the test's own browser context, so they share
 * its Web Locks and BroadcastChannels.
 *
 * `executeServerCommand('tab', { action, ... })`:
 * - `open { url }` → id: a new tab at `url`;
 * - `eval { id, script }` → the value of `script` (an expression) in that tab;
 * - `close { id }`: closes it, as a user would;
 * - `freeze { id }` / `resume { id }`: Chromium's Page Lifecycle, through DevTools;
 * - `navigate { id, url }` / `back { id }`: leave the page and come back (back/forward cache).
 * @returns {import('@web/test-runner').TestRunnerPlugin}
 */
export function tabsPlugin() {
  /** @type {Map<string, import('puppeteer-core').Page>} */
  const tabs = new Map();
  let next = 0;
  return {
    name: 'tabs',
    async executeCommand({ command, payload, session }) {
      if (command !== 'tab') return undefined;
      const request = /** @type {{ action: string, id?: string, url?: string, script?: string }} */ (payload);
      const launcher = /** @type {{ getPage?(id: string): import('puppeteer-core').Page }} */ (
        /** @type {unknown} */ (session.browser)
      );
      if (!launcher.getPage) throw new Error('Real tabs need a puppeteer-driven engine (Chromium, Firefox).');
      if (request.action === 'open') {
        const page = await launcher.getPage(session.id).browserContext().newPage();
        await page.goto(String(request.url));
        const id = `tab-${++next}`;
        tabs.set(id, page);
        return id;
      }
      const page = tabs.get(String(request.id));
      if (!page) throw new Error(`No tab ${String(request.id)}.`);
      switch (request.action) {
        case 'eval':
          return page.evaluate(String(request.script));
        case 'close':
          tabs.delete(String(request.id));
          await page.close();
          return true;
        case 'freeze':
        case 'resume': {
          const cdp = await page.createCDPSession();
          try {
            await cdp.send('Page.setWebLifecycleState', { state: request.action === 'freeze' ? 'frozen' : 'active' });
          } finally {
            await cdp.detach();
          }
          return true;
        }
        case 'navigate':
          await page.goto(String(request.url));
          return true;
        case 'back':
          // A page restored from the cache fires no load event, so the navigation itself is not awaited.
          void page.goBack().catch(() => undefined);
          return true;
        default:
          throw new Error(`Unknown tab action: ${request.action}`);
      }
    },
    async serverStop() {
      for (const page of tabs.values()) await page.close().catch(() => undefined);
      tabs.clear();
    },
  };
}
