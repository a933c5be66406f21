// @ts-check
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../src/', import.meta.url));

/**
 * A Vite plugin for the examples: resolves `ws-connection`,
 * `ws-connection/react` and `ws-connection/vue` to this repository's
 * sources, so the examples always run the code beside them. An app using the
 * published package needs none of this.
 * @returns {import('vite').Plugin}
 */
export function repositorySources() {
  return {
    name: 'ws-connection-repository-sources',
    config: () => ({
      resolve: {
        // Exact matches: a plain prefix alias for `ws-connection` would also rewrite `ws-connection/react`.
        alias: [
          { find: /^ws-connection$/, replacement: `${src}ws-connection.ts` },
          { find: /^ws-connection\/react$/, replacement: `${src}react.ts` },
          { find: /^ws-connection\/vue$/, replacement: `${src}vue.ts` },
        ],
      },
    }),
    // package.json's `sideEffects` names only the dist/ files that define the element, so without this the
    // bundler would take src/ws-connection.ts for side-effect free and drop its `WsConnection.define()`:
    // the tag would never be defined. (Published, dist/ws-connection.js is listed and keeps it.)
    transform(_code, id) {
      return id.startsWith(src) ? { moduleSideEffects: true } : null;
    },
  };
}
