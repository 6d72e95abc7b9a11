// Who may use the admin API: administrators with a session (POST /api/v1/admin/sessions) and API
// keys. Agents' session tokens never reach it.
import type { FastifyRequest } from 'fastify';
import { findApiKeyByHash, isApiKey, touchApiKey } from '../admins/api-keys.ts';
import { findAdminById } from '../admins/repository.ts';
import { bearerTokenHash, liveSession, openSubjectSession } from './auth.ts';
import type { ApiContext } from './context.ts';
import { HttpError } from './errors.ts';

/** `admin` may do everything, `viewer` may only read. */
export type AdminRole = 'admin' | 'viewer';

/** Who is calling the admin API: an administrator's session or an API key. */
export interface AdminPrincipal {
  /** The admin's id, or the API key's id. */
  id: string;
  /** The admin's username, or the API key's name. */
  username: string;
  role: AdminRole;
  via: 'session' | 'api-key';
}

const EXPIRED = 'Your admin session has expired. Log in again.';

function authorization(request: FastifyRequest): string {
  return /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
}

async function fromApiKey(ctx: ApiContext, tokenHash: string): Promise<AdminPrincipal> {
  const key = await findApiKeyByHash(ctx.db, tokenHash);
  if (!key) throw new HttpError(401, 'unauthenticated', 'This API key is not valid.');
  if (key.revoked_at) throw new HttpError(401, 'unauthenticated', 'This API key has been revoked.');
  await touchApiKey(ctx.db, key, ctx.now());
  return { id: key.id, username: key.name, role: key.role, via: 'api-key' };
}

async function fromSession(ctx: ApiContext, tokenHash: string): Promise<AdminPrincipal> {
  const session = await liveSession(ctx, tokenHash);
  if (!session) throw new HttpError(401, 'unauthenticated', EXPIRED);
  if (session.subject_type !== 'admin')
    throw new HttpError(403, 'forbidden', 'Agent accounts cannot use the administration API.');
  const admin = await findAdminById(ctx.db, session.subject);
  if (!admin) throw new HttpError(401, 'unauthenticated', EXPIRED);
  return { id: admin.id, username: admin.username, role: admin.role, via: 'session' };
}

/**
 * Resolves the bearer token (admin session or API key) to a principal. 401 when it is missing,
 * unknown, expired or revoked; 403 for agents' tokens and, with `need: 'admin'`, for viewers.
 */
export async function requireAdmin(
  ctx: ApiContext,
  request: FastifyRequest,
  need: AdminRole,
): Promise<AdminPrincipal> {
  const tokenHash = bearerTokenHash(request);
  const principal = isApiKey(authorization(request))
    ? await fromApiKey(ctx, tokenHash)
    : await fromSession(ctx, tokenHash);
  if (need === 'admin' && principal.role !== 'admin')
    throw new HttpError(403, 'forbidden', `Your role (${principal.role}) can only read.`);
  return principal;
}

/** Audit actor string, e.g. "admin:alice" or "api-key:hr-sync". */
export function actorOf(p: AdminPrincipal): string {
  return p.via === 'api-key' ? `api-key:${p.username}` : `admin:${p.username}`;
}

/** Opens an admin session: a 256-bit token, stored only as its SHA-256 (sessions.subject_type 'admin'). */
export function openAdminSession(
  ctx: ApiContext,
  adminId: string,
  ip: string,
): Promise<{ token: string; expiresAt: string }> {
  return openSubjectSession(ctx, { subject_type: 'admin', subject: adminId }, ip);
}
