import type { Kysely } from 'kysely';

// Alerts: webhooks admins subscribe to events (their signing secret sealed with the secret key, as
// it must be read back to sign), the events waiting to be fanned out to them (written with the audit
// entry that caused them, so none is lost between the two), one row per delivery attempt series
// (retried with backoff, kept for the console), and the stale registrations already alerted.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webhooks')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('url', 'varchar(2048)', (c) => c.notNull())
    .addColumn('secret_sealed', 'varchar(512)', (c) => c.notNull())
    .addColumn('events', 'varchar(512)', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_by', 'varchar(80)', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('alert_events')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('event', 'varchar(64)', (c) => c.notNull())
    .addColumn('target', 'varchar(128)', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('at', 'varchar(32)', (c) => c.notNull())
    .addColumn('fanned_out', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('alert_events_pending')
    .on('alert_events')
    .columns(['fanned_out', 'at'])
    .execute();
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('webhook_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('event_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('event', 'varchar(64)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('last_result', 'varchar(256)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('delivered_at', 'varchar(32)')
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_due')
    .on('webhook_deliveries')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_webhook')
    .on('webhook_deliveries')
    .columns(['webhook_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('stale_alerts')
    .addColumn('number', 'varchar(16)', (c) => c.primaryKey())
    .addColumn('last_registered_at', 'varchar(32)')
    .addColumn('alerted_at', 'varchar(32)', (c) => c.notNull())
    .execute();
}
