// @ts-check
import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { repositorySources } from '../repository-sources.js';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Relative asset URLs: the browser tests open the build from /examples/vue/dist/ on the test server.
  base: './',
  plugins: [
    vue({
      // A compile-time option: render <ws-connection> as an element instead of resolving a Vue component.
      template: { compilerOptions: { isCustomElement: (tag) => tag === 'ws-connection' } },
    }),
    repositorySources(),
  ],
  build: { outDir: 'dist', emptyOutDir: true },
});
