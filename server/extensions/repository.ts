import type { Kysely } from 'kysely';
import type { Database, Extension, Flag, NewExtension } from '../db/schema.ts';
import { sipHashes } from '../security/digest.ts';
import { generatePassword } from '../security/password-generator.ts';
import type { SecretBox } from '../security/secret-box.ts';

/** Extension numbers: 4 to 8 digits. */
export const EXTENSION_NUMBER = /^\d{4,8}$/;

/** What the SIP-credential helpers need to know: the fixed realm and the at-rest cipher. */
export interface CredentialContext {
  realm: string;
  box: SecretBox;
}

export interface NewExtensionInput {
  number: string;
  name: string;
  /** Omitted: a high-entropy one is generated and returned once. */
  password?: string;
  enabled?: boolean;
  manualDialing?: boolean;
  callRecording?: boolean;
  callLimit?: number;
  allowedIps?: string[];
  forwarding?: string | null;
  dnd?: boolean;
  /** E.164, already checked. */
  did?: string | null;
  /** E.164, already checked. */
  callerId?: string | null;
}

/** Thrown when an extension number is already taken. */
export class DuplicateExtensionError extends Error {
  constructor(readonly number: string) {
    super(`Extension ${number} already exists.`);
    this.name = 'DuplicateExtensionError';
  }
}

const flag = (value: boolean | undefined, fallback: Flag): Flag =>
  value === undefined ? fallback : value ? 1 : 0;

/** The columns that change whenever a SIP password is set: hashes, sealed copy, timestamp. */
export function credentialColumns(ctx: CredentialContext, number: string, password: string, now: string) {
  return {
    ...sipHashes(number, ctx.realm, password),
    secret_enc: ctx.box.seal(password),
    password_changed_at: now,
  };
}

/** Inserts one extension; returns the row and the password (generated when not given). */
export async function createExtension(
  db: Kysely<Database>,
  ctx: CredentialContext,
  input: NewExtensionInput,
  at = new Date(),
): Promise<{ extension: Extension; password: string }> {
  if (!EXTENSION_NUMBER.test(input.number))
    throw new Error(`Extension numbers have 4 to 8 digits: "${input.number}".`);
  if (await findExtension(db, input.number)) throw new DuplicateExtensionError(input.number);
  const password = input.password ?? generatePassword();
  const now = at.toISOString();
  const extension = await db
    .insertInto('extensions')
    .values(newExtensionRow(ctx, { ...input, password }, now))
    .returningAll()
    .executeTakeFirstOrThrow();
  return { extension, password };
}

/** One extension by number, or undefined. */
export function findExtension(db: Kysely<Database>, number: string): Promise<Extension | undefined> {
  return db.selectFrom('extensions').selectAll().where('number', '=', number).executeTakeFirst();
}

/** The extension a DID (E.164) rings, or undefined. */
export async function findDidOwner(db: Kysely<Database>, did: string): Promise<string | undefined> {
  const row = await db.selectFrom('extensions').select('number').where('did', '=', did).executeTakeFirst();
  return row?.number;
}

/** Replaces the SIP password in one statement (HA1, HA1b and the sealed copy together); returns when. */
export async function setExtensionPassword(
  db: Kysely<Database>,
  ctx: CredentialContext,
  number: string,
  password: string,
  at = new Date(),
): Promise<string> {
  const now = at.toISOString();
  await db
    .updateTable('extensions')
    .set((eb) => ({
      ...credentialColumns(ctx, number, password, now),
      updated_at: now,
      revision: eb('revision', '+', 1),
    }))
    .where('number', '=', number)
    .executeTakeFirstOrThrow();
  return now;
}

/** The row of a new extension with the defaults: createExtension, bulk generate and CSV import insert it. */
export function newExtensionRow(
  ctx: CredentialContext,
  input: NewExtensionInput & { password: string },
  now: string,
): NewExtension {
  return {
    number: input.number,
    name: input.name,
    ...credentialColumns(ctx, input.number, input.password, now),
    enabled: flag(input.enabled, 1),
    manual_dialing: flag(input.manualDialing, 0),
    call_recording: flag(input.callRecording, 0),
    call_limit: input.callLimit ?? 2,
    allowed_ips: (input.allowedIps ?? []).join(','),
    forwarding: input.forwarding ?? null,
    dnd: flag(input.dnd, 0),
    did: input.did ?? null,
    caller_id: input.callerId ?? null,
    revision: 1,
    created_at: now,
    updated_at: now,
  };
}
