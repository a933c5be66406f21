/**
 * A real Page Lifecycle freeze, in Chromium only: only Chromium freezes pages
 * and fires `resume`, and only its DevTools protocol can freeze one
 * (test/server/ws-server-plugin.js, `freeze-and-resume`). Firefox and WebKit
 * are covered by the dispatched `resume` in wake.test.ts; the test-runner
 * config leaves this file out of their runs.
 */
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { newScope, nextEvent, record, server, statusBecomes } from './helpers.js';

/** A socket that opened within the last second is not probed: wait that second out. */
function pastProbeGrace(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1100));
}

describe('noticing a dead connection after a freeze', () => {
  it('Chromium: a page frozen and resumed (Page Lifecycle) notices its dead socket at once', async () => {
    const scope = newScope('freeze');
    const url = await server<string>(scope, 'url');
    const marker = `freeze-${scope}`;
    const popup = window.open(`/test/fixtures/freeze.html?${marker}`)!;
    try {
      await nextEvent(popup, 'load');
      await popup.customElements.whenDefined('ws-connection');
      const element = popup.document.createElement('ws-connection');
      element.setAttribute('heartbeat-interval', '60000');
      element.setAttribute('heartbeat-timeout', '300');
      element.setAttribute('retry-delay', '10000');
      element.setAttribute('url', url);
      const opened = nextEvent(element, 'open');
      popup.document.body.append(element);
      await opened;
      await server(scope, 'silent');
      await pastProbeGrace();
      const resumed = nextEvent(popup.document, 'resume');
      const events = record(element, 'error', 'close', 'retry');
      const reconnecting = statusBecomes(element, 'reconnecting');
      await executeServerCommand('freeze-and-resume', { ms: 300, url: marker });
      await resumed;
      const resumedAt = performance.now();
      await reconnecting;
      expect(performance.now() - resumedAt).to.be.below(2000);
      // Chromium itself closes a frozen page's sockets (the console says "Page entered Back-Forward Cache") and
      // delivers the close on resume, so the socket's own error usually tells first; where the socket survived
      // the freeze, the probe on `resume` finds it dead within the heartbeat timeout.
      expect(events.map((event) => event.type)).to.deep.equal(['error', 'close', 'retry']);
      expect((events[0] as ErrorEvent).error.code).to.be.oneOf(['socket', 'heartbeat']);
      element.close();
    } finally {
      popup.close();
      await server(scope, 'reset');
    }
  });
});
