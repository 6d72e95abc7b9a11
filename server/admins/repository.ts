import { randomUUID } from 'node:crypto';
import argon2 from 'argon2';
import type { Kysely } from 'kysely';
import type { Admin, AdminTable, Database } from '../db/schema.ts';
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

/** The admin roles: `admin` may change everything, `viewer` may only read. */
export const ADMIN_ROLES = ['admin', 'viewer'] as const satisfies readonly AdminRole[];

/** One administrator by username, or undefined. */
export function findAdminByUsername(db: Kysely<Database>, username: string): Promise<Admin | undefined> {
  return db.selectFrom('admins').selectAll().where('username', '=', username).executeTakeFirst();
}

/** One administrator by id, or undefined. */
export function findAdminById(db: Kysely<Database>, id: string): Promise<Admin | undefined> {
  return db.selectFrom('admins').selectAll().where('id', '=', id).executeTakeFirst();
}

// Verified against when the username is unknown, so both answers take as long (no username probing).
let decoyHash: Promise<string> | null = null;

/**
 * The administrator whose username and password match, or null. An unknown username costs one
 * argon2id verification too, so timing does not tell which usernames exist.
 */
export async function verifyAdmin(
  db: Kysely<Database>,
  username: string,
  password: string,
): Promise<Admin | null> {
  const admin = await findAdminByUsername(db, username);
  decoyHash ??= argon2.hash('earshot-decoy-password', { type: argon2.argon2id });
  const hash = admin?.password_hash ?? (await decoyHash);
  const ok = await argon2.verify(hash, password).catch(() => false);
  return admin && ok ? admin : null;
}
