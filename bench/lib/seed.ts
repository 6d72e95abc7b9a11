import type { Kysely } from 'kysely';
import type { Database, NewExtension } from '../../server/db/schema.ts';
import { credentialColumns, type CredentialContext } from '../../server/extensions/repository.ts';
import { hashToken, newToken } from '../../server/security/tokens.ts';

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

function extensionRow(ctx: CredentialContext, ext: SeededExtension, now: string): NewExtension {
  return {
    number: ext.number,
    name: `Bench Agent ${ext.number}`,
    ...credentialColumns(ctx, ext.number, ext.password, now),
    enabled: 1,
    manual_dialing: 0,
    call_recording: 0,
    call_limit: 2,
    allowed_ips: '',
    forwarding: null,
    dnd: 0,
    revision: 1,
    created_at: now,
    updated_at: now,
  };
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
        .values(batch.map((ext) => extensionRow(ctx, ext, now)))
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
  const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
  const sessions = numbers.map((subject) => ({ subject, token: newToken() }));
  await db.transaction().execute(async (trx) => {
    for (const batch of chunks(sessions, BATCH)) {
      const rows = batch.map(({ subject, token }) => ({
        token_hash: hashToken(token),
        subject_type: 'agent' as const,
        subject,
        created_at: now.toISOString(),
        expires_at: expiresAt,
        ip: '127.0.0.1',
      }));
      await trx.insertInto('sessions').values(rows).execute();
    }
  });
  return sessions.map((s) => s.token);
}
