import { defineConfig } from 'vite';
import { PURE_JSSIP_LOGGING, softphonePlugins } from './vite.shared.ts';

// The embeddable widget: one self-contained ES module, dist/widget/earshot-softphone.js, that a
// portal loads with a single <script type="module"> tag. Runs after the app build (which empties dist/).
export default defineConfig({
  plugins: softphonePlugins(),
  publicDir: false,
  build: {
    outDir: 'dist/widget',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    minify: true,
    lib: { entry: 'src/widget.ts', formats: ['es'], fileName: () => 'earshot-softphone.js' },
    rolldownOptions: {
      treeshake: { manualPureFunctions: PURE_JSSIP_LOGGING },
      // Library mode keeps whitespace with `minify: true` alone (FACTS.md); minify the output too.
      output: { minify: true },
    },
  },
});
