import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { pwa } from './build/pwa.js';

// The web app builds into <repo>/dist/web, which the Fastify server serves at `/` (see src/api/app.ts).
// Development: `npx vite --config web/vite.config.ts` (hot reload) with `shoebox serve` (port 3210) answering /api.
const webDir = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webDir,
  base: '/',
  plugins: [
    react(),
    pwa({ favicon: fileURLToPath(new URL('public/favicon.svg', import.meta.url)), worker: fileURLToPath(new URL('src/sw.ts', import.meta.url)) }),
  ],
  resolve: {
    // MapLibre's CSP build: its worker is a file served with the app (styleLayer.ts), not a blob the policy would refuse
    alias: [{ find: /^maplibre-gl$/, replacement: 'maplibre-gl/dist/maplibre-gl-csp.js' }],
  },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // MapLibre (~950 kB, loaded only when an admin configures a map style) is one chunk by nature
    chunkSizeWarningLimit: 1000,
    rollupOptions: {
      // the service worker (/sw.js, at a stable URL: a worker's scope and updates follow its URL) is built alone by pwa()
      input: { index: fileURLToPath(new URL('index.html', import.meta.url)) },
      output: { entryFileNames: 'assets/[name]-[hash].js' },
    },
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:3210', changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:3210', changeOrigin: false },
    },
  },
});
