import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/** The dashboard: web/ → dist/web, served by the service under /ui (src/ui/ui.static.ts). */
export default defineConfig({
  root: __dirname,
  base: '/ui/',
  publicDir: resolve(__dirname, 'public'),
  resolve: { alias: { '@': resolve(__dirname, 'src') } },
  build: {
    outDir: resolve(__dirname, '..', 'dist', 'web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // one entry chunk: the first page needs the router, the API layer and ECharts anyway
    chunkSizeWarningLimit: 1200,
  },
});
