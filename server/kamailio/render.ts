import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { parseDatabaseUrl } from '../db/connect.ts';
import type { SecretBox } from '../security/secret-box.ts';
import { dialPlan, type DialCountry } from '../trunk/dial-plan.ts';
import { renderDialPlanRoute } from '../trunk/kamailio-dial-plan.ts';
import { openTrunk, type KamailioTrunk } from '../trunk/trunk-config.ts';

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
  /** SIP over TLS for devices (desk phones, mobile apps); the same certificate as `wss` when both are set. */
  sipTls?: { port: number; cert: string; key: string } | null;
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
  /** The SIP trunk (its password opened: it reaches Kamailio through its environment); none: no outside calls. */
  trunk?: KamailioTrunk | null;
  /** The dial plan's default country for national formats; none: international formats only. */
  dialCountry?: DialCountry | null;
}

/** The environment variable that hands Kamailio the trunk's digest password (never the config file). */
export const TRUNK_PASSWORD_ENV = 'EARSHOT_KAMAILIO_TRUNK_PASSWORD';

/** The settings the stack derives from the service configuration. */
export function settingsFromConfig(
  config: Config,
  runDir: string,
  limits: KamailioLimits = DEFAULT_LIMITS,
  /** Opens the trunk's sealed password; needed only when a trunk is configured. */
  box: SecretBox | null = null,
): KamailioSettings {
  const certificate = config.tlsCert && config.tlsKey ? { cert: config.tlsCert, key: config.tlsKey } : null;
  const wss = certificate ? { port: config.sipWssPort, ...certificate } : null;
  const sipTls = certificate ? { port: config.sipTlsPort, ...certificate } : null;
  return {
    realm: config.realm,
    databaseUrl: config.databaseUrl,
    nodeName: config.nodeName,
    sipListen: config.sipListen,
    sipPort: config.sipPort,
    wsPort: config.sipWsPort,
    wss,
    sipTls,
    rpcPort: config.rpcPort,
    rtpengine: { ngPort: config.media.ngPort },
    allowedOrigins: config.allowedOrigins,
    runDir,
    limits,
    children: 4,
    logLevel: 2,
    registration: { min: 60, default: 300, max: 600 },
    trunk: trunkSettings(config, box),
    dialCountry: config.dialCountry,
  };
}

function trunkSettings(config: Config, box: SecretBox | null): KamailioTrunk | null {
  if (!config.trunk) return null;
  if (!box) throw new Error('The trunk password cannot be opened without the secret key.');
  return openTrunk(config.trunk, box);
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
const SAFE_HOST = /^(?:[A-Za-z0-9_.-]+|\[[0-9A-Fa-f:.]+\])$/;
const SAFE_USERNAME = /^[A-Za-z0-9._+@-]+$/;
const SAFE_E164 = /^\+[0-9]{7,15}$/;

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
  const ports = [s.sipPort, s.wsPort, s.rpcPort, ...[s.wss, s.sipTls].flatMap((t) => (t ? [t.port] : []))];
  if (s.rtpengine && !(Number.isInteger(s.rtpengine.ngPort) && s.rtpengine.ngPort > 0))
    throw new Error('Kamailio needs a valid rtpengine control port');
  if (new Set(ports).size !== ports.length)
    throw new Error(`Kamailio ports must differ: ${ports.join(', ')}`);
  if (s.wss && s.sipTls && (s.wss.cert !== s.sipTls.cert || s.wss.key !== s.sipTls.key))
    throw new Error('Kamailio serves one TLS certificate: wss and SIP over TLS must use the same one');
  const { min, max } = s.registration;
  if (!(Number.isInteger(s.limits.noAnswerSeconds) && s.limits.noAnswerSeconds >= 1))
    throw new Error('Kamailio noAnswerSeconds must be a whole number of seconds, at least 1');
  if (!(min <= s.registration.default && s.registration.default <= max))
    throw new Error('Kamailio expires must satisfy min <= default <= max');
  if (s.trunk) validateTrunk(s.trunk, s.wss !== null);
}

function validateTrunk(trunk: KamailioTrunk, tls: boolean): void {
  assertSafe('trunk.host', trunkHost(trunk), SAFE_HOST);
  if (trunk.username !== null) assertSafe('trunk.username', trunk.username, SAFE_USERNAME);
  if (trunk.defaultCallerId !== null) assertSafe('trunk.defaultCallerId', trunk.defaultCallerId, SAFE_E164);
  for (const cidr of trunk.allowedIps) assertSafe('trunk.allowedIps', cidr, /^[0-9A-Fa-f:.]+\/\d{1,3}$/);
  if (trunk.allowedIps.length === 0) throw new Error('Kamailio trunk.allowedIps: list the carrier addresses');
  if (trunk.transport === 'tls' && !tls)
    throw new Error(
      'A trunk over TLS needs Kamailio TLS: set EARSHOT_TLS_CERT and EARSHOT_TLS_KEY, or use udp or tcp.',
    );
}

/** The trunk host as a SIP URI carries it (an IPv6 address in brackets). */
function trunkHost(trunk: KamailioTrunk): string {
  return trunk.host.includes(':') ? `[${trunk.host}]` : trunk.host;
}

/** Placeholders of the trunk routes; without a trunk they are inert (the routes are not loaded). */
function trunkValues(trunk: KamailioTrunk | null): Record<string, string> {
  if (!trunk)
    return {
      TRUNK_DEFINES: '',
      TRUNK_SOURCE: '0',
      TRUNK_HOST: 'trunk.invalid',
      TRUNK_HOSTPORT: 'trunk.invalid',
      TRUNK_TRANSPORT: 'udp',
      TRUNK_CALLER_ID: '',
      TRUNK_USERNAME: '',
    };
  const host = trunkHost(trunk);
  return {
    TRUNK_DEFINES: ['#!define WITH_TRUNK', ...(trunk.username ? ['#!define WITH_TRUNK_AUTH'] : [])].join(
      '\n',
    ),
    // A browser (WebSocket) is never the carrier, whatever its address.
    TRUNK_SOURCE: `$pr != "ws" && $pr != "wss" && is_in_subnet("$si", "${trunk.allowedIps.join(',')}")`,
    TRUNK_HOST: host,
    TRUNK_HOSTPORT: `${host}:${trunk.port}`,
    TRUNK_TRANSPORT: trunk.transport,
    TRUNK_CALLER_ID: trunk.defaultCallerId ?? '',
    TRUNK_USERNAME: trunk.username ?? '',
  };
}

/** WITH_TLS (the tls module) for either TLS listener, WITH_WSS and WITH_SIP_TLS for each. */
function defines(s: KamailioSettings): string {
  const names = [
    ...(s.wss || s.sipTls ? ['WITH_TLS'] : []),
    ...(s.wss ? ['WITH_WSS'] : []),
    ...(s.sipTls ? ['WITH_SIP_TLS'] : []),
    ...(s.rtpengine ? ['WITH_RTPENGINE'] : []),
  ];
  return names.map((name) => `#!define ${name}`).join('\n');
}

/** The certificate the tls module serves (wss and SIP over TLS share it), or null without TLS. */
export function tlsCertificate(
  s: Pick<KamailioSettings, 'wss' | 'sipTls'>,
): { cert: string; key: string } | null {
  return s.wss ?? s.sipTls ?? null;
}

/** Every `{{NAME}}` of the template and its value. */
function values(s: KamailioSettings): Record<string, string> {
  const { limits, registration } = s;
  return {
    DEFINES: defines(s),
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
    SIP_TLS_PORT: String(s.sipTls?.port ?? s.sipPort),
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
    ...trunkValues(s.trunk ?? null),
    DIAL_PLAN: renderDialPlanRoute(dialPlan(s.dialCountry ?? null)),
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

/** The tls module's own config file for the TLS listeners (written beside kamailio.cfg). */
export function renderTlsConfig(tls: { cert: string; key: string }): string {
  assertSafe('tlsCert', tls.cert, SAFE_QUOTED);
  assertSafe('tlsKey', tls.key, SAFE_QUOTED);
  return [
    '[server:default]',
    'method = TLSv1.2+',
    'verify_certificate = no',
    'require_certificate = no',
    `private_key = ${tls.key}`,
    `certificate = ${tls.cert}`,
    '',
    '[client:default]',
    'method = TLSv1.2+',
    'verify_certificate = no',
    'require_certificate = no',
    '',
  ].join('\n');
}
