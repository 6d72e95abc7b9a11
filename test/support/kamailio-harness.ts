import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../../server/db/connect.ts';
import type { CredentialContext } from '../../server/extensions/repository.ts';
import { KamailioProcess } from '../../server/kamailio/launcher.ts';
import { RtpengineProcess, type RtpengineSettings } from '../../server/media/rtpengine.ts';
import { DEFAULT_LIMITS, type KamailioLimits, type KamailioSettings } from '../../server/kamailio/render.ts';
import { SecretBox } from '../../server/security/secret-box.ts';
import type { DialCountry } from '../../server/trunk/dial-plan.ts';
import type { KamailioTrunk } from '../../server/trunk/trunk-config.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';

/** The realm every test extension's HA1 is computed for. */
export const TEST_REALM = 'earshot.test';
/** The Origin the test Kamailio accepts on its WebSocket. */
export const ALLOWED_ORIGIN = 'http://localhost:5173';

/** A running Kamailio on free loopback ports with a database of its own. */
export interface KamailioHarness {
  kamailio: KamailioProcess;
  /** The media relay Kamailio anchors calls through, when started with `rtpengine: true`. */
  rtpengine: RtpengineProcess | null;
  database: TestDatabase;
  credentials: CredentialContext;
  settings: Omit<KamailioSettings, 'runDir'>;
  sip: { host: string; port: number };
  /** SIP over TLS, when started with `tls`. */
  sipTls: { host: string; port: number } | null;
  wsUrl: string;
  rpcUrl: string;
  nodeName: string;
  /** Kamailio's log lines so far (for assertions and failure messages). */
  logs: string[];
  stop(): Promise<void>;
}

export interface HarnessOptions {
  engine?: Engine;
  limits?: Partial<KamailioLimits>;
  nodeName?: string;
  /** Origins allowed on the WebSocket (default: ALLOWED_ORIGIN). */
  allowedOrigins?: string[];
  /** PEM certificate and key: adds a WSS and a SIP-over-TLS listener, each on a free port. */
  tls?: { cert: string; key: string };
  /** SIP worker processes per transport (default 2). */
  children?: number;
  /** Registration expiry bounds in seconds (default min 60, default 300, max 600). */
  registration?: KamailioSettings['registration'];
  /** A SIP trunk (e.g. a test carrier on a loopback port). */
  trunk?: KamailioTrunk;
  dialCountry?: DialCountry;
  /** Also start rtpengine (its log lines go to `logs` too): calls with a non-WebRTC leg are anchored. */
  rtpengine?: boolean;
}

/** A TCP port free on 127.0.0.1 right now. */
export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

function udpPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      resolve(false);
    });
    socket.bind(port, '127.0.0.1', () => {
      socket.close(() => {
        resolve(true);
      });
    });
  });
}

/** A port free on both TCP and UDP (SIP listens on both). */
export async function freeSipPort(): Promise<number> {
  for (;;) {
    const port = await freeTcpPort();
    if (await udpPortFree(port)) return port;
  }
}

/** `count` distinct ports, each free on both TCP and UDP. */
export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freeSipPort());
  return [...ports];
}

/** Settings for a test Kamailio on free loopback ports: low log noise, test limits. */
export async function testKamailioSettings(
  databaseUrl: string,
  options: HarnessOptions = {},
): Promise<Omit<KamailioSettings, 'runDir'>> {
  const [sipPort = 0, wsPort = 0, rpcPort = 0, wssPort = 0, sipTlsPort = 0] = await freePorts(5);
  return {
    realm: TEST_REALM,
    databaseUrl,
    nodeName: options.nodeName ?? 'test-node',
    sipListen: '127.0.0.1',
    sipPort,
    wsPort,
    wss: options.tls ? { port: wssPort, ...options.tls } : null,
    sipTls: options.tls ? { port: sipTlsPort, ...options.tls } : null,
    rpcPort,
    rtpengine: null,
    allowedOrigins: options.allowedOrigins ?? [ALLOWED_ORIGIN],
    limits: { ...DEFAULT_LIMITS, pikeDensity: 1000, ...options.limits },
    children: options.children ?? 2,
    logLevel: 2,
    registration: options.registration ?? { min: 60, default: 300, max: 600 },
    trunk: options.trunk ?? null,
    dialCountry: options.dialCountry ?? null,
  };
}

/**
 * rtpengine for a test on loopback: a free ng port and 200 RTP ports from 20000–29999 (below the
 * ephemeral range; rtpengine skips a port another test holds).
 */
export async function testRtpengineSettings(): Promise<RtpengineSettings> {
  const portMin = 20000 + 2 * Math.floor(Math.random() * 4900);
  return {
    ngPort: await freeSipPort(),
    interfaces: ['127.0.0.1'],
    portMin,
    portMax: portMin + 199,
    logLevel: 5,
    mediaTimeoutSeconds: 60,
  };
}

/** Starts Kamailio for one test file: real database (SQLite by default), low log noise, test limits. */
export async function startKamailio(options: HarnessOptions = {}): Promise<KamailioHarness> {
  const database = await createTestDatabase(options.engine ?? 'sqlite');
  const dataDir = mkdtempSync(join(tmpdir(), 'earshot-kamailio-'));
  const logs: string[] = [];
  const rtpengine = options.rtpengine
    ? new RtpengineProcess({
        settings: await testRtpengineSettings(),
        dataDir,
        onLog: (line) => logs.push(`[rtpengine] ${line}`),
      })
    : null;
  const settings = {
    ...(await testKamailioSettings(database.url, options)),
    rtpengine: rtpengine ? { ngPort: rtpengine.options.settings.ngPort } : null,
  };
  const { sipPort, wsPort, rpcPort, nodeName } = settings;
  const kamailio = new KamailioProcess({ settings, dataDir, onLog: (line) => logs.push(line) });
  const stop = async () => {
    await kamailio.stop();
    await rtpengine?.stop();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await rtpengine?.start();
    await kamailio.start();
  } catch (error) {
    await stop();
    throw error;
  }
  const credentials = { realm: TEST_REALM, box: new SecretBox(Buffer.alloc(32, 7)) };
  const rpcUrl = `http://127.0.0.1:${rpcPort}/RPC`;
  return {
    kamailio,
    rtpengine,
    database,
    credentials,
    settings,
    sip: { host: '127.0.0.1', port: sipPort },
    sipTls: settings.sipTls ? { host: '127.0.0.1', port: settings.sipTls.port } : null,
    wsUrl: `ws://127.0.0.1:${wsPort}`,
    rpcUrl,
    nodeName,
    logs,
    stop,
  };
}

/** Resolves with the first of Kamailio's log lines, so far or to come, that `matches`; rejects after `timeoutMs`. */
export async function waitForLog(
  h: KamailioHarness,
  matches: (line: string) => boolean,
  timeoutMs = 5000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = h.logs.find(matches);
    if (line !== undefined) return line;
    if (Date.now() > deadline) throw new Error(`No such Kamailio log line within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
