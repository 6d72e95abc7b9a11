import { sql, type Kysely } from 'kysely';
import * as initial from './migrations/001-initial.ts';
import * as admin from './migrations/002-admin.ts';
import * as throttle from './migrations/003-throttle.ts';
import * as trunk from './migrations/004-trunk.ts';
import * as alerts from './migrations/008-alerts.ts';
import type { Database } from './schema.ts';

interface Migration {
  name: string;
  up(db: Kysely<unknown>): Promise<void>;
}

/** Every migration in order; append, never edit one that has shipped. */
const MIGRATIONS: Migration[] = [
  { name: '001-initial', ...initial },
  { name: '002-admin', ...admin },
  { name: '003-throttle', ...throttle },
  { name: '004-trunk', ...trunk },
  { name: '008-alerts', ...alerts },
];

/** Table versions Kamailio checks before it uses a table (auth_db: 7, as for `subscriber`). */
const KAMAILIO_TABLE_VERSIONS: Record<string, number> = { extensions: 7 };

/** True when the migration ledger exists (asked first, so a migrated database sees no DDL at all). */
async function hasLedger(db: Kysely<Database>, engine: 'sqlite' | 'postgres'): Promise<boolean> {
  const query =
    engine === 'sqlite'
      ? sql`select 1 from sqlite_master where type = 'table' and name = 'earshot_migrations'`
      : sql`select 1 from information_schema.tables where table_schema = current_schema() and table_name = 'earshot_migrations'`;
  return (await query.execute(db)).rows.length > 0;
}

async function ensureLedger(db: Kysely<Database>, engine: 'sqlite' | 'postgres'): Promise<void> {
  if (await hasLedger(db, engine)) return;
  await db.schema
    .createTable('earshot_migrations')
    .ifNotExists()
    .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('applied_at', 'varchar(32)', (c) => c.notNull())
    .execute();
}

async function applyPending(db: Kysely<Database>): Promise<string[]> {
  const done = new Set(
    (await db.selectFrom('earshot_migrations').select('name').execute()).map((r) => r.name),
  );
  const applied: string[] = [];
  for (const migration of MIGRATIONS.filter((m) => !done.has(m.name))) {
    await db.transaction().execute(async (trx) => {
      await migration.up(trx as unknown as Kysely<unknown>);
      await trx
        .insertInto('earshot_migrations')
        .values({ name: migration.name, applied_at: new Date().toISOString() })
        .execute();
    });
    applied.push(migration.name);
  }
  return applied;
}

/** Writes a table version only when it differs, so an up-to-date database is only read. */
async function syncKamailioVersions(db: Kysely<Database>): Promise<void> {
  const stored = new Map(
    (await db.selectFrom('version').select(['table_name', 'table_version']).execute()).map((row) => [
      row.table_name,
      row.table_version,
    ]),
  );
  for (const [table_name, table_version] of Object.entries(KAMAILIO_TABLE_VERSIONS)) {
    if (stored.get(table_name) === table_version) continue;
    await db
      .insertInto('version')
      .values({ table_name, table_version })
      .onConflict((oc) => oc.column('table_name').doUpdateSet({ table_version }))
      .execute();
  }
}

/**
 * Brings the schema up to date; a second run is a no-op that only reads (a read-only database that
 * is up to date passes). Concurrent starts on PostgreSQL are serialised by an advisory lock so two
 * account-service instances never race a migration.
 */
export async function migrate(db: Kysely<Database>, engine: 'sqlite' | 'postgres'): Promise<string[]> {
  const run = async (conn: Kysely<Database>): Promise<string[]> => {
    await ensureLedger(conn, engine);
    const applied = await applyPending(conn);
    await syncKamailioVersions(conn);
    return applied;
  };
  if (engine === 'sqlite') return run(db);
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(727274)`.execute(conn);
    try {
      return await run(conn);
    } finally {
      await sql`select pg_advisory_unlock(727274)`.execute(conn);
    }
  });
}
