// @ts-check
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

/**
 * The CDN bundle: one self-contained, minified ES module with Lit inside that
 * defines the element on import. It bundles tsc's output (dist/), so the
 * TypeScript is compiled once, by tsc, for both builds.
 * @type {import('rollup').RollupOptions}
 */
export default {
  input: 'dist/ws-connection.js',
  output: {
    file: 'dist/ws-connection.min.js',
    format: 'es',
    sourcemap: true,
  },
  plugins: [
    nodeResolve({ browser: true }),
    terser({ ecma: 2020, module: true, format: { comments: false }, compress: { passes: 2 } }),
  ],
};
