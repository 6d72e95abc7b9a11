// Component tests: @web/test-runner in Debian's Chromium (never a downloaded browser), TypeScript
// through esbuild, JsSIP pre-bundled once (its CommonJS circular requires defeat on-the-fly
// conversion), msw's worker served from node_modules so it never leaks into dist/.
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { summaryReporter } from './test/support/wtr/summary-reporter.mjs';
import { jssipBundlePlugin, mswWorkerPlugin } from './test/support/wtr/plugins.mjs';
import { defaultReporter } from '@web/test-runner';
import { CHROMIUM, CHROMIUM_ARGS } from './test/support/chromium-flags.mjs';

export default {
  files: ['test/components/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'development'] },
  concurrency: 1,
  testsFinishTimeout: 120_000,
  testFramework: { config: { timeout: 10_000 } },
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: CHROMIUM,
        args: ['--headless', ...CHROMIUM_ARGS],
      },
    }),
  ],
  plugins: [
    jssipBundlePlugin(),
    mswWorkerPlugin(),
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }),
  ],
  reporters: [defaultReporter(), summaryReporter(process.env.EARSHOT_WTR_SUMMARY)],
};
