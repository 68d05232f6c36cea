/**
 * The explorer's build: two pages (the explorer and the offline GraphQL IDE) into client/dist, which the
 * server serves. `npm run dev` runs this config's dev server with hot reload, proxying the API.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const __dirname = path.dirname(fileURLToPath(import.meta.url));

const api = `http://127.0.0.1:${process.env.PORT ?? 4000}`;

export default defineConfig({
  root: __dirname,
  base: '/',
  publicDir: false,
  logLevel: process.env.VITE_LOG_LEVEL === 'info' ? 'info' : 'warn',
  oxc: { jsx: { runtime: 'automatic', development: false } },
  build: {
    outDir: path.join(__dirname, 'dist'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2500,
    rollupOptions: {
      checks: { pluginTimings: false },
      // React libraries ship "use client" directives meant for server components; meaningless in a bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
      input: { explorer: path.join(__dirname, 'index.html'), graphiql: path.join(__dirname, 'graphiql.html') },
    },
  },
  worker: { format: 'es' },
  server: {
    port: Number(process.env.DEV_PORT ?? 5173),
    strictPort: true,
    proxy: { '/graphql': api, '/api': api, '/healthz': api },
  },
});
