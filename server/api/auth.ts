import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Extension, Session } from '../db/schema.ts';
import { findExtension } from '../extensions/repository.ts';
import { sipHashes } from '../security/digest.ts';
import { hashToken, newToken } from '../security/tokens.ts';
import type { ApiContext } from './context.ts';
import { HttpError } from './errors.ts';

/** The agent a bearer token belongs to. */
export interface AgentSession {
  extension: Extension;
  tokenHash: string;
}

export const DISABLED_MESSAGE = 'This extension has been disabled by your administrator.';

/** Compares the HA1 of `password` with the stored one in constant time. */
export function passwordMatches(ctx: ApiContext, extension: Extension, password: string): boolean {
  const computed = Buffer.from(sipHashes(extension.number, ctx.credentials.realm, password).ha1, 'hex');
  const stored = Buffer.from(extension.ha1, 'hex');
  return computed.length === stored.length && timingSafeEqual(computed, stored);
}

/** Who a session belongs to: an agent (extension number) or an administrator (admin id). */
export type SessionSubject = Pick<Session, 'subject_type' | 'subject'>;

/** The sessions row of a new token, valid for `ttlMs`: only the token's SHA-256 is stored. */
export function newSessionRow(
  token: string,
  who: SessionSubject,
  ip: string,
  now: Date,
  ttlMs: number,
): Session {
  return {
    token_hash: hashToken(token),
    ...who,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + ttlMs).toISOString(),
    ip,
  };
}

/** Opens a session: a 256-bit token, stored only as its SHA-256. */
export async function openSubjectSession(
  ctx: ApiContext,
  who: SessionSubject,
  ip: string,
): Promise<{ token: string; expiresAt: string }> {
  const token = newToken();
  const row = newSessionRow(token, who, ip, ctx.now(), ctx.config.sessionTtlMs);
  await ctx.db.insertInto('sessions').values(row).execute();
  return { token, expiresAt: row.expires_at };
}

/** Opens a session for an agent. */
export function openSession(
  ctx: ApiContext,
  number: string,
  ip: string,
): Promise<{ token: string; expiresAt: string }> {
  return openSubjectSession(ctx, { subject_type: 'agent', subject: number }, ip);
}

/** The unexpired session of a token hash, or undefined. */
export async function liveSession(ctx: ApiContext, tokenHash: string): Promise<Session | undefined> {
  const session = await ctx.db
    .selectFrom('sessions')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return session && Date.parse(session.expires_at) > ctx.now().getTime() ? session : undefined;
}

function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  const match = header ? /^Bearer ([A-Za-z0-9_-]{16,256})$/.exec(header) : null;
  if (!match?.[1]) {
    throw new HttpError(
      401,
      'unauthenticated',
      'Log in first: send the session token as "Authorization: Bearer <token>".',
    );
  }
  return match[1];
}

/** SHA-256 of the request's bearer token (401 when the header is missing or malformed). */
export function bearerTokenHash(request: FastifyRequest): string {
  return hashToken(bearerToken(request));
}

/** Resolves the request's bearer token to an agent with an enabled extension, or throws 401/403. */
export async function requireAgent(ctx: ApiContext, request: FastifyRequest): Promise<AgentSession> {
  const tokenHash = bearerTokenHash(request);
  const session = await liveSession(ctx, tokenHash);
  if (session?.subject_type !== 'agent') {
    throw new HttpError(401, 'unauthenticated', 'Your session has expired. Log in again.');
  }
  const extension = await findExtension(ctx.db, session.subject);
  if (!extension) throw new HttpError(401, 'unauthenticated', 'Your session has expired. Log in again.');
  if (!extension.enabled) throw new HttpError(403, 'extension-disabled', DISABLED_MESSAGE);
  return { extension, tokenHash };
}
