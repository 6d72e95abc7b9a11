// `npm test`: lint, type check and every test suite, then one closing line `N passed, N failed`
// (CI reads it). Each step's own output streams through; suites are node:test files under test/.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { buildWebApp } from '../server/stack/web-build.ts';

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

const tally: Tally = { passed: 0, failed: 0, skipped: 0 };

function run(cmd: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit' });
    child.on('close', (code) => {
      resolve(code ?? 1);
    });
  });
}

/** Lint and type check count as one test each: they pass or fail as a whole. */
async function check(label: string, cmd: string, args: string[]): Promise<void> {
  console.log(`\n=== ${label} ===`);
  const ok = (await run(cmd, args)) === 0;
  if (ok) tally.passed += 1;
  else tally.failed += 1;
  console.log(`${label}: ${ok ? 'ok' : 'FAILED'}`);
}

function findTests(dir: string, skip: string[]): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return skip.includes(relative('test', path)) ? [] : findTests(path, skip);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function readTapCount(tap: string, key: string): number {
  const match = new RegExp(`^# ${key} (\\d+)$`, 'm').exec(tap);
  return match ? Number(match[1]) : 0;
}

/**
 * A test file that runs longer than this fails as timed out (node:test cancels it and says so),
 * so a hang costs minutes and still ends with the tally line. Generous: the largest budget a
 * suite gives itself is 120 s.
 */
const FILE_TIMEOUT_MS = 10 * 60_000;

/** node:test with a human reporter on the terminal and TAP to a file for the counts. */
async function nodeSuites(
  label: string,
  files: string[],
  options: { loopbackOnly?: boolean } = {},
): Promise<void> {
  const tapFile = join(tmpdir(), `earshot-tap-${process.pid}-${label.replace(/\W+/g, '-')}.txt`);
  const args = [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${options.loopbackOnly ? 1 : 2}`,
    `--test-timeout=${FILE_TIMEOUT_MS}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ];
  // The default route over lo gives programs that look for "the" local address (baresip) 127.0.0.1.
  const code = options.loopbackOnly
    ? await run('unshare', [
        '-n',
        'sh',
        '-c',
        `ip link set lo up && ip route add default dev lo && exec ${process.execPath} ${args.join(' ')}`,
      ])
    : await run(process.execPath, args);
  const tap = existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : '';
  rmSync(tapFile, { force: true });
  const failed = readTapCount(tap, 'fail') + readTapCount(tap, 'cancelled');
  tally.passed += readTapCount(tap, 'pass');
  tally.failed += failed;
  tally.skipped += readTapCount(tap, 'skipped') + readTapCount(tap, 'todo');
  // A crash outside any test (exit code without a failing test) still counts as a failure.
  if (code !== 0 && failed === 0) tally.failed += 1;
}

/** Component tests in Chromium; the summary reporter writes the counts to a file. */
async function componentSuites(): Promise<void> {
  console.log('\n=== component tests (web-test-runner, Chromium) ===');
  const summaryFile = join(tmpdir(), `earshot-wtr-${process.pid}.json`);
  process.env.EARSHOT_WTR_SUMMARY = summaryFile;
  const code = await run('npx', ['web-test-runner', '--config', 'web-test-runner.config.mjs']);
  let counts: Tally = { passed: 0, failed: 0, skipped: 0 };
  try {
    counts = JSON.parse(readFileSync(summaryFile, 'utf8')) as Tally;
  } catch {
    // No summary means the runner died before reporting.
  }
  rmSync(summaryFile, { force: true });
  tally.passed += counts.passed;
  tally.failed += counts.failed;
  tally.skipped += counts.skipped;
  if (code !== 0 && counts.failed === 0) tally.failed += 1;
}

/** True as root; otherwise says why suites that need a loopback-only namespace cannot run, and counts a failure. */
function canIsolate(what: string): boolean {
  if (process.getuid?.() === 0) return true;
  console.error(`${what} tests need root for a loopback-only network namespace (unshare -n). Run as root.`);
  tally.failed += 1;
  return false;
}

/**
 * Media suites (test/media/) send real RTP between real SIP devices (baresip), so like the
 * end-to-end suites they run in a private network namespace that has only `lo`.
 */
async function mediaSuites(files: string[]): Promise<void> {
  console.log(`\n=== media (${files.length} files, baresip and RTP, loopback-only namespace) ===`);
  if (!canIsolate('Media')) return;
  await nodeSuites('media', files, { loopbackOnly: true });
}

/**
 * End-to-end suites create WebRTC peer connections, so they run inside a private network
 * namespace that has only `lo` (as root: unshare -n), never on this machine's real interface.
 */
async function endToEndSuites(files: string[]): Promise<void> {
  console.log(`\n=== end-to-end (${files.length} files, Chromium, loopback-only namespace) ===`);
  if (!canIsolate('End-to-end')) return;
  // EARSHOT_DIST builds (and test/support/stack.ts serves) another folder than dist/.
  try {
    buildWebApp(process.cwd(), process.env.EARSHOT_DIST);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    tally.failed += 1;
    return;
  }
  await nodeSuites('e2e', files, { loopbackOnly: true });
}

/**
 * `tsx scripts/test.ts e2e <files…>` (after the builds) or `tsx scripts/test.ts media <files…>`:
 * only those files (default: the whole folder), in the loopback-only namespace.
 */
async function isolatedOnly(kind: 'e2e' | 'media', files: string[]): Promise<void> {
  const chosen = files.length ? files : findTests(`test/${kind}`, []);
  await (kind === 'e2e' ? endToEndSuites(chosen) : mediaSuites(chosen));
  console.log(`\n${tally.passed} passed, ${tally.failed} failed`);
  process.exitCode = tally.failed === 0 ? 0 : 1;
}

async function main(): Promise<void> {
  const kind = process.argv[2];
  if (kind === 'e2e' || kind === 'media') {
    await isolatedOnly(kind, process.argv.slice(3));
    return;
  }
  await check('lint', 'npx', ['eslint', '--max-warnings', '0', '.']);
  await check('typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
  console.log('\n=== node:test: server, Kamailio, integration ===');
  await nodeSuites('node', findTests('test', ['components', 'e2e', 'media']));
  await mediaSuites(findTests('test/media', []));
  await componentSuites();
  await endToEndSuites(findTests('test/e2e', []));
  const skipped = tally.skipped ? `, ${tally.skipped} skipped` : '';
  console.log(`\n${tally.passed} passed, ${tally.failed} failed${skipped}`);
  process.exitCode = tally.failed === 0 ? 0 : 1;
}

void main();
