import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { parseDatabaseUrl } from '../db/connect.ts';

/** Flood and brute-force limits; the benchmark raises them, the flood test lowers them. */
export interface KamailioLimits {
  /** pike: window in seconds … */
  pikeSamplingSeconds: number;
  /** … and requests per window and IP before the IP is banned. */
  pikeDensity: number;
  pikeBanSeconds: number;
  /** 127.0.0.1 (this host, a local TLS proxy) is never banned by pike. */
  pikeTrustLoopback: boolean;
  /** Failed logins are counted in windows of this length (from the first failure). */
  authFailWindowSeconds: number;
  /** Failures for one extension from one address within the window before that pair is blocked … */
  authFailLimit: number;
  /** … for this long (that address may still log in as other extensions). */
  authBlockSeconds: number;
  /** Failures for one extension from all addresses within the window before the extension is closed … */
  extensionFailLimit: number;
  /** … for this long, to addresses that have not logged in as it within `knownAddressSeconds`. */
  extensionBlockSeconds: number;
  /** How long an address that logged in as an extension stays known for it (renewed by each login). */
  knownAddressSeconds: number;
  /**
   * Failures from everyone within the window that close every extension to unknown addresses until
   * the window ends: the bound on the failure tables' memory under a distributed attack.
   */
  authFailTotalLimit: number;
  /** A ringing call to an extension with forwarding goes to its forwarding target after this. */
  noAnswerSeconds: number;
}

/** Default limits for production. */
export const DEFAULT_LIMITS: KamailioLimits = {
  pikeSamplingSeconds: 2,
  pikeDensity: 30,
  pikeBanSeconds: 300,
  pikeTrustLoopback: true,
  authFailWindowSeconds: 300,
  authFailLimit: 5,
  authBlockSeconds: 900,
  extensionFailLimit: 20,
  extensionBlockSeconds: 600,
  knownAddressSeconds: 30 * 24 * 3600,
  authFailTotalLimit: 10_000,
  noAnswerSeconds: 20,
};

/** Everything the Kamailio config template needs. */
export interface KamailioSettings {
  realm: string;
  /** The database URL (`sqlite:///abs/path` or `postgres://…`); render converts it for Kamailio. */
  databaseUrl: string;
  nodeName: string;
  sipListen: string;
  sipPort: number;
  wsPort: number;
  /** WSS only when a certificate and key are configured. */
  wss: { port: number; cert: string; key: string } | null;
  rpcPort: number;
  allowedOrigins: string[];
  runDir: string;
  limits: KamailioLimits;
  children: number;
  /** rtpengine's ng port on 127.0.0.1: anchors calls with a non-WebRTC leg. Null: no media relay (tests). */
  rtpengine: { ngPort: number } | null;
  /** Kamailio `debug` level: 1 warnings, 2 notices, 3 info. */
  logLevel: number;
  registration: { min: number; default: number; max: number };
}

/** The settings the stack derives from the service configuration. */
export function settingsFromConfig(
  config: Config,
  runDir: string,
  limits: KamailioLimits = DEFAULT_LIMITS,
): KamailioSettings {
  const wss =
    config.tlsCert && config.tlsKey
      ? { port: config.sipWssPort, cert: config.tlsCert, key: config.tlsKey }
      : null;
  return {
    realm: config.realm,
    databaseUrl: config.databaseUrl,
    nodeName: config.nodeName,
    sipListen: config.sipListen,
    sipPort: config.sipPort,
    wsPort: config.sipWsPort,
    wss,
    rpcPort: config.rpcPort,
    rtpengine: { ngPort: config.media.ngPort },
    allowedOrigins: config.allowedOrigins,
    runDir,
    limits,
    children: 4,
    logLevel: 2,
    registration: { min: 60, default: 300, max: 600 },
  };
}

/**
 * The URL as Kamailio's db modules want it: `postgres://` (not `postgresql://`), and for SQLite
 * `sqlite://` + `/abs/path` with one more slash (db_sqlite strips one: `sqlite:////abs/path`).
 */
export function toKamailioDbUrl(url: string): string {
  const { engine, target } = parseDatabaseUrl(url.replace(/^sqlite:\/\/\/\//, 'sqlite:///'));
  if (engine === 'sqlite') {
    if (!target.startsWith('/')) throw new Error(`Kamailio needs an absolute SQLite path, got "${target}"`);
    return `sqlite:///${target}`;
  }
  return target.replace(/^postgresql:/, 'postgres:');
}

/** How long Kamailio waits for rtpengine's answer (one retry): on loopback it answers in a millisecond. */
const RTPENGINE_TIMEOUT_MS = 500;
/** An rtpengine that did not answer is skipped this long: never, there is only one to ask. */
const RTPENGINE_DISABLE_SECONDS = 0;

const TEMPLATE_PATH = join(import.meta.dirname, 'kamailio.cfg.tpl');

// Anything that ends up between double quotes in the config must not be able to close them.
const SAFE_QUOTED = /^[^"\\\n\r]*$/;
const SAFE_ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/;
const SAFE_TOKEN = /^[A-Za-z0-9_.-]+$/;

function assertSafe(name: string, value: string, pattern: RegExp): string {
  if (!pattern.test(value))
    throw new Error(`Kamailio setting ${name} has characters it cannot carry: "${value}"`);
  return value;
}

function originCheck(origins: string[]): string {
  if (origins.length === 0) return '0';
  return origins
    .map((origin) => `$hdr(Origin) == "${assertSafe('allowedOrigins', origin, SAFE_ORIGIN)}"`)
    .join(' || ');
}

function validate(s: KamailioSettings): void {
  assertSafe('realm', s.realm, SAFE_TOKEN);
  assertSafe('nodeName', s.nodeName, SAFE_TOKEN);
  assertSafe('sipListen', s.sipListen, SAFE_TOKEN);
  assertSafe('databaseUrl', s.databaseUrl, SAFE_QUOTED);
  assertSafe('runDir', s.runDir, SAFE_QUOTED);
  const ports = [s.sipPort, s.wsPort, s.rpcPort, ...(s.wss ? [s.wss.port] : [])];
  if (s.rtpengine && !(Number.isInteger(s.rtpengine.ngPort) && s.rtpengine.ngPort > 0))
    throw new Error('Kamailio needs a valid rtpengine control port');
  if (new Set(ports).size !== ports.length)
    throw new Error(`Kamailio ports must differ: ${ports.join(', ')}`);
  const { min, max } = s.registration;
  if (!(Number.isInteger(s.limits.noAnswerSeconds) && s.limits.noAnswerSeconds >= 1))
    throw new Error('Kamailio noAnswerSeconds must be a whole number of seconds, at least 1');
  if (!(min <= s.registration.default && s.registration.default <= max))
    throw new Error('Kamailio expires must satisfy min <= default <= max');
}

/** Every `{{NAME}}` of the template and its value. */
function values(s: KamailioSettings): Record<string, string> {
  const { limits, registration } = s;
  return {
    DEFINES: [s.wss ? '#!define WITH_WSS' : '', s.rtpengine ? '#!define WITH_RTPENGINE' : '']
      .filter(Boolean)
      .join('\n'),
    RTPENGINE_NG_PORT: String(s.rtpengine?.ngPort ?? 0),
    RTPENGINE_TIMEOUT_MS: String(RTPENGINE_TIMEOUT_MS),
    RTPENGINE_DISABLE_SECONDS: String(RTPENGINE_DISABLE_SECONDS),
    LOG_LEVEL: String(s.logLevel),
    NODE_NAME: s.nodeName,
    CHILDREN: String(s.children),
    REALM: s.realm,
    // Idle agents must never lose their socket between two refreshes.
    TCP_LIFETIME: String(registration.max + 60),
    SIP_LISTEN: s.sipListen,
    SIP_PORT: String(s.sipPort),
    WS_PORT: String(s.wsPort),
    WSS_PORT: String(s.wss?.port ?? s.wsPort),
    RPC_PORT: String(s.rpcPort),
    RUN_DIR: s.runDir,
    DB_ENGINE: parseDatabaseUrl(s.databaseUrl).engine,
    DB_URL: toKamailioDbUrl(s.databaseUrl),
    MIN_EXPIRES: String(registration.min),
    DEFAULT_EXPIRES: String(registration.default),
    MAX_EXPIRES: String(registration.max),
    REGSINCE_EXPIRE: String(registration.max + 300),
    PIKE_SAMPLING: String(limits.pikeSamplingSeconds),
    PIKE_DENSITY: String(limits.pikeDensity),
    PIKE_BAN_SECONDS: String(limits.pikeBanSeconds),
    PIKE_TRUST_LOOPBACK: limits.pikeTrustLoopback ? '1' : '0',
    AUTH_FAIL_LIMIT: String(limits.authFailLimit),
    AUTH_FAIL_WINDOW: String(limits.authFailWindowSeconds),
    AUTH_FAIL_KEEP: String(2 * limits.authFailWindowSeconds),
    AUTH_BLOCK_SECONDS: String(limits.authBlockSeconds),
    EXT_FAIL_LIMIT: String(limits.extensionFailLimit),
    EXT_BLOCK_SECONDS: String(limits.extensionBlockSeconds),
    KNOWN_ADDRESS_SECONDS: String(limits.knownAddressSeconds),
    AUTH_FAIL_TOTAL_LIMIT: String(limits.authFailTotalLimit),
    NO_ANSWER_MS: String(limits.noAnswerSeconds * 1000),
    ORIGIN_CHECK: originCheck(s.allowedOrigins),
  };
}

/** Renders kamailio.cfg from the template; throws on an unsafe value or a placeholder left unfilled. */
export function renderKamailioConfig(settings: KamailioSettings): string {
  validate(settings);
  const table = values(settings);
  const text = readFileSync(TEMPLATE_PATH, 'utf8').replace(/\{\{([A-Z_]+)\}\}/g, (_match, name: string) => {
    const value = table[name];
    if (value === undefined)
      throw new Error(`kamailio.cfg.tpl uses {{${name}}}, which render.ts does not fill`);
    return value;
  });
  return text;
}

/** The tls module's own config file for the WSS listener (written beside kamailio.cfg). */
export function renderTlsConfig(wss: { cert: string; key: string }): string {
  assertSafe('tlsCert', wss.cert, SAFE_QUOTED);
  assertSafe('tlsKey', wss.key, SAFE_QUOTED);
  return [
    '[server:default]',
    'method = TLSv1.2+',
    'verify_certificate = no',
    'require_certificate = no',
    `private_key = ${wss.key}`,
    `certificate = ${wss.cert}`,
    '',
    '[client:default]',
    'method = TLSv1.2+',
    'verify_certificate = no',
    'require_certificate = no',
    '',
  ].join('\n');
}
