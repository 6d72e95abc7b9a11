// TURN/STUN for agents behind NAT, from the environment: Earshot's own coturn (the default, started
// by the stack), a site's own TURN servers sharing a REST-API secret with us, or none. Browsers
// never see a static TURN password: the account service mints short-lived credentials per agent
// (server/turn/credentials.ts).
import { isIP } from 'node:net';
import { z } from 'zod';

/** Where coturn listens and relays when the stack runs it. */
export interface LocalTurn {
  /** The address coturn listens and relays on. */
  listen: string;
  /** The address browsers are told (behind 1:1 NAT: the public one); default `listen`. */
  advertised: string;
  port: number;
  relayPortMin: number;
  relayPortMax: number;
}

export interface TurnConfig {
  /** The stack's own coturn, or null when the site's TURN servers are used (`urls`). */
  local: LocalTurn | null;
  /** turn:/turns: URLs handed to browsers. */
  urls: string[];
  /** Plain STUN URLs handed to browsers as well (no credentials). */
  stunUrls: string[];
  /** The REST-API shared secret; null: derive one from the secret key (own coturn only). */
  secret: string | null;
  /** How long minted credentials live. */
  ttlSeconds: number;
}

const TURN_URL = /^turns?:[^\s,?]+(\?transport=(udp|tcp))?$/;
const STUN_URL = /^stuns?:[^\s,?]+$/;

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

const port = z.coerce.number().int().min(1024).max(65535);
const schema = z.object({
  EARSHOT_TURN: z.enum(['on', 'off']).default('on'),
  EARSHOT_TURN_LISTEN: z.string().optional(),
  EARSHOT_TURN_EXTERNAL_IP: z.string().optional(),
  EARSHOT_TURN_PORT: port.default(3478),
  EARSHOT_TURN_RELAY_PORT_MIN: port.default(32000),
  EARSHOT_TURN_RELAY_PORT_MAX: port.default(32999),
  EARSHOT_TURN_URLS: z.string().optional(),
  EARSHOT_STUN_URLS: z.string().optional(),
  EARSHOT_TURN_SECRET: z.string().min(16, 'use at least 16 characters').optional(),
  EARSHOT_TURN_TTL_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(240),
});

function fail(variable: string, message: string): never {
  throw new Error(`${variable}: ${message}`);
}

function checkUrls(variable: string, urls: string[], pattern: RegExp, example: string): string[] {
  for (const url of urls) if (!pattern.test(url)) fail(variable, `"${url}" is not a URL like ${example}.`);
  return urls;
}

function address(variable: string, value: string): string {
  if (!isIP(value)) fail(variable, `"${value}" is not an IP address.`);
  if (value === '0.0.0.0' || value === '::')
    fail(variable, `${value} is not an address a browser can send to: give this machine's address.`);
  return value;
}

function localTurn(e: z.infer<typeof schema>, defaultListen: string): LocalTurn {
  const listen = address('EARSHOT_TURN_LISTEN', e.EARSHOT_TURN_LISTEN ?? defaultListen);
  if (e.EARSHOT_TURN_RELAY_PORT_MAX - e.EARSHOT_TURN_RELAY_PORT_MIN < 1)
    fail('EARSHOT_TURN_RELAY_PORT_MAX', 'must be above EARSHOT_TURN_RELAY_PORT_MIN.');
  return {
    listen,
    advertised: e.EARSHOT_TURN_EXTERNAL_IP
      ? address('EARSHOT_TURN_EXTERNAL_IP', e.EARSHOT_TURN_EXTERNAL_IP)
      : listen,
    port: e.EARSHOT_TURN_PORT,
    relayPortMin: e.EARSHOT_TURN_RELAY_PORT_MIN,
    relayPortMax: e.EARSHOT_TURN_RELAY_PORT_MAX,
  };
}

/** The URLs browsers get for the stack's own coturn (UDP first, TCP for networks that block UDP). */
export function localTurnUrls(local: LocalTurn): string[] {
  const host = local.advertised.includes(':') ? `[${local.advertised}]` : local.advertised;
  const at = `${host}:${String(local.port)}`;
  return [`turn:${at}?transport=udp`, `turn:${at}?transport=tcp`];
}

/**
 * The TURN settings, or null with EARSHOT_TURN=off. `defaultListen` is where coturn listens when
 * EARSHOT_TURN_LISTEN is not set (the first media address). Throws naming the variable.
 */
export function turnFrom(env: Record<string, string | undefined>, defaultListen: string): TurnConfig | null {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    fail(String(issue?.path[0] ?? 'EARSHOT_TURN'), issue?.message ?? 'invalid');
  }
  const e = parsed.data;
  if (e.EARSHOT_TURN === 'off') return null;
  const stunUrls = checkUrls(
    'EARSHOT_STUN_URLS',
    list(e.EARSHOT_STUN_URLS),
    STUN_URL,
    'stun:stun.example.com:3478',
  );
  const siteUrls = checkUrls(
    'EARSHOT_TURN_URLS',
    list(e.EARSHOT_TURN_URLS),
    TURN_URL,
    'turn:turn.example.com:3478?transport=udp',
  );
  const ttlSeconds = e.EARSHOT_TURN_TTL_MINUTES * 60;
  if (siteUrls.length > 0) {
    if (!e.EARSHOT_TURN_SECRET)
      fail(
        'EARSHOT_TURN_SECRET',
        "is needed with EARSHOT_TURN_URLS: the TURN servers' shared REST-API secret.",
      );
    return { local: null, urls: siteUrls, stunUrls, secret: e.EARSHOT_TURN_SECRET, ttlSeconds };
  }
  const local = localTurn(e, defaultListen);
  return { local, urls: localTurnUrls(local), stunUrls, secret: e.EARSHOT_TURN_SECRET ?? null, ttlSeconds };
}
