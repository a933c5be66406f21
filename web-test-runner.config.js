// @ts-check
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { engineFound, requestedEngines } from './test/server/engines.js';
import { launcherFor } from './test/server/launchers.js';
import { wsServerPlugin } from './test/server/ws-server-plugin.js';
import { demoServerPlugin } from './test/server/demo-server-plugin.js';
import { historyPlugin } from './test/server/history-plugin.js';
import { tabsPlugin } from './test/server/tabs-plugin.js';
import { graphqlPlugin } from './test/server/graphql-plugin.js';
import { sessionServerPlugin } from './test/server/session-server-plugin.js';
import { fleetPlugin } from './test/server/fleet-plugin.js';
import { countReporter } from './test/server/count-reporter.js';
import { defaultReporter } from '@web/test-runner';

// The engines are Chromium, Firefox and WebKit (test/server/engines.js). `npm test` runs one engine per
// test-runner process (scripts/test.js); run by hand, every engine found runs.
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

/** The flaky fixture's chunk paths already answered with a failure. */
const failedChunks = new Set();

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  files: [
    'test/core/**/*.test.ts',
    'test/share/**/*.test.ts',
    'test/browser/**/*.test.ts',
    // Files that run in fewer engines, each saying why in its comment. A run of one engine (as npm test makes)
    // gets exactly its set; a run of several leaves out what any of them cannot run.
    ...(engines.every((engine) => engine === 'chromium')
      ? []
      : [
          '!test/browser/freeze.test.ts',
          '!test/browser/share-frozen-tab.test.ts',
          '!test/browser/tab-election-frozen.test.ts',
        ]),
    ...(engines.includes('webkit')
      ? [
          '!test/browser/back-forward.test.ts',
          '!test/browser/share-real-tabs.test.ts',
          '!test/browser/tab-election-real-tabs.test.ts',
        ]
      : []),
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
    tabsPlugin(),
    graphqlPlugin(),
    sessionServerPlugin(),
    fleetPlugin(),
  ],
  middleware: [
    // The CDN bundle alone, with no chunk beside it: what a page gets when a chunk fails to load.
    async (context, next) => {
      if (context.path === '/test/fixtures/chunkless/ws-connection.min.js') context.path = '/dist/ws-connection.min.js';
      await next();
    },
    // A page whose chunks fail once: /test/fixtures/flaky/TOKEN/ serves the CDN bundle (and chunk.js, a module for
    // the raw repro), and answers the first request for each chunk with a 503 and later ones with the chunk, each
    // TOKEN on its own.
    async (context, next) => {
      const flaky =
        /^\/test\/fixtures\/flaky\/[\w-]+\/(page\.html|chunk\.js|ws-connection\.min\.js|share\.min\.js|resume\.min\.js)$/.exec(
          context.path,
        );
      if (flaky) {
        const [path, file] = flaky;
        if (file === 'page.html') context.path = '/test/fixtures/flaky.html';
        else if (file !== 'ws-connection.min.js' && !failedChunks.has(path)) {
          failedChunks.add(path);
          context.status = 503;
          context.body = 'the first request for this chunk fails';
          return;
        } else context.path = file === 'chunk.js' ? '/test/fixtures/flaky-chunk.js' : `/dist/${file}`;
      }
      await next();
    },
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
