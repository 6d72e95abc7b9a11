// The SIP trunk and the dial plan's default country, from the environment. A trunk is set up once
// per deployment and Kamailio's routing is rendered from it at start (like its ports and
// certificate), so it lives with the other Kamailio settings rather than in the database: a change
// through an API would need every Kamailio node re-rendered and restarted, which drops every
// registration. What changes with staffing (DIDs, caller IDs) is per extension, in the database.
import { isIP, isIPv4 } from 'node:net';
import { checkCidrList } from '../extensions/cidr.ts';
import type { SecretBox } from '../security/secret-box.ts';
import { DIAL_COUNTRIES, isDialCountry, internationalNumber, type DialCountry } from './dial-plan.ts';

export const TRUNK_TRANSPORTS = ['udp', 'tcp', 'tls'] as const;
export type TrunkTransport = (typeof TRUNK_TRANSPORTS)[number];

/** The trunk as configured; the digest password stays sealed (SecretBox) until Kamailio starts. */
export interface TrunkConfig {
  /** DNS name or IP address of the carrier's SIP server (calls out go there). */
  host: string;
  port: number;
  transport: TrunkTransport;
  /** Digest credentials the carrier challenges for, or null when it trusts our address. */
  username: string | null;
  sealedPassword: string | null;
  /** CIDR ranges the carrier sends calls from; only requests from these are taken as the trunk's. */
  allowedIps: string[];
  /** E.164 caller ID for extensions without one of their own (and without a DID), or null. */
  defaultCallerId: string | null;
}

/** The environment variables read here. */
export interface TrunkEnv {
  EARSHOT_TRUNK_HOST?: string | undefined;
  EARSHOT_TRUNK_PORT?: string | undefined;
  EARSHOT_TRUNK_TRANSPORT?: string | undefined;
  EARSHOT_TRUNK_USERNAME?: string | undefined;
  EARSHOT_TRUNK_PASSWORD?: string | undefined;
  EARSHOT_TRUNK_ALLOWED_IPS?: string | undefined;
  EARSHOT_TRUNK_CALLER_ID?: string | undefined;
  EARSHOT_DIAL_COUNTRY?: string | undefined;
}

/** A sealed secret as SecretBox.seal writes it. */
const SEALED = /^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
/** Digest usernames carriers hand out: letters, digits and . _ - + @ (the config carries them quoted). */
const USERNAME = /^[A-Za-z0-9._+@-]{1,64}$/;

const given = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
};

function fail(variable: keyof TrunkEnv, message: string): never {
  throw new Error(`${variable}: ${message}`);
}

/** The default country of the dial plan, or null (only international formats are dialed then). */
export function dialCountryFrom(env: TrunkEnv): DialCountry | null {
  const code = given(env.EARSHOT_DIAL_COUNTRY)?.toUpperCase();
  if (code === undefined) return null;
  if (!isDialCountry(code))
    fail(
      'EARSHOT_DIAL_COUNTRY',
      `"${code}" is not supported; use one of ${Object.keys(DIAL_COUNTRIES).join(', ')}.`,
    );
  return code;
}

function hostFrom(text: string): string {
  if (isIP(text) || HOSTNAME.test(text)) return text;
  return fail('EARSHOT_TRUNK_HOST', `"${text}" is not a host name or IP address.`);
}

function portFrom(text: string | undefined, transport: TrunkTransport): number {
  if (text === undefined) return transport === 'tls' ? 5061 : 5060;
  const port = /^\d{1,5}$/.test(text) ? Number(text) : 0;
  if (port < 1 || port > 65535) fail('EARSHOT_TRUNK_PORT', `"${text}" is not a port (1 to 65535).`);
  return port;
}

function transportFrom(text: string | undefined): TrunkTransport {
  const transport = (text ?? 'udp').toLowerCase();
  if (!(TRUNK_TRANSPORTS as readonly string[]).includes(transport))
    fail('EARSHOT_TRUNK_TRANSPORT', `"${transport}" is not udp, tcp or tls.`);
  return transport as TrunkTransport;
}

/** The carrier's source addresses: the list given, else the host itself when it is an IP address. */
function allowedIpsFrom(text: string | undefined, host: string): string[] {
  if (text === undefined) {
    if (isIP(host)) return [isIPv4(host) ? `${host}/32` : `${host.toLowerCase()}/128`];
    return fail(
      'EARSHOT_TRUNK_ALLOWED_IPS',
      `the trunk host "${host}" is a name: list the IP addresses or ranges your carrier sends calls from (comma-separated).`,
    );
  }
  const checked = checkCidrList(text.split(/[\s,]+/).filter(Boolean));
  if (!checked.ok) fail('EARSHOT_TRUNK_ALLOWED_IPS', checked.message);
  if (checked.cidrs.some((cidr) => cidr.endsWith('/0')))
    fail('EARSHOT_TRUNK_ALLOWED_IPS', 'a /0 range would let anyone call in as the trunk.');
  return checked.cidrs;
}

function credentialsFrom(env: TrunkEnv): { username: string | null; sealedPassword: string | null } {
  const username = given(env.EARSHOT_TRUNK_USERNAME) ?? null;
  const sealedPassword = given(env.EARSHOT_TRUNK_PASSWORD) ?? null;
  if (username !== null && !USERNAME.test(username))
    fail('EARSHOT_TRUNK_USERNAME', 'use 1 to 64 letters, digits or . _ - + @.');
  if ((username === null) !== (sealedPassword === null))
    fail(
      username ? 'EARSHOT_TRUNK_PASSWORD' : 'EARSHOT_TRUNK_USERNAME',
      'set both the trunk username and password, or neither.',
    );
  if (sealedPassword !== null && !SEALED.test(sealedPassword))
    fail(
      'EARSHOT_TRUNK_PASSWORD',
      'give the password sealed, never in plain text: run `npm run earshot -- trunk seal-password` and put what it prints here.',
    );
  return { username, sealedPassword };
}

function callerIdFrom(text: string | undefined): string | null {
  if (text === undefined) return null;
  const number = internationalNumber(text);
  if (!number.ok) fail('EARSHOT_TRUNK_CALLER_ID', `${number.message}.`);
  return number.e164;
}

/** The trunk the environment describes, or null when EARSHOT_TRUNK_HOST is not set (no outside calls). */
export function trunkFrom(env: TrunkEnv): TrunkConfig | null {
  const hostText = given(env.EARSHOT_TRUNK_HOST);
  if (hostText === undefined) return null;
  const host = hostFrom(hostText);
  const transport = transportFrom(given(env.EARSHOT_TRUNK_TRANSPORT));
  return {
    host,
    port: portFrom(given(env.EARSHOT_TRUNK_PORT), transport),
    transport,
    ...credentialsFrom(env),
    allowedIps: allowedIpsFrom(given(env.EARSHOT_TRUNK_ALLOWED_IPS), host),
    defaultCallerId: callerIdFrom(given(env.EARSHOT_TRUNK_CALLER_ID)),
  };
}

/** What Kamailio needs of the trunk: the configuration with the password opened. */
export interface KamailioTrunk extends Omit<TrunkConfig, 'sealedPassword'> {
  password: string | null;
}

/** Opens the sealed password with the data dir's key; a password sealed under another key is a plain error. */
export function openTrunk(trunk: TrunkConfig, box: SecretBox): KamailioTrunk {
  const { sealedPassword, ...rest } = trunk;
  if (sealedPassword === null) return { ...rest, password: null };
  try {
    return { ...rest, password: box.open(sealedPassword) };
  } catch {
    return fail(
      'EARSHOT_TRUNK_PASSWORD',
      'it was sealed with another secret key (EARSHOT_SECRET_KEY or secret.key in the data dir); seal it again on this machine.',
    );
  }
}
