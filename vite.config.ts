import { defineConfig } from 'vite';
import { PURE_JSSIP_LOGGING, softphonePlugins } from './vite.shared.ts';

// The app page is built into dist/ and served by the account service (`npm start`); during
// development `vite` serves it with /api proxied to the account service.
export default defineConfig({
  plugins: softphonePlugins(),
  build: {
    outDir: 'dist',
    target: 'es2022',
    sourcemap: true,
    // One chunk, no dynamic imports: the modulepreload polyfill would never have work to do.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: { app: 'index.html' },
      treeshake: { manualPureFunctions: PURE_JSSIP_LOGGING },
    },
  },
  server: {
    port: 5173,
    proxy: { '/api': `http://127.0.0.1:${process.env.EARSHOT_API_PORT ?? '8080'}` },
  },
});
