// Enabling and disabling extensions, and shutting a changed extension out of Kamailio: one set of
// rules for the admin API and the CLI.
import type { Kysely } from 'kysely';
import type { Database, Extension } from '../db/schema.ts';
import { kickOnce, type KickReport } from '../kamailio/kick-queue.ts';
import type { RegistrarClient } from '../kamailio/types.ts';
import { revokeAgentSessions, writeEnabled } from './admin-update.ts';

/** Disconnects an extension's devices in Kamailio and reports whether every node was reached. */
export type KickDevices = (number: string) => Promise<KickReport>;

/** What a change did to Kamailio and the agent's sessions. */
export interface Disconnect {
  /** null: nothing needed kicking. */
  kick: KickReport | null;
  sessionsRevoked: number;
}

/** The audit details of a disconnect: whether the kick reached every node (null: none needed). */
export function auditedDisconnect(disconnect: Disconnect): {
  kicked: boolean | null;
  sessionsRevoked: number;
} {
  return { kicked: disconnect.kick?.delivered ?? null, sessionsRevoked: disconnect.sessionsRevoked };
}

/** Ends every agent session of the extension and kicks its devices (disable, delete). */
export async function shutOut(db: Kysely<Database>, kick: KickDevices, number: string): Promise<Disconnect> {
  const sessionsRevoked = await revokeAgentSessions(db, number);
  return { kick: await kick(number), sessionsRevoked };
}

/**
 * After a change from `before` to `after` (null when deleted): when the extension is
 * shut out (was enabled, now disabled or gone) its agent sessions end and its devices are kicked;
 * when it stays enabled but its allowed IPs changed, its devices are kicked to register again.
 */
export async function disconnectAfterChange(
  db: Kysely<Database>,
  kick: KickDevices,
  before: Extension,
  after: Extension | null,
): Promise<Disconnect> {
  if (before.enabled === 1 && (after === null || after.enabled === 0))
    return shutOut(db, kick, before.number);
  const ipsChanged = after !== null && after.allowed_ips !== before.allowed_ips && after.enabled === 1;
  return ipsChanged
    ? { kick: await kick(before.number), sessionsRevoked: 0 }
    : { kick: null, sessionsRevoked: 0 };
}

/**
 * Enables or disables an extension whatever else is changing it (one unconditional UPDATE).
 * Disabling takes effect at once: Kamailio refuses new REGISTERs (it reads the flag on every
 * auth), and every disable, even of an extension already disabled, ends the agent sessions and
 * kicks the live bindings and sockets. Returns the row as written and what was disconnected, or
 * null when no such extension exists.
 */
export async function applyEnabled(
  db: Kysely<Database>,
  kick: KickDevices,
  number: string,
  enabled: boolean,
  now: Date,
): Promise<{ extension: Extension; disconnect: Disconnect } | null> {
  const extension = await writeEnabled(db, number, enabled, now);
  if (!extension) return null;
  const disconnect = enabled ? { kick: null, sessionsRevoked: 0 } : await shutOut(db, kick, number);
  return { extension, disconnect };
}

/** `applyEnabled` for the CLI: one kick attempt, no retry (the report says what was not reached). */
export function setExtensionEnabled(
  db: Kysely<Database>,
  registrar: RegistrarClient,
  number: string,
  enabled: boolean,
): Promise<{ extension: Extension; disconnect: Disconnect } | null> {
  return applyEnabled(db, (target) => kickOnce(registrar, target), number, enabled, new Date());
}
