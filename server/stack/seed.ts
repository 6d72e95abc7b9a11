import { createAdmin } from '../admins/repository.ts';
import { createExtension } from '../extensions/repository.ts';
import { generatePassword } from '../security/password-generator.ts';
import type { Core } from '../services.ts';

/** The demo extensions `npm start` creates on an empty database. */
const DEMO = [
  { number: '1001', name: 'Demo Agent (dials out)', manualDialing: true, callRecording: true },
  { number: '1002', name: 'Demo Agent (incoming only)', manualDialing: false, callRecording: false },
] as const;

/**
 * Creates the demo extensions when there are no extensions at all; returns their generated
 * passwords so the caller can print them once (they are stored only as HA1 and sealed copies).
 */
export async function seedDemoExtensions(
  core: Core,
): Promise<{ number: string; name: string; password: string }[]> {
  const existing = await core.db.kysely
    .selectFrom('extensions')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirstOrThrow();
  if (Number(existing.n) > 0) return [];
  const created = [];
  for (const demo of DEMO) {
    const { extension, password } = await createExtension(core.db.kysely, core.credentials, demo);
    created.push({ number: extension.number, name: extension.name, password });
  }
  return created;
}

/** The administrator `npm start` creates when there is none, so the console can be tried at once. */
export const DEMO_ADMIN = 'admin';

/**
 * Creates the `admin` administrator with a generated password when no administrator exists;
 * returns the password so the caller can print it once (only its argon2id hash is stored).
 */
export async function seedDemoAdmin(core: Core): Promise<string | null> {
  const any = await core.db.kysely.selectFrom('admins').select('id').limit(1).executeTakeFirst();
  if (any) return null;
  const password = generatePassword();
  await createAdmin(core.db.kysely, { username: DEMO_ADMIN, role: 'admin', password });
  return password;
}
