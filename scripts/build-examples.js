// @ts-check
/**
 * Builds the framework examples (examples/react, examples/vue) with Vite into
 * their dist/ folders, for the browser tests that open them. Each example's
 * vite.config.js says how; this only runs them, one after the other, and
 * exits non-zero when one fails.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const examples = ['react', 'vue'];

for (const name of examples) {
  const configFile = fileURLToPath(new URL(`../examples/${name}/vite.config.js`, import.meta.url));
  // Vite's full report lists every chunk; warnings and errors are what a test run needs to show.
  await build({ configFile, logLevel: 'warn' });
  console.log(`built examples/${name}/dist`);
}
