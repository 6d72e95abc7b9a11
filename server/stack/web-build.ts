import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Builds the web app into dist/ with Vite (about a second) and returns the folder. */
export function buildWebApp(root: string): string {
  const result = spawnSync(
    process.execPath,
    [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  const dist = join(root, 'dist');
  if (result.status !== 0 || !existsSync(join(dist, 'index.html'))) {
    throw new Error('Building the web app failed (see the Vite output above).');
  }
  return dist;
}
