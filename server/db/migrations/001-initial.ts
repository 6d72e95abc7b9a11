import type { Kysely } from 'kysely';

// Flags are integers and timestamps ISO-8601 UTC text on both engines: Kamailio reads this table.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('version')
    .ifNotExists()
    .addColumn('table_name', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('table_version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('extensions')
    .addColumn('number', 'varchar(8)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(128)', (c) => c.notNull())
    .addColumn('ha1', 'varchar(64)', (c) => c.notNull())
    .addColumn('ha1b', 'varchar(64)', (c) => c.notNull())
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('manual_dialing', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('call_recording', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('call_limit', 'integer', (c) => c.notNull().defaultTo(2))
    .addColumn('allowed_ips', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('forwarding', 'varchar(32)')
    .addColumn('dnd', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('password_changed_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('extensions_name').on('extensions').column('name').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('subject_type', 'varchar(8)', (c) => c.notNull())
    .addColumn('subject', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('ip', 'varchar(64)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sessions_subject')
    .on('sessions')
    .columns(['subject_type', 'subject'])
    .execute();

  await db.schema
    .createTable('admins')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('username', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('at', 'varchar(32)', (c) => c.notNull())
    .addColumn('actor', 'varchar(80)', (c) => c.notNull())
    .addColumn('action', 'varchar(64)', (c) => c.notNull())
    .addColumn('target', 'varchar(80)', (c) => c.notNull())
    .addColumn('ip', 'varchar(64)', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();

  await db.schema
    .createTable('login_throttle')
    .addColumn('key', 'varchar(96)', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failure_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('blocked_until', 'varchar(32)', (c) => c.notNull())
    .execute();
}
