// The account service as the API benchmarks run it: one per database engine, in the same run,
// listening on loopback with a registrar double and logs formatted into a discarding stream.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from '../../server/api/app.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import type { Engine } from '../../server/db/connect.ts';
import { SecretBox } from '../../server/security/secret-box.ts';
import { ENGINES, type TestDatabase } from '../../test/support/databases.ts';
import { RegistrarDouble } from '../../test/support/registrar-double.ts';

/** A running service on one engine. */
export interface ServedEngine {
  engine: Engine;
  database: TestDatabase;
  app: FastifyInstance;
  origin: string;
}

/** Discards log lines (pino still formats them, as in production) so the console stays readable. */
const sink = (): Writable =>
  new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });

function benchConfig(dataDir: string): Config {
  return loadConfig({
    EARSHOT_DATA_DIR: dataDir,
    EARSHOT_SECRET_KEY: randomBytes(32).toString('hex'),
    EARSHOT_SIP_REALM: 'bench.earshot.test',
    EARSHOT_LOG_LEVEL: 'info',
    EARSHOT_ALLOWED_ORIGINS: 'http://127.0.0.1:5173',
  });
}

/**
 * Builds the service on a seeded database with RegistrarDouble (no registrations: no JSON-RPC
 * round trip) and listens on 127.0.0.1; `extra` adds buildApp options such as `throttle`.
 */
export async function serve(
  engine: Engine,
  database: TestDatabase,
  base: Pick<AppDeps, 'config' | 'box'>,
  extra: Partial<AppDeps> = {},
): Promise<ServedEngine> {
  const app = await buildApp({
    ...base,
    db: database.db,
    registrar: new RegistrarDouble(),
    logStream: sink(),
    ...extra,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { engine, database, app, origin: `http://127.0.0.1:${port}` };
}

/**
 * Starts one target per engine (a temporary data dir and secret key shared by them), runs the
 * benchmark over all of them, and always closes the services and drops the databases.
 */
export async function runOnEngines<T extends ServedEngine>(
  start: (engine: Engine, config: Config, box: SecretBox) => Promise<T>,
  run: (targets: T[]) => Promise<void>,
): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'earshot-bench-'));
  const config = benchConfig(dataDir);
  const box = SecretBox.fromConfig(config.secretKey, dataDir);
  const targets: T[] = [];
  try {
    for (const engine of ENGINES) targets.push(await start(engine, config, box));
    await run(targets);
  } finally {
    for (const target of targets) {
      await target.app.close();
      await target.database.drop();
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}
