import { spawnSync } from 'node:child_process';
import { networkInterfaces } from 'node:os';

const MARK = 'EARSHOT_BENCH_NETNS';

/**
 * WebRTC benchmarks run inside a private network namespace that has only `lo` (as root:
 * `unshare -n`, then `ip link set lo up`), like scripts/test.ts runs the end-to-end suites:
 * Chromium then gathers no candidate on this machine's real interface. Called first by a
 * benchmark script: re-runs that script there and exits with its status; returns in the re-run.
 */
export function enterLoopbackNamespace(): void {
  if (process.env[MARK] === '1') {
    const others = Object.keys(networkInterfaces()).filter((name) => name !== 'lo');
    if (others.length > 0) throw new Error(`Not loopback-only: ${others.join(', ')} present`);
    return;
  }
  if (process.getuid?.() !== 0) {
    throw new Error('Browser benchmarks need root for a loopback-only network namespace (unshare -n).');
  }
  const [script = '', ...args] = process.argv.slice(1);
  const run = spawnSync(
    'unshare',
    [
      '-n',
      'sh',
      '-c',
      'ip link set lo up && exec "$0" "$@"',
      process.execPath,
      '--import',
      'tsx',
      script,
      ...args,
    ],
    { stdio: 'inherit', env: { ...process.env, [MARK]: '1' } },
  );
  process.exit(run.status ?? 1);
}
