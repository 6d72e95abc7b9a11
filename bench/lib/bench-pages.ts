import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWebApp } from '../../server/stack/web-build.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const PAGES = join(ROOT, 'bench', 'pages');

/** Init scripts the browser benchmarks add to their pages (bench/pages/*.ts as IIFEs). */
export interface InitScripts {
  /** Timing helpers and peer-connection counting, on every page. */
  probe: string;
  /** Drives <earshot-softphone> through its public API, on the Earshot side. */
  earshotAdapter: string;
}

/** Newest modification time of any file below `dir`. */
function newestMtime(dir: string): number {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .reduce((newest, entry) => Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs), 0);
}

/** Builds the app and the widget into `dist` when missing or older than src/. */
function ensureAppBuild(dist: string): void {
  const index = join(dist, 'index.html');
  const widget = join(dist, 'widget', 'earshot-softphone.js');
  const stale = (file: string) =>
    !existsSync(file) || statSync(file).mtimeMs < newestMtime(join(ROOT, 'src'));
  if (!stale(index) && !stale(widget)) return;
  console.log(`building the app, the widget and the admin console into ${dist}`);
  buildWebApp(ROOT, dist);
}

async function bundle(entry: string, format: 'esm' | 'iife', outfile?: string): Promise<string> {
  const result = await build({
    entryPoints: [join(PAGES, entry)],
    bundle: true,
    minify: true,
    format,
    platform: 'browser',
    target: 'es2022',
    write: outfile !== undefined,
    ...(outfile ? { outfile } : {}),
    logLevel: 'warning',
  });
  return result.outputFiles?.[0]?.text ?? '';
}

/**
 * Prepares what the stack serves (test/support/stack.ts reads EARSHOT_DIST, set here; default
 * a folder under the system temp dir): the app and widget builds, plus the minimal JsSIP page at
 * /bench/minimal-jssip.html, so it is served by the same server and origin as Earshot's page.
 */
export async function prepareBenchPages(): Promise<InitScripts> {
  const dist = process.env.EARSHOT_DIST ?? join(tmpdir(), 'earshot-bench-dist');
  process.env.EARSHOT_DIST = dist;
  ensureAppBuild(dist);
  const out = join(dist, 'bench');
  mkdirSync(out, { recursive: true });
  await bundle('minimal-jssip.ts', 'esm', join(out, 'minimal-jssip.js'));
  copyFileSync(join(PAGES, 'minimal-jssip.html'), join(out, 'minimal-jssip.html'));
  return {
    probe: await bundle('probe.ts', 'iife'),
    earshotAdapter: await bundle('earshot-adapter.ts', 'iife'),
  };
}
