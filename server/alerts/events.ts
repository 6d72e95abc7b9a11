// What is worth an alert. Most alerts are things the audit log records anyway (an extension
// disabled or deleted, a login blocked, a recording that failed): writeAudit raises them in the same
// call, so no code path can record one and forget the other. The stale-registration check raises
// its own.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export const ALERT_EVENTS = [
  'registration.stale',
  'extension.disabled',
  'extension.deleted',
  'login.blocked',
  'recording.failed',
] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

/** An alert's data: plain values, never a secret. */
export type AlertData = Record<string, string | number | boolean | null>;

/** The alert an audit entry raises, or null. */
export function alertOfAudit(action: string, details: AlertData): AlertEvent | null {
  switch (action) {
    case 'extension.disable':
      return 'extension.disabled';
    case 'extension.update':
      return details.enabled === false ? 'extension.disabled' : null;
    case 'extension.delete':
      return 'extension.deleted';
    case 'login.throttled':
    case 'admin.login.throttled':
      return 'login.blocked';
    case 'recording.failed':
      return 'recording.failed';
    default:
      return null;
  }
}

/** Queues `event` about `target` for the webhooks subscribed to it (the dispatcher sends it). */
export async function raiseAlert(
  db: Kysely<Database>,
  event: AlertEvent,
  target: string,
  data: AlertData,
  at: Date,
): Promise<void> {
  await db
    .insertInto('alert_events')
    .values({
      id: randomUUID(),
      event,
      target,
      data: JSON.stringify(data),
      at: at.toISOString(),
      fanned_out: 0,
    })
    .execute();
}
