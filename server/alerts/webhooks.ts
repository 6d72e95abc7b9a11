// Webhooks admins register for alerts. The signing secret is sealed with the secret key (it must be
// read back to sign each delivery) and shown only once, when it is made.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, Webhook, WebhookDelivery } from '../db/schema.ts';
import type { SecretBox } from '../security/secret-box.ts';
import type { AlertEvent } from './events.ts';

export interface WebhookView {
  id: string;
  url: string;
  events: AlertEvent[];
  enabled: boolean;
  createdAt: string;
  createdBy: string;
}

export const toWebhookView = (w: Webhook): WebhookView => ({
  id: w.id,
  url: w.url,
  events: w.events.split(',').filter(Boolean) as AlertEvent[],
  enabled: w.enabled === 1,
  createdAt: w.created_at,
  createdBy: w.created_by,
});

/** A new signing secret: 32 random bytes, `whsec_` + base64url. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

export interface NewWebhook {
  url: string;
  events: AlertEvent[];
  secret: string;
  createdBy: string;
}

export async function createWebhook(
  db: Kysely<Database>,
  box: SecretBox,
  w: NewWebhook,
  now: Date,
): Promise<Webhook> {
  const row: Webhook = {
    id: randomUUID(),
    url: w.url,
    secret_sealed: box.seal(w.secret),
    events: w.events.join(','),
    enabled: 1,
    created_at: now.toISOString(),
    created_by: w.createdBy,
  };
  await db.insertInto('webhooks').values(row).execute();
  return row;
}

export const listWebhooks = (db: Kysely<Database>): Promise<Webhook[]> =>
  db.selectFrom('webhooks').selectAll().orderBy('created_at').orderBy('id').execute();

export const findWebhook = (db: Kysely<Database>, id: string): Promise<Webhook | undefined> =>
  db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();

export interface WebhookChanges {
  url?: string | undefined;
  events?: AlertEvent[] | undefined;
  enabled?: boolean | undefined;
}

/** The changed webhook, or undefined when there is none with that id. */
export async function updateWebhook(
  db: Kysely<Database>,
  id: string,
  changes: WebhookChanges,
): Promise<Webhook | undefined> {
  const set = {
    ...(changes.url === undefined ? {} : { url: changes.url }),
    ...(changes.events === undefined ? {} : { events: changes.events.join(',') }),
    ...(changes.enabled === undefined ? {} : { enabled: changes.enabled ? 1 : 0 }),
  };
  if (Object.keys(set).length) await db.updateTable('webhooks').set(set).where('id', '=', id).execute();
  return findWebhook(db, id);
}

/** Deletes the webhook and its deliveries; false when there was none. */
export async function deleteWebhook(db: Kysely<Database>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
  await db.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
  return result.numDeletedRows > 0n;
}

/** The webhook's latest deliveries, newest first. */
export const listDeliveries = (
  db: Kysely<Database>,
  webhookId: string,
  limit = 100,
): Promise<WebhookDelivery[]> =>
  db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('webhook_id', '=', webhookId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
