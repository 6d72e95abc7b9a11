// Enabling and disabling extensions, and shutting a changed extension out of Kamailio: one set of
// rules for the admin API and the CLI.
import type { Kysely } from 'kysely';
import type { Database, Extension } from '../db/schema.ts';
import type { RegistrarClient } from '../kamailio/types.ts';
import { revokeAgentSessions, updateExtensionIf } from './admin-update.ts';

/** Disconnects an extension's devices in Kamailio; resolves false when the registrar was not reached. */
export type KickDevices = (number: string) => Promise<boolean>;

/** What a change did to Kamailio and the agent's sessions (for the audit log). */
export interface Disconnect {
  /** null: nothing needed kicking. */
  kicked: boolean | null;
  sessionsRevoked: number;
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
  const shutOut = before.enabled === 1 && (after === null || after.enabled === 0);
  const ipsChanged = after !== null && after.allowed_ips !== before.allowed_ips && after.enabled === 1;
  if (!shutOut && !ipsChanged) return { kicked: null, sessionsRevoked: 0 };
  const sessionsRevoked = shutOut ? await revokeAgentSessions(db, before.number) : 0;
  return { kicked: await kick(before.number), sessionsRevoked };
}

/**
 * Enables or disables an extension (used by the CLI). Disabling takes effect at once: Kamailio
 * refuses new REGISTERs (it reads the flag on every auth), the agent sessions end and the live
 * bindings and sockets are kicked (a registrar failure is thrown). Returns false when no such
 * extension exists.
 */
export async function setExtensionEnabled(
  db: Kysely<Database>,
  registrar: RegistrarClient,
  number: string,
  enabled: boolean,
): Promise<boolean> {
  const outcome = await updateExtensionIf(db, number, { enabled }, null, new Date());
  if (outcome.status === 'missing') return false;
  // Someone changed the row between the read and the write: apply to the new revision.
  if (outcome.status === 'conflict') return setExtensionEnabled(db, registrar, number, enabled);
  const kick: KickDevices = async (target) => {
    await registrar.kick(target);
    return true;
  };
  await disconnectAfterChange(db, kick, outcome.before, outcome.extension);
  return true;
}
