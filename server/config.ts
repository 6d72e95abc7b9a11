import { resolve } from 'node:path';
import { z } from 'zod';
import { dialCountryFrom, trunkFrom, type TrunkConfig } from './trunk/trunk-config.ts';
import type { DialCountry } from './trunk/dial-plan.ts';
import { turnFrom, type TurnConfig } from './turn/turn-config.ts';

/** Every setting of the account service and the stack, read from the environment once. */
const schema = z.object({
  EARSHOT_DATA_DIR: z.string().default('.earshot'),
  DATABASE_URL: z.string().optional(),
  EARSHOT_SIP_REALM: z.string().min(1).default('earshot.local'),
  EARSHOT_NODE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/)
    .default('kamailio-1'),
  EARSHOT_HOST: z.string().default('127.0.0.1'),
  EARSHOT_API_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** The example portal (examples/portal) that embeds the widget from another origin; 0 = off. */
  EARSHOT_PORTAL_PORT: z.coerce.number().int().min(0).max(65535).default(8090),
  EARSHOT_SIP_WS_PORT: z.coerce.number().int().min(1).max(65535).default(8088),
  EARSHOT_SIP_WSS_PORT: z.coerce.number().int().min(1).max(65535).default(8443),
  EARSHOT_SIP_PORT: z.coerce.number().int().min(1).max(65535).default(5060),
  /** SIP over TLS for devices; uses EARSHOT_TLS_CERT/KEY, or a generated development certificate. */
  EARSHOT_SIP_TLS_PORT: z.coerce.number().int().min(1).max(65535).default(5061),
  EARSHOT_SIP_LISTEN: z.string().default('127.0.0.1'),
  EARSHOT_RPC_PORT: z.coerce.number().int().min(1).max(65535).default(5071),
  /** rtpengine's ng control port (UDP, always on 127.0.0.1: Kamailio and the health check use it). */
  EARSHOT_RTPENGINE_NG_PORT: z.coerce.number().int().min(1).max(65535).default(2223),
  /** The UDP ports rtpengine relays audio on (4 per anchored call: RTP and RTCP on each side). */
  EARSHOT_RTP_PORT_MIN: z.coerce.number().int().min(1024).max(65535).default(30000),
  EARSHOT_RTP_PORT_MAX: z.coerce.number().int().min(1024).max(65535).default(31999),
  /** Comma-separated media addresses (`IP`, or `IP!ADVERTISED` behind NAT); default: the SIP listen address. */
  EARSHOT_MEDIA_LISTEN: z.string().optional(),
  /** rtpengine's log level, syslog style: 3 errors … 5 notices (default) … 7 debug. */
  EARSHOT_RTPENGINE_LOG_LEVEL: z.coerce.number().int().min(0).max(7).default(5),
  /** The SIP WebSocket URL browsers should use, when it differs from the listen address (proxy, DNS name). */
  EARSHOT_PUBLIC_SIP_URL: z.url().optional(),
  EARSHOT_TLS_CERT: z.string().optional(),
  EARSHOT_TLS_KEY: z.string().optional(),
  /** Comma-separated `name=url` pairs of Kamailio JSON-RPC endpoints; default: the local node. */
  EARSHOT_KAMAILIO_NODES: z.string().optional(),
  /** Comma-separated origins allowed to call the API and to open the SIP WebSocket. */
  EARSHOT_ALLOWED_ORIGINS: z
    .string()
    .default('http://localhost:5173,http://127.0.0.1:5173,http://localhost:8080,http://127.0.0.1:8080'),
  /** 32-byte key (hex or base64) for the encrypted-at-rest secret copy; generated into the data dir when absent. */
  EARSHOT_SECRET_KEY: z.string().optional(),
  EARSHOT_SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  EARSHOT_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  EARSHOT_TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  /** The SIP trunk to the phone network (server/trunk/trunk-config.ts checks these). */
  EARSHOT_TRUNK_HOST: z.string().optional(),
  EARSHOT_TRUNK_PORT: z.string().optional(),
  EARSHOT_TRUNK_TRANSPORT: z.string().optional(),
  EARSHOT_TRUNK_USERNAME: z.string().optional(),
  EARSHOT_TRUNK_PASSWORD: z.string().optional(),
  EARSHOT_TRUNK_ALLOWED_IPS: z.string().optional(),
  EARSHOT_TRUNK_CALLER_ID: z.string().optional(),
  EARSHOT_DIAL_COUNTRY: z.string().optional(),
  /** Alert (webhook `registration.stale`) when an extension has not registered for this many hours. */
  EARSHOT_STALE_ALERT_HOURS: z.coerce.number().int().min(1).max(8760).default(24),
  /** How often the stale-registration check runs. */
  EARSHOT_STALE_CHECK_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),
});

export type Env = z.infer<typeof schema>;

/** A Kamailio node the account service asks for live registrations. */
export interface KamailioNode {
  name: string;
  rpcUrl: string;
}

export interface Config {
  dataDir: string;
  databaseUrl: string;
  realm: string;
  nodeName: string;
  host: string;
  apiPort: number;
  portalPort: number;
  sipWsPort: number;
  sipWssPort: number;
  sipPort: number;
  sipTlsPort: number;
  sipListen: string;
  rpcPort: number;
  media: MediaConfig;
  publicSipUrl: string | undefined;
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  kamailioNodes: KamailioNode[];
  allowedOrigins: string[];
  secretKey: string | undefined;
  sessionTtlMs: number;
  logLevel: Env['EARSHOT_LOG_LEVEL'];
  trustProxy: boolean;
  /** The SIP trunk, or null: no outside calls. */
  trunk: TrunkConfig | null;
  /** The dial plan's default country for national formats, or null. */
  dialCountry: DialCountry | null;
  /** TURN/STUN for agents behind NAT (server/turn/turn-config.ts), or null when off. */
  turn: TurnConfig | null;
  alerts: { staleHours: number; staleCheckMinutes: number };
}

/** The trunk settings, their errors worded like the other variables'. */
function trunkSettings(env: Env): Pick<Config, 'trunk' | 'dialCountry'> {
  try {
    return { trunk: trunkFrom(env), dialCountry: dialCountryFrom(env) };
  } catch (error) {
    throw new Error(`Invalid configuration: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** rtpengine, the media relay (see server/media/rtpengine.ts). */
export interface MediaConfig {
  ngPort: number;
  portMin: number;
  portMax: number;
  /** One rtpengine `interface` each; the first is the address devices see in SDP. */
  addresses: string[];
  logLevel: number;
}

/** The media addresses: EARSHOT_MEDIA_LISTEN, else where SIP listens (else EARSHOT_HOST for 0.0.0.0). */
function mediaAddresses(e: Env): string[] {
  if (e.EARSHOT_MEDIA_LISTEN)
    return e.EARSHOT_MEDIA_LISTEN.split(',')
      .map((a) => a.trim())
      .filter(Boolean);
  return [e.EARSHOT_SIP_LISTEN === '0.0.0.0' ? e.EARSHOT_HOST : e.EARSHOT_SIP_LISTEN];
}

/** The TURN settings, their errors worded like the other variables'. */
function turnSettings(env: Record<string, string | undefined>, media: string[]): TurnConfig | null {
  try {
    return turnFrom(env, (media[0] ?? '127.0.0.1').split('!')[0] ?? '127.0.0.1');
  } catch (error) {
    throw new Error(`Invalid configuration: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function parseNodes(spec: string | undefined, fallback: KamailioNode): KamailioNode[] {
  if (!spec) return [fallback];
  return spec.split(',').map((pair) => {
    const [name, rpcUrl] = pair.split('=', 2).map((part) => part.trim());
    if (!name || !rpcUrl) throw new Error(`EARSHOT_KAMAILIO_NODES: expected name=url, got "${pair}"`);
    return { name, rpcUrl };
  });
}

/** Reads the configuration from `env` (default: process.env); throws with the offending variable named. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration: ${issues.join('; ')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.EARSHOT_DATA_DIR);
  if (e.EARSHOT_RTP_PORT_MAX - e.EARSHOT_RTP_PORT_MIN < 3)
    throw new Error(
      'Invalid configuration: EARSHOT_RTP_PORT_MAX must be at least EARSHOT_RTP_PORT_MIN + 3 (one call needs 4 ports)',
    );
  const localNode = { name: e.EARSHOT_NODE_NAME, rpcUrl: `http://127.0.0.1:${e.EARSHOT_RPC_PORT}/RPC` };
  return {
    dataDir,
    databaseUrl: e.DATABASE_URL ?? `sqlite://${resolve(dataDir, 'earshot.sqlite')}`,
    realm: e.EARSHOT_SIP_REALM,
    nodeName: e.EARSHOT_NODE_NAME,
    host: e.EARSHOT_HOST,
    apiPort: e.EARSHOT_API_PORT,
    portalPort: e.EARSHOT_PORTAL_PORT,
    sipWsPort: e.EARSHOT_SIP_WS_PORT,
    sipWssPort: e.EARSHOT_SIP_WSS_PORT,
    sipPort: e.EARSHOT_SIP_PORT,
    sipTlsPort: e.EARSHOT_SIP_TLS_PORT,
    sipListen: e.EARSHOT_SIP_LISTEN,
    rpcPort: e.EARSHOT_RPC_PORT,
    media: {
      ngPort: e.EARSHOT_RTPENGINE_NG_PORT,
      portMin: e.EARSHOT_RTP_PORT_MIN,
      portMax: e.EARSHOT_RTP_PORT_MAX,
      addresses: mediaAddresses(e),
      logLevel: e.EARSHOT_RTPENGINE_LOG_LEVEL,
    },
    publicSipUrl: e.EARSHOT_PUBLIC_SIP_URL,
    tlsCert: e.EARSHOT_TLS_CERT,
    tlsKey: e.EARSHOT_TLS_KEY,
    kamailioNodes: parseNodes(e.EARSHOT_KAMAILIO_NODES, localNode),
    allowedOrigins: e.EARSHOT_ALLOWED_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    secretKey: e.EARSHOT_SECRET_KEY,
    sessionTtlMs: e.EARSHOT_SESSION_TTL_HOURS * 3_600_000,
    logLevel: e.EARSHOT_LOG_LEVEL,
    trustProxy: e.EARSHOT_TRUST_PROXY === 'true',
    ...trunkSettings(e),
    turn: turnSettings(env, mediaAddresses(e)),
    alerts: { staleHours: e.EARSHOT_STALE_ALERT_HOURS, staleCheckMinutes: e.EARSHOT_STALE_CHECK_MINUTES },
  };
}
