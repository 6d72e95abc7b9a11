// Many extensions at once (bulk generate, CSV import): one collision query, multi-row inserts.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { newExtensionRow, type CredentialContext, type NewExtensionInput } from './repository.ts';

/** Rows per INSERT: 20 columns x 1,000 stays below SQLite's (32,766) and PostgreSQL's (65,535) parameter limits. */
const INSERT_CHUNK = 1_000;
/** Numbers per `IN (…)` list. */
const LOOKUP_CHUNK = 5_000;

/** Splits a list into consecutive chunks of at most `size`. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Which of `numbers` exist already (one query per 5,000 numbers). */
export async function findTakenNumbers(
  db: Kysely<Database>,
  numbers: readonly string[],
): Promise<Set<string>> {
  const taken = new Set<string>();
  for (const chunk of chunked(numbers, LOOKUP_CHUNK)) {
    const rows = await db.selectFrom('extensions').select('number').where('number', 'in', chunk).execute();
    for (const row of rows) taken.add(row.number);
  }
  return taken;
}

/** Which of `dids` already ring an extension: DID -> extension number (one query per 5,000). */
export async function findDidOwners(
  db: Kysely<Database>,
  dids: readonly string[],
): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  for (const chunk of chunked(dids, LOOKUP_CHUNK)) {
    const rows = await db
      .selectFrom('extensions')
      .select(['number', 'did'])
      .where('did', 'in', chunk)
      .execute();
    for (const row of rows) if (row.did !== null) owners.set(row.did, row.number);
  }
  return owners;
}

/** An extension to insert with its (given or generated) password. */
export type BatchInput = NewExtensionInput & { password: string };

/**
 * Inserts every extension, 1,000 rows per statement, on the connection given (call it inside a
 * transaction for all-or-nothing). A taken number makes the database refuse the statement.
 */
export async function insertExtensions(
  db: Kysely<Database>,
  ctx: CredentialContext,
  inputs: readonly BatchInput[],
  now: string,
): Promise<void> {
  for (const chunk of chunked(inputs, INSERT_CHUNK)) {
    await db
      .insertInto('extensions')
      .values(chunk.map((input) => newExtensionRow(ctx, input, now)))
      .execute();
  }
}

/** True for a primary-key / unique violation on SQLite or PostgreSQL (someone took a number meanwhile). */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  const code = String(error.code);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
