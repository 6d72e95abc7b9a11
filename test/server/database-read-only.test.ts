// A SQLite database Earshot cannot write: start fails with one clear line (which file, why), an up
// to date database is never written by the migration, and a database that turns immutable while
// running makes health say read-only and requests answer 503 (before the fix: SIGBUS, no log line).
//
// Root ignores mode bits, so the mode-bit cases run the CLI as `nobody` (setpriv); the immutable
// cases use chattr +i (root only, and only where the file system supports it).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { HEALTH_CACHE_MS } from '../../server/api/health.ts';
import type { ComponentHealth } from '../../server/api/schemas.ts';
import { migrate } from '../../server/db/migrate.ts';
import type { Database } from '../../server/db/schema.ts';
import { PASSWORD_1001, startApi, type ApiHarness } from '../support/api-harness.ts';
import { createTestDatabase } from '../support/databases.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'server', 'cli', 'main.ts');
const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

/** True when `chattr +i` works here (root on a file system with the immutable flag, like ext4). */
function chattrWorks(): boolean {
  if (!isRoot) return false;
  const dir = mkdtempSync(join(tmpdir(), 'earshot-chattr-'));
  const file = join(dir, 'probe');
  writeFileSync(file, '');
  const works = spawnSync('chattr', ['+i', file]).status === 0;
  spawnSync('chattr', ['-i', file]);
  rmSync(dir, { recursive: true, force: true });
  return works;
}

function chattr(flag: '+i' | '-i', files: string[]): void {
  const result = spawnSync('chattr', [flag, ...files.filter((file) => existsSync(file))], {
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
}

const CHATTR = chattrWorks();
const noChattr = CHATTR
  ? false
  : 'chattr +i is not available here (needs root and a file system with the flag)';

/** `earshot migrate` against `databaseUrl`, as `nobody` when `asNobody` (and we are root). */
function cliMigrate(databaseUrl: string, asNobody = false): { status: number | null; stderr: string } {
  const scratch = mkdtempSync(join(tmpdir(), 'earshot-cli-'));
  chmodSync(scratch, 0o777);
  const node = [process.execPath, '--import', 'tsx', CLI, 'migrate'];
  const [command = '', ...args] =
    asNobody && isRoot
      ? ['setpriv', `--reuid=${String(NOBODY)}`, `--regid=${String(NOBODY)}`, '--clear-groups', ...node]
      : node;
  const result = spawnSync(command, args, {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      EARSHOT_DATA_DIR: scratch,
      EARSHOT_SECRET_KEY: '00'.repeat(32),
      HOME: scratch,
      TMPDIR: scratch,
    },
  });
  rmSync(scratch, { recursive: true, force: true });
  return { status: result.status, stderr: result.stderr };
}

/** One line, naming the file and the reason, no stack trace. */
function assertOneClearLine(stderr: string, reason: RegExp): void {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, stderr);
  assert.match(lines[0] ?? '', /^earshot: The database \/\S+\/earshot\.sqlite is read-only: /);
  assert.match(lines[0] ?? '', reason);
  assert.doesNotMatch(stderr, /\n\s+at /);
}

describe('a SQLite database Earshot cannot write', () => {
  let dir: string;
  let file: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'earshot-ro-'));
    chmodSync(dir, 0o755);
    file = join(dir, 'earshot.sqlite');
    // A migrated database, closed (no -wal/-shm left).
    const made = await createTestDatabase('sqlite');
    const sqlite = new SQLite(made.url.slice('sqlite://'.length));
    await sqlite.backup(file);
    sqlite.close();
    await made.drop();
  });

  after(() => {
    if (CHATTR) chattr('-i', [dir, file, `${file}-wal`, `${file}-shm`]);
    rmSync(dir, { recursive: true, force: true });
  });

  test('start refuses an immutable file in one clear line', { skip: noChattr, timeout: 30_000 }, () => {
    chattr('+i', [file]);
    try {
      const { status, stderr } = cliMigrate(`sqlite://${file}`);
      assert.equal(status, 1);
      assertOneClearLine(stderr, /earshot\.sqlite is immutable \(chattr \+i\)\./);
    } finally {
      chattr('-i', [file]);
    }
  });

  test(
    'start refuses a file its user may not write (chmod 0444) in one clear line',
    { timeout: 30_000 },
    () => {
      chmodSync(file, 0o444);
      try {
        const { status, stderr } = cliMigrate(`sqlite://${file}`, true);
        assert.equal(status, 1);
        assertOneClearLine(stderr, /earshot\.sqlite is not writable for this user \(permissions\)\./);
      } finally {
        chmodSync(file, 0o644);
      }
    },
  );

  test(
    'start refuses a read-only directory where the -wal and -shm files must be created',
    { timeout: 30_000 },
    () => {
      chmodSync(file, 0o666);
      chmodSync(dir, 0o555);
      try {
        const { status, stderr } = cliMigrate(`sqlite://${file}`, true);
        assert.equal(status, 1);
        assertOneClearLine(stderr, /its directory is not writable for this user/);
      } finally {
        chmodSync(dir, 0o755);
        chmodSync(file, 0o644);
      }
    },
  );

  test('an up-to-date database is only read by the migration (a read-only connection passes)', async () => {
    const sqlite = new SQLite(file, { readonly: true });
    const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    try {
      assert.deepEqual(await migrate(kysely, 'sqlite'), []);
    } finally {
      await kysely.destroy();
    }
  });
});

test('PostgreSQL: an up-to-date database is only read by the migration (read-only transactions pass)', async () => {
  const made = await createTestDatabase('postgres');
  const url = new URL(made.url);
  url.searchParams.set('options', '-c default_transaction_read_only=on');
  const kysely = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url.toString(), max: 1 }) }),
  });
  try {
    assert.deepEqual(await migrate(kysely, 'postgres'), []);
  } finally {
    await kysely.destroy();
    await made.drop();
  }
});

describe('a database that becomes immutable while the service runs', () => {
  let h: ApiHarness;
  let files: string[];

  before(async () => {
    h = await startApi('sqlite');
    const path = h.database.url.slice('sqlite://'.length);
    files = [path, `${path}-wal`, `${path}-shm`];
  });

  after(async () => {
    if (CHATTR) chattr('-i', files);
    await h.close();
  });

  async function healthUntil(status: number): Promise<ComponentHealth[]> {
    const deadline = Date.now() + HEALTH_CACHE_MS + 5000;
    for (;;) {
      const res = await h.app.inject({ url: '/api/health' });
      if (res.statusCode === status) return res.json<{ components: ComponentHealth[] }>().components;
      if (Date.now() > deadline) throw new Error(`health stayed ${String(res.statusCode)}: ${res.body}`);
      await sleep(100);
    }
  }

  const login = () =>
    h.app.inject({
      method: 'POST',
      url: '/api/v1/sessions',
      payload: { extension: '1001', password: PASSWORD_1001 },
    });

  test(
    'health says read-only and requests answer 503 (no SIGBUS); writable again, all ok',
    { skip: noChattr, timeout: 30_000 },
    async () => {
      assert.equal((await login()).statusCode, 201);
      assert.ok(
        files.every((f) => existsSync(f)),
        'the WAL files exist while the service runs',
      );
      chattr('+i', files);
      const components = await healthUntil(503);
      assert.deepEqual(components[0], {
        name: 'database',
        status: 'read-only',
        message: 'The database is read-only: earshot.sqlite is immutable (chattr +i).',
      });
      const refused = await login();
      assert.equal(refused.statusCode, 503);
      assert.equal(refused.json<{ error: string }>().error, 'database-read-only');
      chattr('-i', files);
      assert.equal((await healthUntil(200))[0]?.status, 'ok');
      assert.equal((await login()).statusCode, 201);
    },
  );
});
