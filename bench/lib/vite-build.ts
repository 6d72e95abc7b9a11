import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Runs the project's own `vite build` into `outDir` (emptied first): vite.config.ts (the app
 * page) by default, or another config such as vite.widget.config.ts. Throws if it fails.
 */
export function viteBuild(outDir: string, config?: string): void {
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const args = [vite, 'build', ...(config ? ['-c', config] : []), '--outDir', outDir, '--emptyOutDir'];
  const run = spawnSync(process.execPath, [...args, '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`vite build failed:\n${run.stdout}${run.stderr}`);
}
