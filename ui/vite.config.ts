// Vite and Vitest configuration for the Tokenwarden UI.
// The dev server port is fixed because tauri.conf.json's devUrl points at it.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { PATCHED_PACKAGES, patchForFrozenPrototype } from './src/lib/frozenPrototype';

/** See src/lib/frozenPrototype.ts: d3 loads under Tauri's frozen Object.prototype. */
const frozenPrototype: Plugin = {
  name: 'tokenwarden-frozen-prototype',
  enforce: 'pre',
  transform: (code, id) => patchForFrozenPrototype(code, id),
};

export default defineConfig({
  plugins: [frozenPrototype, svelte(), svelteTesting()],
  // Served as they are in dev, so the patch above applies to them there too.
  optimizeDeps: { exclude: PATCHED_PACKAGES },
  clearScreen: false,
  server: { port: 1420, strictPort: true, host: '127.0.0.1' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/test-setup.ts'],
  },
});
