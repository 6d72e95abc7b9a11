import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { RegistrarClient } from '../kamailio/types.ts';

/**
 * Enables or disables an extension. Disabling takes effect at once: Kamailio refuses new
 * REGISTERs (it reads the flag on every auth) and the live bindings and sockets are kicked.
 * Returns false when no such extension exists.
 */
export async function setExtensionEnabled(
  db: Kysely<Database>,
  registrar: RegistrarClient,
  number: string,
  enabled: boolean,
): Promise<boolean> {
  const now = new Date().toISOString();
  const result = await db
    .updateTable('extensions')
    .set((eb) => ({ enabled: enabled ? 1 : 0, updated_at: now, revision: eb('revision', '+', 1) }))
    .where('number', '=', number)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return false;
  if (!enabled) {
    await db
      .deleteFrom('sessions')
      .where('subject_type', '=', 'agent')
      .where('subject', '=', number)
      .execute();
    await registrar.kick(number);
  }
  return true;
}
