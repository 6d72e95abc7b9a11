// The stack's coturn for a test on loopback: a free port, 200 relay ports from 33000–38999, a
// random REST-API secret; the environment the account service reads to mint credentials for it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ConfiguredDaemon } from '../../server/stack/configured-daemon.ts';
import { coturnProcess, type CoturnSettings } from '../../server/turn/coturn.ts';
import { freeSipPort, TEST_REALM } from './kamailio-harness.ts';

export interface TestTurn {
  coturn: ConfiguredDaemon;
  settings: CoturnSettings;
  /** Every line coturn logged. */
  logs: string[];
  /** EARSHOT_TURN_* for loadConfig: the account service mints credentials for this coturn. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function testCoturnSettings(): Promise<CoturnSettings> {
  const relayPortMin = 33000 + 200 * Math.floor(Math.random() * 30);
  return {
    listen: '127.0.0.1',
    advertised: '127.0.0.1',
    port: await freeSipPort(),
    relayPortMin,
    relayPortMax: relayPortMin + 199,
    secret: randomBytes(24).toString('hex'),
    realm: TEST_REALM,
  };
}

/** Starts coturn (ready: it answers STUN); `ttlMinutes` is the life of the credentials minted. */
export async function startTestTurn(ttlMinutes = 60): Promise<TestTurn> {
  const settings = await testCoturnSettings();
  const dataDir = mkdtempSync(join(tmpdir(), 'earshot-coturn-'));
  const logs: string[] = [];
  const coturn = coturnProcess(settings, { dataDir, onLog: (line) => logs.push(line) });
  await coturn.start();
  return {
    coturn,
    settings,
    logs,
    env: {
      EARSHOT_TURN_LISTEN: settings.listen,
      EARSHOT_TURN_PORT: String(settings.port),
      EARSHOT_TURN_RELAY_PORT_MIN: String(settings.relayPortMin),
      EARSHOT_TURN_RELAY_PORT_MAX: String(settings.relayPortMax),
      EARSHOT_TURN_SECRET: settings.secret,
      EARSHOT_TURN_TTL_MINUTES: String(ttlMinutes),
    },
    stop: async () => {
      await coturn.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
