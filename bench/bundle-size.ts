// `npm run bench -- bundle-size`: min+gzip size of the softphone page's JavaScript (production
// Vite build of index.html → src/app.ts) against JsSIP alone, bundled and minified by esbuild.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metric, writeResult } from './lib/report.ts';
import { jssipAlone, sizeOf, sum, type Size } from './lib/sizes.ts';
import { smokeTest, type SmokeResult } from './lib/static-smoke.ts';
import { viteBuild } from './lib/vite-build.ts';

const NAME = 'bundle-size';
const KB = 1000;
const BASELINE_NAME = 'JsSIP alone (esbuild, minified ESM)';

/** Every JavaScript file the build emitted (the softphone page is the only entry), by name. */
function builtScripts(outDir: string): Map<string, Size> {
  const assets = join(outDir, 'assets');
  const files = readdirSync(assets).filter((f) => f.endsWith('.js'));
  if (files.length === 0) throw new Error(`No JavaScript in ${assets}`);
  return new Map(files.map((f) => [f, sizeOf(readFileSync(join(assets, f)))]));
}

function assertLoads(smoke: SmokeResult): void {
  if (!smoke.defined || smoke.pageErrors.length > 0) {
    throw new Error(
      `The built page did not load cleanly (defined: ${String(smoke.defined)}; errors: ${smoke.pageErrors.join(' | ')})`,
    );
  }
}

function report(softphone: Size, baseline: Size, files: Map<string, Size>, smoke: SmokeResult): void {
  const kb = (bytes: number): number => bytes / KB;
  writeResult(
    NAME,
    [
      metric({
        metric: 'softphone JS min+gz KB',
        unit: 'kB',
        earshot: kb(softphone.gzip),
        baseline: kb(baseline.gzip),
        baselineName: BASELINE_NAME,
        goal: 'earshot <= 75',
      }),
      metric({
        metric: 'JS raw min KB',
        unit: 'kB',
        earshot: kb(softphone.raw),
        baseline: kb(baseline.raw),
        baselineName: BASELINE_NAME,
        goal: 'ratio <= 1.3',
      }),
    ],
    {
      files: Object.fromEntries([...files].map(([name, s]) => [name.replace(/-[\w-]{8}\.js$/, '.js'), s])),
      smoke: { element: 'earshot-softphone', ...smoke },
      notes: [
        'kB = 1000 bytes; gzip is zlib level 9 of each emitted .js file (source maps not counted). A single build is deterministic, so there is nothing to repeat or interleave.',
        'Softphone: `vite build` with vite.config.ts (rolldown + oxc minifier, es2022). Its JsSIP has `debug` replaced by a no-op and its logger calls dropped; the baseline is stock JsSIP with `debug`.',
        'Smoke check: the built index.html is served from 127.0.0.1 and loaded in headless Chromium; earshot-softphone must be defined and no uncaught error thrown.',
      ],
    },
  );
}

async function main(): Promise<void> {
  const outDir = mkdtempSync(join(tmpdir(), 'earshot-bundle-'));
  try {
    viteBuild(outDir);
    const files = builtScripts(outDir);
    const softphone = sum([...files.values()]);
    const baseline = await jssipAlone();
    const smoke = await smokeTest(outDir, 'earshot-softphone');
    assertLoads(smoke);
    report(softphone, baseline, files, smoke);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

await main();
