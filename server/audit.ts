import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { alertOfAudit, raiseAlert } from './alerts/events.ts';
import type { Database } from './db/schema.ts';

/** One audit entry: who did what to what, from where. Never put a secret in `details`. */
export interface AuditEntry {
  actor: string;
  action: string;
  target: string;
  ip: string;
  details?: Record<string, string | number | boolean | null>;
}

/** Appends an entry to the audit log, and raises the alert it stands for, if any (server/alerts). */
export async function writeAudit(db: Kysely<Database>, entry: AuditEntry, at = new Date()): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: randomUUID(),
      at: at.toISOString(),
      actor: entry.actor,
      action: entry.action,
      target: entry.target,
      ip: entry.ip,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
  const details = entry.details ?? {};
  const alert = alertOfAudit(entry.action, details);
  if (alert) await raiseAlert(db, alert, entry.target, { ...details, actor: entry.actor, ip: entry.ip }, at);
}
