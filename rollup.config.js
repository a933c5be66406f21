// @ts-check
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

/**
 * The file name of each chunk, by the name rollup gives it (that of the
 * module its `import()` names). Every opt-in part is reached through a
 * `LazyModule` (src/core/lazy-module.ts) whose `import()` names the part's
 * entry module; rollup makes that module and what only it needs a chunk,
 * and this table gives the chunk the name users preload. A chunk not listed
 * keeps rollup's name.
 * @type {Record<string, string>}
 */
const chunkFiles = { sharing: 'share', session: 'resume' };

const plugins = [
  nodeResolve({ browser: true }),
  terser({ ecma: 2020, format: { comments: false }, compress: { passes: 2 } }),
];

/**
 * The CDN bundles: self-contained and minified, with Lit inside, defining the
 * element on load. They bundle tsc's output (dist/), so the TypeScript is
 * compiled once, by tsc, for every build.
 * @type {import('rollup').RollupOptions[]}
 */
export default [
  {
    input: 'dist/ws-connection.js',
    // The chunks import what they share with the first module from it: without this, rollup would keep the
    // entry's exports exact and move that code into a third file the first module imports statically.
    preserveEntrySignatures: 'allow-extension',
    // For `<script type="module">`: the first module, and beside it a chunk per opt-in part (`share.min.js`),
    // which its `import()` finds relative to itself (`import.meta.url`), on a CDN as on the page's own server.
    output: {
      dir: 'dist',
      format: 'es',
      entryFileNames: 'ws-connection.min.js',
      chunkFileNames: (chunk) => `${chunkFiles[chunk.name] ?? chunk.name}.min.js`,
      sourcemap: true,
    },
    plugins,
  },
  {
    input: 'dist/ws-connection.js',
    // For pages that cannot use modules: a classic `<script src>`, one file with every part inside (a classic
    // script has no portable way to load chunks); exports land on `window.wsConnection`.
    output: {
      file: 'dist/ws-connection.iife.min.js',
      format: 'iife',
      name: 'wsConnection',
      inlineDynamicImports: true,
      sourcemap: true,
    },
    plugins,
  },
];
