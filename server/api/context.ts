import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { CredentialContext } from '../extensions/repository.ts';
import type { KickQueue } from '../kamailio/kick-queue.ts';
import type { RegistrarClient } from '../kamailio/types.ts';
import type { LoginThrottle } from './throttle.ts';

/** What every route handler works with. */
export interface ApiContext {
  config: Config;
  db: Kysely<Database>;
  registrar: RegistrarClient;
  /** Kicks devices out of Kamailio, retrying the nodes that did not answer. */
  kicks: KickQueue;
  credentials: CredentialContext;
  throttle: LoginThrottle;
  now: () => Date;
}
