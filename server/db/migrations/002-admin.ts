import type { Kysely } from 'kysely';

// Administration: API keys for automation (stored as SHA-256 only) and the last time an extension
// was seen registered (kept by the registration watcher, read by the stale-registrations report).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(64)', (c) => c.notNull())
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('key_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('created_by', 'varchar(80)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('last_used_at', 'varchar(32)')
    .addColumn('revoked_at', 'varchar(32)')
    .execute();

  await db.schema.alterTable('extensions').addColumn('last_registered_at', 'varchar(32)').execute();
  await db.schema
    .createIndex('extensions_created_at')
    .on('extensions')
    .columns(['created_at', 'number'])
    .execute();
}
