import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { createAdmin, type AdminRole } from '../../server/admins/repository.ts';
import { buildApp, type AppDeps } from '../../server/api/app.ts';
import type { ThrottleLimits } from '../../server/api/throttle.ts';
import { loadConfig } from '../../server/config.ts';
import type { Engine } from '../../server/db/connect.ts';
import { createExtension, type CredentialContext } from '../../server/extensions/repository.ts';
import { SecretBox } from '../../server/security/secret-box.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';
import { RegistrarDouble } from './registrar-double.ts';

export const API_REALM = 'earshot.test';
export const ALLOWED = 'https://crm.example.test';
export const PASSWORD_1001 = 'purple-monkey-dishwasher-42';
export const PASSWORD_1002 = 'seven-green-bottles-on-a-wall';
export const PASSWORD_DISABLED = 'the-quiet-lake-at-dawn-77';

/** A mutable clock for throttling and expiry tests. */
export class TestClock {
  ms = Date.parse('2026-11-23T09:00:00Z');
  readonly now = (): Date => new Date(this.ms);
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

export interface ApiHarness {
  app: FastifyInstance;
  database: TestDatabase;
  registrar: RegistrarDouble;
  clock: TestClock;
  credentials: CredentialContext;
  /** Every log line the service wrote. */
  logs: string[];
  close(): Promise<void>;
}

async function seed(database: TestDatabase, credentials: CredentialContext): Promise<void> {
  const db = database.db.kysely;
  await createExtension(db, credentials, {
    number: '1001',
    name: 'Ada Agent',
    password: PASSWORD_1001,
    manualDialing: true,
  });
  await createExtension(db, credentials, { number: '1002', name: 'Bob Agent', password: PASSWORD_1002 });
  await createExtension(db, credentials, {
    number: '1003',
    name: 'Off Agent',
    password: PASSWORD_DISABLED,
    enabled: false,
  });
}

/**
 * The account service on a real database (SQLite file or PostgreSQL) with three extensions;
 * `env` overrides settings (as environment variables would).
 */
export async function startApi(
  engine: Engine,
  throttle?: ThrottleLimits,
  env: Record<string, string> = {},
  deps: Pick<AppDeps, 'alerts'> = {},
): Promise<ApiHarness> {
  const database = await createTestDatabase(engine);
  const credentials = { realm: API_REALM, box: new SecretBox(Buffer.alloc(32, 3)) };
  await seed(database, credentials);
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const config = loadConfig({
    EARSHOT_SIP_REALM: API_REALM,
    EARSHOT_ALLOWED_ORIGINS: ALLOWED,
    EARSHOT_LOG_LEVEL: 'info',
    EARSHOT_NODE_NAME: 'test-node',
    ...env,
  });
  const registrar = new RegistrarDouble();
  const clock = new TestClock();
  const app = await buildApp({
    config,
    db: database.db,
    registrar,
    box: credentials.box,
    now: clock.now,
    logStream,
    ...(throttle ? { throttle } : {}),
    ...deps,
  });
  return {
    app,
    database,
    registrar,
    clock,
    credentials,
    logs,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

/** Logs in through the API and returns the bearer header. */
export async function loginAs(
  h: ApiHarness,
  extension: string,
  password: string,
): Promise<{ authorization: string }> {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/sessions',
    payload: { extension, password },
  });
  if (res.statusCode !== 201) throw new Error(`login ${extension} failed: ${res.statusCode} ${res.body}`);
  return { authorization: `Bearer ${res.json<{ token: string }>().token}` };
}

/** What the admin helpers need: also a Kamailio test's own app over its harness database. */
export type AppAndDatabase = Pick<ApiHarness, 'app' | 'database'>;

/** How many extensions the database holds. */
export async function countExtensions(h: Pick<ApiHarness, 'database'>): Promise<number> {
  const row = await h.database.db.kysely
    .selectFrom('extensions')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The password every admin created by `createTestAdmin` gets. */
export const ADMIN_PASSWORD = 'correct-horse-battery-staple-admin';

let adminCount = 0;

/** Creates an administrator (argon2id, through the same repository as the CLI); returns the username. */
export async function createTestAdmin(
  h: AppAndDatabase,
  role: AdminRole,
  username = `${role}-${String((adminCount += 1))}`,
): Promise<string> {
  await createAdmin(h.database.db.kysely, { username, role, password: ADMIN_PASSWORD });
  return username;
}

/** Logs an administrator in through the admin API and returns the bearer header. */
export async function loginAdmin(
  h: AppAndDatabase,
  username: string,
  password = ADMIN_PASSWORD,
): Promise<{ authorization: string }> {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/admin/sessions',
    payload: { username, password },
  });
  if (res.statusCode !== 201)
    throw new Error(`admin login ${username} failed: ${res.statusCode} ${res.body}`);
  return { authorization: `Bearer ${res.json<{ token: string }>().token}` };
}

/** A new administrator with `role`, logged in: the bearer header for admin API calls. */
export async function adminHeaders(h: AppAndDatabase, role: AdminRole): Promise<{ authorization: string }> {
  return loginAdmin(h, await createTestAdmin(h, role));
}
