// @ts-check
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { repositorySources } from '../repository-sources.js';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Relative asset URLs: the browser tests open the build from /examples/react/dist/ on the test server.
  base: './',
  plugins: [react(), repositorySources()],
  build: { outDir: 'dist', emptyOutDir: true },
});
