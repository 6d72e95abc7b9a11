import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Db, type Engine } from '../../server/db/connect.ts';
import { migrate } from '../../server/db/migrate.ts';

/** The PostgreSQL server tests use; CI fails (never skips) when it is unreachable. */
export const POSTGRES_ADMIN_URL =
  process.env.EARSHOT_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const ENGINES: readonly Engine[] = ['sqlite', 'postgres'];

/** A migrated, empty database of its own for one test file, and how to throw it away. */
export interface TestDatabase {
  db: Db;
  url: string;
  drop(): Promise<void>;
}

async function freshPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `earshot_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is required for the tests at ${POSTGRES_ADMIN_URL}: ${String(error)}`);
  }
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  const drop = async () => {
    const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  };
  return { url: url.toString(), drop };
}

function freshSqlite(): { url: string; drop: () => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-db-'));
  return {
    url: `sqlite://${join(dir, 'earshot.sqlite')}`,
    drop: () => {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

/** Creates a real SQLite file or a real PostgreSQL database, migrated. */
export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  const target = engine === 'sqlite' ? freshSqlite() : await freshPostgres();
  const db = openDatabase(target.url);
  await migrate(db.kysely, db.engine);
  return {
    db,
    url: target.url,
    drop: async () => {
      await db.close();
      await target.drop();
    },
  };
}
