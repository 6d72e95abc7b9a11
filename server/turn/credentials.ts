// TURN REST API credentials (draft-uberti-behave-turn-rest, coturn's `use-auth-secret`): the
// username carries its expiry, the password is base64(HMAC-SHA1(secret, username)). Anyone holding
// one can relay until the expiry and no longer; nothing is stored.
import { createHmac } from 'node:crypto';
import type { SecretBox } from '../security/secret-box.ts';
import type { TurnConfig } from './turn-config.ts';

/** One entry of RTCConfiguration.iceServers as the softphone receives it. */
export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

export interface IceServers {
  iceServers: IceServer[];
  /** When the TURN credentials stop working (ISO time); null without TURN. */
  expiresAt: string | null;
}

/** The REST-API secret: the configured one, else one derived from the secret key (stable, no file). */
export function turnSecret(turn: TurnConfig, box: SecretBox): string {
  return turn.secret ?? box.derive('earshot turn rest-api secret');
}

/** The password for `username` under `secret`. */
export function turnPassword(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

/** Credentials for `user` valid for `ttlSeconds` from `now`: username `<unix expiry>:<user>`. */
export function mintTurnCredentials(
  secret: string,
  user: string,
  ttlSeconds: number,
  now: Date,
): { username: string; credential: string; expiresAt: Date } {
  const expiry = Math.floor(now.getTime() / 1000) + ttlSeconds;
  const username = `${String(expiry)}:${user}`;
  return { username, credential: turnPassword(secret, username), expiresAt: new Date(expiry * 1000) };
}

/** What an agent's browser gets: STUN servers, and the TURN servers with fresh credentials. */
export function iceServersFor(turn: TurnConfig | null, box: SecretBox, user: string, now: Date): IceServers {
  if (!turn) return { iceServers: [], expiresAt: null };
  const stun: IceServer[] = turn.stunUrls.length ? [{ urls: turn.stunUrls }] : [];
  const minted = mintTurnCredentials(turnSecret(turn, box), user, turn.ttlSeconds, now);
  const { username, credential, expiresAt } = minted;
  return {
    iceServers: [...stun, { urls: turn.urls, username, credential }],
    expiresAt: expiresAt.toISOString(),
  };
}
