import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

export type Engine = 'sqlite' | 'postgres';

/** An open database: the Kysely handle plus what the rest of the system needs to know about it. */
export interface Db {
  kysely: Kysely<Database>;
  engine: Engine;
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

function openSqlite(path: string): Db {
  mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { kysely, engine: 'sqlite', close: () => kysely.destroy() };
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
    close: () => kysely.destroy(),
  };
}

/** Opens the database a URL names. SQLite runs in WAL mode with a busy timeout. */
export function openDatabase(url: string): Db {
  const { engine, target } = parseDatabaseUrl(url);
  return engine === 'sqlite' ? openSqlite(target) : openPostgres(target);
}
