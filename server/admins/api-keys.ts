// API keys for automation (an HR sync, a provisioning script): shown once, stored as SHA-256.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ApiKey, Database } from '../db/schema.ts';
import { hashToken, newToken } from '../security/tokens.ts';
import type { AdminRole } from './repository.ts';

/** Every API key starts with this, so it can be told apart from a session token (and found by secret scanners). */
export const API_KEY_PREFIX = 'esk_';

/** last_used_at is written at most this often per key, so every request does not write. */
const TOUCH_INTERVAL_MS = 60_000;

/** True when a bearer token is an API key rather than a session token. */
export function isApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX);
}

/** Creates a key; the returned `key` is the only time the secret exists outside the caller. */
export async function createApiKey(
  db: Kysely<Database>,
  input: { name: string; role: AdminRole; createdBy: string },
  now: Date,
): Promise<{ id: string; key: string }> {
  const id = randomUUID();
  const key = `${API_KEY_PREFIX}${newToken()}`;
  await db
    .insertInto('api_keys')
    .values({
      id,
      name: input.name,
      role: input.role,
      key_hash: hashToken(key),
      created_by: input.createdBy,
      created_at: now.toISOString(),
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
  return { id, key };
}

/** Every key, newest first (revoked ones included, with their revocation time). */
export function listApiKeys(db: Kysely<Database>): Promise<ApiKey[]> {
  return db.selectFrom('api_keys').selectAll().orderBy('created_at', 'desc').orderBy('id').execute();
}

/** The key with this hash, revoked or not, or undefined. */
export function findApiKeyByHash(db: Kysely<Database>, keyHash: string): Promise<ApiKey | undefined> {
  return db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
}

/** Revokes a key (a second revocation keeps the first time); returns the key, or undefined when unknown. */
export async function revokeApiKey(db: Kysely<Database>, id: string, now: Date): Promise<ApiKey | undefined> {
  await db
    .updateTable('api_keys')
    .set({ revoked_at: now.toISOString() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
  return db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Records that a key was used now (at most once a minute per key). */
export async function touchApiKey(db: Kysely<Database>, key: ApiKey, now: Date): Promise<void> {
  if (key.last_used_at && now.getTime() - Date.parse(key.last_used_at) < TOUCH_INTERVAL_MS) return;
  await db
    .updateTable('api_keys')
    .set({ last_used_at: now.toISOString() })
    .where('id', '=', key.id)
    .execute();
}
