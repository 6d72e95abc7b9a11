import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

function vite(root: string, args: string[]): boolean {
  const result = spawnSync(
    process.execPath,
    [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', ...args],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  return result.status === 0;
}

/**
 * Builds the app page (dist/) and the embeddable widget (dist/widget/earshot-softphone.js) with
 * Vite, about a second each, and returns dist/. The app build empties dist/, so it goes first.
 */
export function buildWebApp(root: string): string {
  const dist = join(root, 'dist');
  const ok = vite(root, []) && vite(root, ['-c', 'vite.widget.config.ts']);
  if (
    !ok ||
    !existsSync(join(dist, 'index.html')) ||
    !existsSync(join(dist, 'widget', 'earshot-softphone.js'))
  ) {
    throw new Error('Building the web app failed (see the Vite output above).');
  }
  return dist;
}
