// The web UI: `npm run build:web` writes web/dist, which the server serves at `/`.
// For development, `npx vite web` serves it with /api passed on to a running server
// (DETENTE_API, by default the address `detente serve` and `detente demo` use).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { land } from './build/land.ts';
import { precompress } from './build/precompress.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/',
  // land cut per country (build/land.ts); every text file precompressed (build/precompress.ts)
  plugins: [land(), precompress()],
  resolve: {
    // The record's verification code (src/record) runs in the page as it is; it asks
    // node:crypto for digests and Ed25519, served here by a small stand-in (web/src/shims).
    alias: {
      'node:crypto': here('src/shims/crypto.ts'),
    },
  },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
    // maplibre is one large module, and the map cannot be split further.
    chunkSizeWarningLimit: 1600,
    rolldownOptions: {
      output: {
        // The map's worker is a module file (.mjs). Served as .js it gets a JavaScript
        // type from any static server, which a module worker insists on.
        assetFileNames: (asset) => (asset.names.some((n) => n.endsWith('.mjs')) ? 'assets/[name]-[hash].js' : 'assets/[name]-[hash][extname]'),
      },
    },
  },
  server: {
    proxy: { '/api': { target: process.env.DETENTE_API ?? 'http://127.0.0.1:7474' } },
    // src/record and src/monitor sit outside web/, beside it in the repository.
    fs: { allow: [here('..')] },
  },
});
