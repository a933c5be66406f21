// @ts-check
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

/**
 * The CDN bundles: self-contained and minified, with Lit inside, defining the
 * element on load. They bundle tsc's output (dist/), so the TypeScript is
 * compiled once, by tsc, for every build.
 * @type {import('rollup').RollupOptions}
 */
export default {
  input: 'dist/ws-connection.js',
  output: [
    // For `<script type="module">`.
    { file: 'dist/ws-connection.min.js', format: 'es', sourcemap: true },
    // For pages that cannot use modules: a classic `<script src>`; exports land on `window.wsConnection`.
    { file: 'dist/ws-connection.iife.min.js', format: 'iife', name: 'wsConnection', sourcemap: true },
  ],
  plugins: [
    nodeResolve({ browser: true }),
    terser({ ecma: 2020, format: { comments: false }, compress: { passes: 2 } }),
  ],
};
