import type { Kysely } from 'kysely';

// Login throttling that counts atomically (one upsert takes an attempt and decides), the places
// each account logged in from recently (they keep working while a guesser is blocked), and an
// index for the periodic purge of expired sessions. The old counters are dropped: they only ever
// held a few minutes of state.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('login_throttle').execute();
  await db.schema
    .createTable('login_throttle')
    .addColumn('key', 'varchar(160)', (c) => c.primaryKey())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('window_until', 'varchar(32)', (c) => c.notNull())
    .addColumn('blocked_until', 'varchar(32)', (c) => c.notNull())
    .addColumn('refused', 'integer', (c) => c.notNull())
    .addColumn('audited_until', 'varchar(32)', (c) => c.notNull())
    .addColumn('last_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_throttle_last_at').on('login_throttle').column('last_at').execute();

  await db.schema
    .createTable('login_known_sources')
    .addColumn('name', 'varchar(80)', (c) => c.notNull())
    .addColumn('source', 'varchar(64)', (c) => c.notNull())
    .addColumn('last_success_at', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('login_known_sources_pk', ['name', 'source'])
    .execute();
  await db.schema
    .createIndex('login_known_sources_last_success_at')
    .on('login_known_sources')
    .column('last_success_at')
    .execute();

  await db.schema.createIndex('sessions_expires_at').on('sessions').column('expires_at').execute();
}
