import type { Config } from './config.ts';
import { openDatabase, type Db } from './db/connect.ts';
import { migrate } from './db/migrate.ts';
import type { CredentialContext } from './extensions/repository.ts';
import { SecretBox } from './security/secret-box.ts';

/** What the CLI, the stack and the account service share: the migrated database and the credential context. */
export interface Core {
  db: Db;
  credentials: CredentialContext;
}

/** Opens the configured database, runs pending migrations (a no-op on a second start), loads the secret key. */
export async function openCore(config: Config): Promise<Core> {
  const db = openDatabase(config.databaseUrl);
  await migrate(db.kysely, db.engine);
  return {
    db,
    credentials: { realm: config.realm, box: SecretBox.fromConfig(config.secretKey, config.dataDir) },
  };
}
