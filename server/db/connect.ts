import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, sql, SqliteDialect, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';
import { DatabaseReadOnlyError, sqliteWriteProblem } from './writable.ts';

export type Engine = 'sqlite' | 'postgres';

/** An open database: the Kysely handle plus what the rest of the system needs to know about it. */
export interface Db {
  kysely: Kysely<Database>;
  engine: Engine;
  /** Why the database cannot be written right now (read-only file, read-only transaction), or null. */
  writeProblem(): Promise<string | null>;
  close(): Promise<void>;
}

/** Parses `sqlite:///abs/path.sqlite` or a `postgres://` URL into an engine and its target. */
export function parseDatabaseUrl(url: string): { engine: Engine; target: string } {
  if (url.startsWith('sqlite://')) return { engine: 'sqlite', target: url.slice('sqlite://'.length) };
  if (/^postgres(ql)?:\/\//.test(url)) return { engine: 'postgres', target: url };
  throw new Error(
    `DATABASE_URL must start with sqlite:// or postgres://, got "${url.split(':')[0] ?? ''}:…"`,
  );
}

/** Creates the directory of a new database file, or says in one line why it cannot. */
function ensureDirectory(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw new DatabaseReadOnlyError(path, `its directory cannot be created (${(error as Error).message})`);
  }
}

/**
 * better-sqlite3 behind a check before every statement: a database that became read-only answers
 * DatabaseReadOnlyError instead of reaching SQLite (see writable.ts: an immutable -shm means SIGBUS).
 */
function guarded(sqlite: SQLite.Database, path: string): SqliteDatabase {
  const check = () => {
    const problem = sqliteWriteProblem(path);
    if (problem) throw new DatabaseReadOnlyError(path, problem);
  };
  return {
    prepare: (statement) => {
      check();
      return sqlite.prepare(statement);
    },
    // Closing checkpoints the WAL through the -shm map: skipped while the files are read-only.
    close: () => {
      if (!sqliteWriteProblem(path)) sqlite.close();
    },
  };
}

function openSqlite(path: string): Db {
  ensureDirectory(path);
  const problem = sqliteWriteProblem(path);
  if (problem) throw new DatabaseReadOnlyError(path, problem);
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: guarded(sqlite, path) }) });
  return {
    kysely,
    engine: 'sqlite',
    writeProblem: () => Promise.resolve(sqliteWriteProblem(path)),
    close: () => kysely.destroy(),
  };
}

function openPostgres(url: string): Db {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client PostgreSQL drops (restart, admin kill) emits 'error'; unhandled it would crash the
  // process. The pool discards that client and the next query opens a new one.
  pool.on('error', (error) => {
    console.error(`[earshot] PostgreSQL connection lost: ${error.message}`);
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kysely,
    engine: 'postgres',
    writeProblem: async () => {
      const { rows } = await sql<{
        ro: string;
      }>`select current_setting('transaction_read_only') as ro`.execute(kysely);
      return rows[0]?.ro === 'on' ? 'the server accepts only read-only transactions' : null;
    },
    close: () => kysely.destroy(),
  };
}

/**
 * Opens the database a URL names. SQLite runs in WAL mode with a busy timeout; a SQLite file that
 * cannot be written is refused here with DatabaseReadOnlyError (one line that says which file).
 */
export function openDatabase(url: string): Db {
  const { engine, target } = parseDatabaseUrl(url);
  return engine === 'sqlite' ? openSqlite(target) : openPostgres(target);
}
