import { createHash, randomBytes } from 'node:crypto';

/** A fresh bearer token: 256 random bits, base64url. Only its hash is stored. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 of a token, the form sessions are stored and looked up in. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
