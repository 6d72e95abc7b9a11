// Sends alerts: fans each new alert event out to the enabled webhooks subscribed to it (one
// delivery row each), then POSTs every due delivery, signed, retrying failures with backoff. All
// state is in the database, so a restart loses nothing and resumes the retries.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, WebhookDelivery } from '../db/schema.ts';
import type { SecretBox } from '../security/secret-box.ts';
import { SIGNATURE_HEADER, signDelivery } from './signature.ts';

/** Waits after the 1st, 2nd … failed attempt; after the last, the delivery is marked failed. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000] as const;
const ATTEMPT_TIMEOUT_MS = 5000;
const BATCH = 50;

export interface DispatchOptions {
  db: Kysely<Database>;
  box: SecretBox;
  now: () => Date;
  retryDelaysMs?: readonly number[];
  fetch?: typeof fetch;
}

/** A new delivery of `body` (event `event`, id `eventId`) to one webhook, due at once. */
export function deliveryRow(
  webhookId: string,
  eventId: string,
  event: string,
  body: string,
  at: string,
): WebhookDelivery {
  return {
    id: randomUUID(),
    webhook_id: webhookId,
    event_id: eventId,
    event,
    body,
    status: 'pending',
    attempts: 0,
    next_attempt_at: at,
    last_result: null,
    created_at: at,
    delivered_at: null,
  };
}

/** One delivery row per subscribed webhook for each alert event not yet fanned out. */
export async function fanOut({ db, now }: DispatchOptions): Promise<number> {
  const events = await db
    .selectFrom('alert_events')
    .selectAll()
    .where('fanned_out', '=', 0)
    .orderBy('at')
    .limit(BATCH)
    .execute();
  if (events.length === 0) return 0;
  const hooks = await db.selectFrom('webhooks').select(['id', 'events']).where('enabled', '=', 1).execute();
  const at = now().toISOString();
  for (const e of events) {
    const body = JSON.stringify({
      id: e.id,
      event: e.event,
      target: e.target,
      at: e.at,
      data: JSON.parse(e.data) as unknown,
    });
    const rows = hooks
      .filter((h) => h.events.split(',').includes(e.event))
      .map((h) => deliveryRow(h.id, e.id, e.event, body, at));
    await db.transaction().execute(async (tx) => {
      if (rows.length) await tx.insertInto('webhook_deliveries').values(rows).execute();
      await tx.updateTable('alert_events').set({ fanned_out: 1 }).where('id', '=', e.id).execute();
    });
  }
  return events.length;
}

/** `HTTP 500`, `timeout`, `connection refused` …: what the console shows of a failed attempt. */
function resultOf(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timeout';
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === 'string' ? `network error (${code})` : 'network error';
}

async function attempt(
  o: DispatchOptions,
  d: WebhookDelivery,
  url: string,
  secret: string,
): Promise<string | null> {
  const at = o.now();
  try {
    const res = await (o.fetch ?? fetch)(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Earshot-Webhooks/1',
        'x-earshot-event': d.event,
        'x-earshot-delivery': d.id,
        [SIGNATURE_HEADER]: signDelivery(secret, d.body, at),
      },
      body: d.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    await res.body?.cancel();
    return res.ok ? null : `HTTP ${String(res.status)}`;
  } catch (error) {
    return resultOf(error);
  }
}

/** POSTs every due delivery once; records success, or the failure and when to try again. */
export async function deliverDue(o: DispatchOptions): Promise<number> {
  const now = o.now();
  const due = await o.db
    .selectFrom('webhook_deliveries')
    .innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
    .selectAll('webhook_deliveries')
    .select(['webhooks.url as url', 'webhooks.secret_sealed as secret_sealed'])
    .where('webhook_deliveries.status', '=', 'pending')
    .where('webhook_deliveries.next_attempt_at', '<=', now.toISOString())
    .orderBy('webhook_deliveries.next_attempt_at')
    .limit(BATCH)
    .execute();
  const delays = o.retryDelaysMs ?? RETRY_DELAYS_MS;
  for (const d of due) {
    const failure = await attempt(o, d, d.url, o.box.open(d.secret_sealed));
    const attempts = d.attempts + 1;
    const done = o.now();
    const delay = delays[attempts - 1];
    await o.db
      .updateTable('webhook_deliveries')
      .set(
        failure === null
          ? { status: 'delivered', attempts, last_result: 'delivered', delivered_at: done.toISOString() }
          : {
              status: delay === undefined ? 'failed' : 'pending',
              attempts,
              last_result: failure,
              next_attempt_at: new Date(done.getTime() + (delay ?? 0)).toISOString(),
            },
      )
      .where('id', '=', d.id)
      .execute();
  }
  return due.length;
}
