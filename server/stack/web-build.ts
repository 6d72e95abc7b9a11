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
 * The three builds, in order: the app page (empties `dist`), the embeddable widget
 * (`dist/widget/earshot-softphone.js`) and the admin console (`dist/admin.html`).
 */
const BUILDS = [
  { config: 'vite.config.ts', outDir: '', empty: true },
  { config: 'vite.widget.config.ts', outDir: 'widget', empty: true },
  { config: 'vite.admin.config.ts', outDir: '', empty: false },
] as const;

/** What every build must leave behind. */
const OUTPUTS = ['index.html', 'admin.html', join('widget', 'earshot-softphone.js')];

/**
 * Builds the app page, the widget and the admin console with Vite (about a second each) into
 * `dist` (default `<root>/dist`) and returns it; throws when a build fails.
 */
export function buildWebApp(root: string, dist = join(root, 'dist')): string {
  for (const { config, outDir, empty } of BUILDS) {
    const args = ['-c', config, '--outDir', join(dist, outDir), ...(empty ? ['--emptyOutDir'] : [])];
    if (!vite(root, args))
      throw new Error(`Building the web app failed (${config}; see the Vite output above).`);
  }
  const missing = OUTPUTS.filter((file) => !existsSync(join(dist, file)));
  if (missing.length) throw new Error(`The web build did not produce ${missing.join(', ')}.`);
  return dist;
}
