// @ts-check
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { engineFound, requestedEngines } from './test/server/engines.js';
import { launcherFor } from './test/server/launchers.js';
import { wsServerPlugin } from './test/server/ws-server-plugin.js';
import { demoServerPlugin } from './test/server/demo-server-plugin.js';
import { historyPlugin } from './test/server/history-plugin.js';
import { tabElectionPlugin } from './test/server/tab-election-plugin.js';
import { countReporter } from './test/server/count-reporter.js';
import { defaultReporter } from '@web/test-runner';

// `npm test` runs one engine per test-runner process (scripts/test.js); run by hand, every engine found runs.
const engines = requestedEngines().filter(engineFound);
if (engines.length === 0) throw new Error('None of the requested browser engines is installed (see README).');
const browsers = await Promise.all(engines.map((engine) => launcherFor(engine)));

/** A strict policy for the CSP fixture pages: no inline script or style, Trusted Types enforced. */
const strictCsp = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  'connect-src ws://127.0.0.1:*',
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  files: [
    'test/core/**/*.test.ts',
    'test/share/**/*.test.ts',
    'test/browser/**/*.test.ts',
    // WebKitGTK's WebDriver ends the session when a second window opens: see the file's comment.
    ...(engines.includes('webkit') && engines.length === 1 ? ['!test/browser/back-forward.test.ts'] : []),
  ],
  nodeResolve: true,
  // One page at a time: tabs share Chromium's per-host WebSocket handshake limits, so parallel files
  // delay each other's handshakes by seconds (seen as rare 10 s timeouts); one at a time is as fast here.
  concurrency: 1,
  browsers,
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022' }),
    wsServerPlugin(),
    demoServerPlugin(),
    historyPlugin(),
    tabElectionPlugin(),
  ],
  middleware: [
    async (context, next) => {
      await next();
      if (context.path.startsWith('/test/fixtures/csp')) context.set('Content-Security-Policy', strictCsp);
    },
  ],
  testFramework: { config: { timeout: 10000 } },
  // @open-wc/testing imports lit in its development build; that notice says nothing about this package.
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith('Lit is in dev mode'),
  reporters: [defaultReporter(), countReporter()],
};
