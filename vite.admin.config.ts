import { defineConfig } from 'vite';
import { minifyLitTemplates } from './vite.shared.ts';

// The admin console (admin.html → src/admin.ts), built into the same dist/ after the app page but
// as its own build: sharing a Vite build with the softphone would split Lit into a shared chunk
// and cost every agent's page an extra request and ~2 kB gz (bench/bundle-size.ts).
export default defineConfig({
  plugins: [minifyLitTemplates()],
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    sourcemap: true,
    modulePreload: { polyfill: false },
    rolldownOptions: { input: { admin: 'admin.html' } },
  },
});
