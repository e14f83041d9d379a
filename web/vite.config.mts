import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

/** The dashboard: web/ → dist/web, served by the service under /ui (src/ui/ui.static.ts). */
export default defineConfig(({ command }) => ({
  root: here,
  base: '/ui/',
  publicDir: resolve(here, 'public'),
  resolve: {
    alias: { '@': resolve(here, 'src'), '@modelwatch/client': resolve(here, '..', 'clients', 'typescript', 'src', 'index.ts') },
  },
  build: {
    outDir: resolve(here, '..', 'dist', 'web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // one entry chunk: the first page needs the router, the API layer and ECharts anyway
    chunkSizeWarningLimit: 1200,
  },
  // a build is the production bundle whatever NODE_ENV the caller has (jest sets NODE_ENV=test, which used to turn
  // on ECharts' development checks in a bundle built from a test); the dev server keeps them
  define: command === 'build' ? { 'process.env.NODE_ENV': JSON.stringify('production') } : {},
}));
