/**
 * A real back/forward navigation of a top-level page holding an element
 * (test/fixtures/bfcache.html, driven by test/server/history-plugin.js).
 *
 * Chromium and Firefox only: WebKitGTK's WebDriver ends the whole session when
 * a test opens a second window (seen 3 of 3 times), and the test page itself
 * cannot navigate away. In WebKit the restore path is covered by the
 * pagehide/pageshow tests in lifecycle.test.ts.
 */
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { newScope, server, type ServerStats } from './helpers.js';

describe('back/forward cache, for real', function () {
  this.timeout(30000);

  it('closes cleanly on the way out and, restored or reloaded, connects again', async () => {
    const scope = newScope('bfcache');
    const url = await server<string>(scope, 'url');
    const log = await executeServerCommand<string[], { search: string }>('back-forward', {
      search: `?ws=${encodeURIComponent(url)}`,
    });
    const stats = await server<ServerStats>(scope, 'stats');
    await server(scope, 'reset');
    expect(log.slice(0, 3)).to.deep.equal(['load', 'pageshow persisted=false', 'open']);
    const after = log.slice(3);
    if (log.includes('pageshow persisted=true')) {
      // Cached (Chromium): one clean close that the element made, then a new socket at once, with no retry.
      // The old socket's close may be delivered before or after `pageshow`; either way it reports 1000.
      expect(after[0]).to.equal('pagehide persisted=true');
      expect([...after.slice(1, 3)].sort()).to.deep.equal(['close 1000 clean=true', 'pageshow persisted=true']);
      expect(after.slice(3)).to.deep.equal(['open']);
      expect(stats.closeCodes[0]).to.equal(1000);
    } else {
      // Not cached (Firefox keeps pages with a WebSocket out of its cache): Firefox itself closes the socket
      // with 1001 before `pagehide`, so the element schedules a retry that `pagehide` then stops; the page
      // loads anew and connects.
      expect(after[0]).to.equal('close 1001 clean=true');
      expect(after.slice(-4)).to.deep.equal(['pagehide persisted=false', 'load', 'pageshow persisted=false', 'open']);
      expect(stats.closeCodes[0]).to.equal(1001);
    }
    expect(stats.accepted).to.be.at.least(2);
  });
});
