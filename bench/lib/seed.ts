import type { Kysely } from 'kysely';
import type { Database } from '../../server/db/schema.ts';
import { newExtensionRow, type CredentialContext } from '../../server/extensions/repository.ts';
import { newSessionRow } from '../../server/api/auth.ts';
import { newToken } from '../../server/security/tokens.ts';

/** An extension the benchmark created, with the password it can log in with. */
export interface SeededExtension {
  number: string;
  password: string;
}

const BATCH = 500;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Inserts `count` enabled extensions numbered from `firstNumber`, 500 rows per INSERT in one
 * transaction (HA1/HA1b and the AES-sealed copy computed per row, as createExtension does).
 */
export async function seedExtensions(
  db: Kysely<Database>,
  ctx: CredentialContext,
  count: number,
  firstNumber = 100_000,
): Promise<SeededExtension[]> {
  const extensions = Array.from({ length: count }, (_, i) => {
    const number = String(firstNumber + i);
    return { number, password: `bench-${number}-correct-horse-battery` };
  });
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    for (const batch of chunks(extensions, BATCH)) {
      await trx
        .insertInto('extensions')
        .values(batch.map((ext) => newExtensionRow(ctx, { ...ext, name: `Bench Agent ${ext.number}` }, now)))
        .execute();
    }
  });
  return extensions;
}

/**
 * Opens one agent session per given extension directly in the database (as openSession stores
 * them: only the token's SHA-256) and returns the bearer tokens.
 */
export async function seedSessions(
  db: Kysely<Database>,
  numbers: string[],
  ttlMs: number,
): Promise<string[]> {
  const now = new Date();
  const sessions = numbers.map((subject) => ({ subject, token: newToken() }));
  await db.transaction().execute(async (trx) => {
    for (const batch of chunks(sessions, BATCH)) {
      const rows = batch.map(({ subject, token }) =>
        newSessionRow(token, { subject_type: 'agent', subject }, '127.0.0.1', now, ttlMs),
      );
      await trx.insertInto('sessions').values(rows).execute();
    }
  });
  return sessions.map((s) => s.token);
}
