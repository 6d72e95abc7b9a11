// Admin changes to one extension with optimistic concurrency: an UPDATE/DELETE only applies when
// the row still has the revision the admin saw (the ETag), so two admins never overwrite each other.
// Enabling and disabling are the exception: one unconditional UPDATE, so nothing racing them can
// make them fail, and every edit read before them meets a new revision (412) instead of undoing them.
import type { Kysely } from 'kysely';
import type { Database, Extension, ExtensionUpdate } from '../db/schema.ts';
import { findExtension } from './repository.ts';

/** The settings an admin may change on an extension (the password has routes of its own). */
export interface ExtensionChanges {
  name?: string | undefined;
  enabled?: boolean | undefined;
  manualDialing?: boolean | undefined;
  callRecording?: boolean | undefined;
  callLimit?: number | undefined;
  /** Already normalised CIDR entries. */
  allowedIps?: string[] | undefined;
  forwarding?: string | null | undefined;
  dnd?: boolean | undefined;
  /** E.164, already normalised. */
  did?: string | null | undefined;
  /** E.164, already normalised. */
  callerId?: string | null | undefined;
}

/** What a conditional change did. */
export type ChangeOutcome =
  | { status: 'changed'; before: Extension; extension: Extension }
  | { status: 'conflict'; current: Extension }
  | { status: 'missing' };

const flag = (value: boolean): 0 | 1 => (value ? 1 : 0);

/** The columns a set of changes writes (only the keys present). */
export function changeColumns(changes: ExtensionChanges): ExtensionUpdate {
  const columns: ExtensionUpdate = {};
  if (changes.name !== undefined) columns.name = changes.name;
  if (changes.enabled !== undefined) columns.enabled = flag(changes.enabled);
  if (changes.manualDialing !== undefined) columns.manual_dialing = flag(changes.manualDialing);
  if (changes.callRecording !== undefined) columns.call_recording = flag(changes.callRecording);
  if (changes.callLimit !== undefined) columns.call_limit = changes.callLimit;
  if (changes.allowedIps !== undefined) columns.allowed_ips = changes.allowedIps.join(',');
  if (changes.forwarding !== undefined) columns.forwarding = changes.forwarding;
  if (changes.dnd !== undefined) columns.dnd = flag(changes.dnd);
  if (changes.did !== undefined) columns.did = changes.did;
  if (changes.callerId !== undefined) columns.caller_id = changes.callerId;
  return columns;
}

/** Why a conditional change did not apply: the row is gone, or someone changed it since `revision`. */
async function refusal(db: Kysely<Database>, number: string): Promise<ChangeOutcome> {
  const current = await findExtension(db, number);
  return current ? { status: 'conflict', current } : { status: 'missing' };
}

/**
 * Applies `changes` when the row still has `revision` (checked again by the UPDATE itself, so a
 * write in between is never overwritten); bumps the revision. Only the keys present are written.
 * No changes at all only checks the revision.
 */
export async function updateExtensionIf(
  db: Kysely<Database>,
  number: string,
  changes: ExtensionChanges,
  revision: number,
  now: Date,
): Promise<ChangeOutcome> {
  const before = await findExtension(db, number);
  if (!before) return { status: 'missing' };
  if (before.revision !== revision) return { status: 'conflict', current: before };
  const columns = changeColumns(changes);
  if (Object.keys(columns).length === 0) return { status: 'changed', before, extension: before };
  const extension = await db
    .updateTable('extensions')
    .set((eb) => ({ ...columns, updated_at: now.toISOString(), revision: eb('revision', '+', 1) }))
    .where('number', '=', number)
    .where('revision', '=', revision)
    .returningAll()
    .executeTakeFirst();
  return extension ? { status: 'changed', before, extension } : refusal(db, number);
}

/**
 * Sets `enabled` in one statement whatever else is changing the row (no read first, no revision
 * check) and bumps the revision. Returns the row as written, or undefined when there is no such extension.
 */
export function writeEnabled(
  db: Kysely<Database>,
  number: string,
  enabled: boolean,
  now: Date,
): Promise<Extension | undefined> {
  return db
    .updateTable('extensions')
    .set((eb) => ({
      enabled: flag(enabled),
      updated_at: now.toISOString(),
      revision: eb('revision', '+', 1),
    }))
    .where('number', '=', number)
    .returningAll()
    .executeTakeFirst();
}

/** Deletes the extension when it still has `revision` (null: whatever it has). */
export async function deleteExtensionIf(
  db: Kysely<Database>,
  number: string,
  revision: number | null,
): Promise<ChangeOutcome> {
  const before = await findExtension(db, number);
  if (!before) return { status: 'missing' };
  const expected = revision ?? before.revision;
  if (before.revision !== expected) return { status: 'conflict', current: before };
  const result = await db
    .deleteFrom('extensions')
    .where('number', '=', number)
    .where('revision', '=', expected)
    .executeTakeFirst();
  return result.numDeletedRows > 0n ? { status: 'changed', before, extension: before } : refusal(db, number);
}

/** Ends every softphone session of the extension (its agents must log in again); returns how many. */
export async function revokeAgentSessions(db: Kysely<Database>, number: string): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where('subject_type', '=', 'agent')
    .where('subject', '=', number)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
