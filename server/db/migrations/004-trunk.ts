import type { Kysely } from 'kysely';

// The SIP trunk: the phone number (DID, E.164) that rings an extension from the phone network, one
// extension per number (NULLs do not collide on either engine), and the caller ID (E.164) the
// extension presents on outside calls. Kamailio reads both per call.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('extensions').addColumn('did', 'varchar(16)').execute();
  await db.schema.alterTable('extensions').addColumn('caller_id', 'varchar(16)').execute();
  await db.schema.createIndex('extensions_did').on('extensions').column('did').unique().execute();
}
