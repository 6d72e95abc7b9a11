import { randomUUID } from 'node:crypto';
import argon2 from 'argon2';
import type { Kysely } from 'kysely';
import type { AdminTable, Database } from '../db/schema.ts';
import { checkPassword } from '../security/password-policy.ts';

export type AdminRole = AdminTable['role'];

/** Creates an administrator; the password must pass the same policy as agents' and is stored as argon2id. */
export async function createAdmin(
  db: Kysely<Database>,
  input: { username: string; password: string; role: AdminRole },
): Promise<{ id: string }> {
  if (!/^[a-z0-9_.@-]{3,64}$/i.test(input.username)) {
    throw new Error('Admin usernames have 3 to 64 letters, digits or . _ @ -');
  }
  const verdict = checkPassword(input.password, input.username);
  if (!verdict.ok) throw new Error(verdict.message);
  const id = randomUUID();
  const password_hash = await argon2.hash(input.password, { type: argon2.argon2id });
  await db
    .insertInto('admins')
    .values({
      id,
      username: input.username,
      password_hash,
      role: input.role,
      created_at: new Date().toISOString(),
    })
    .execute();
  return { id };
}
