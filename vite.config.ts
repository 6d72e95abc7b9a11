import { defineConfig } from 'vite';

// The app page is built into dist/ and served by the account service (`npm start`); during
// development `vite` serves it with /api proxied to the account service.
export default defineConfig({
  build: {
    outDir: 'dist',
    target: 'es2022',
    sourcemap: true,
    rollupOptions: { input: { app: 'index.html' } },
  },
  server: {
    port: 5173,
    proxy: { '/api': `http://127.0.0.1:${process.env.EARSHOT_API_PORT ?? '8080'}` },
  },
});
