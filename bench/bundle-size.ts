// `npm run bench -- bundle-size`: min+gzip size of the softphone page's JavaScript (production
// Vite build of index.html → src/app.ts) against JsSIP alone, bundled and minified by esbuild.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { metric, writeResult } from './lib/report.ts';
import { smokeTest, type SmokeResult } from './lib/static-smoke.ts';

const NAME = 'bundle-size';
const ROOT = join(import.meta.dirname, '..');
const KB = 1000;
const BASELINE_NAME = 'JsSIP alone (esbuild, minified ESM)';

/** Raw and gzip (level 9) byte counts of some JavaScript. */
interface Size {
  raw: number;
  gzip: number;
}

const sizeOf = (code: Uint8Array): Size => ({ raw: code.length, gzip: gzipSync(code, { level: 9 }).length });

const sum = (sizes: Size[]): Size =>
  sizes.reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }), { raw: 0, gzip: 0 });

/** Runs the project's own `vite build` (vite.config.ts) into `outDir`; throws if it fails. */
function viteBuild(outDir: string): void {
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const run = spawnSync(
    process.execPath,
    [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (run.status !== 0) throw new Error(`vite build failed:\n${run.stdout}${run.stderr}`);
}

/** Every JavaScript file the build emitted (the softphone page is the only entry), by name. */
function builtScripts(outDir: string): Map<string, Size> {
  const assets = join(outDir, 'assets');
  const files = readdirSync(assets).filter((f) => f.endsWith('.js'));
  if (files.length === 0) throw new Error(`No JavaScript in ${assets}`);
  return new Map(files.map((f) => [f, sizeOf(readFileSync(join(assets, f)))]));
}

/** JsSIP and nothing else, the way an integrator embedding it directly would ship it. */
async function jssipAlone(): Promise<Size> {
  const result = await build({
    stdin: {
      contents: "import * as JsSIP from 'jssip';\nconsole.log(JsSIP.version);\n",
      resolveDir: ROOT,
      loader: 'js',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no output for the JsSIP baseline');
  return sizeOf(file.contents);
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
