// Admin API: administrators log in and out (throttled like agents' logins) and ask who they are.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { verifyAdmin } from '../../../admins/repository.ts';
import { writeAudit } from '../../../audit.ts';
import { openAdminSession, requireAdmin } from '../../admin-auth.ts';
import { bearerTokenHash } from '../../auth.ts';
import type { ApiContext } from '../../context.ts';
import { HttpError } from '../../errors.ts';
import type { LoginAttempt } from '../../throttle.ts';
import type { RouteDoc } from '../../route-doc.ts';
import { ErrorResponse } from '../../schemas.ts';
import { parseWith } from '../../validation.ts';
import { ADMIN_BASE } from './extension-view.ts';
import { AdminIdentity, AdminLoginBody, AdminSessionResponse } from './schemas.ts';

export const adminSessionDocs: RouteDoc[] = [
  {
    method: 'POST',
    url: `${ADMIN_BASE}/sessions`,
    summary: 'Administrator login with username and password; returns a bearer token (throttled).',
    auth: false,
    body: AdminLoginBody,
    responses: { 201: AdminSessionResponse, 400: ErrorResponse, 401: ErrorResponse, 429: ErrorResponse },
  },
  {
    method: 'DELETE',
    url: `${ADMIN_BASE}/sessions/current`,
    summary: 'Administrator logout: the token stops working.',
    auth: true,
    responses: { 204: null, 401: ErrorResponse },
  },
  {
    method: 'GET',
    url: `${ADMIN_BASE}/me`,
    summary: 'The administrator (or API key) behind the token, with its role.',
    auth: true,
    responses: { 200: AdminIdentity, 401: ErrorResponse, 403: ErrorResponse },
  },
];

const WRONG = 'The username or password is not correct.';

/** The login throttle's 429 also says `retryAfterSeconds`, as the admin contract names it. */
async function reserve(ctx: ApiContext, username: string, ip: string): Promise<LoginAttempt> {
  try {
    return await ctx.throttle.reserve({ kind: 'admin', target: username }, ip);
  } catch (error) {
    if (error instanceof HttpError && typeof error.extra.retryAfter === 'number')
      throw new HttpError(error.status, error.code, error.message, {
        ...error.extra,
        retryAfterSeconds: error.extra.retryAfter,
      });
    throw error;
  }
}

async function login(ctx: ApiContext, request: FastifyRequest) {
  const { username, password } = parseWith(AdminLoginBody, request.body);
  const ip = request.ip;
  // Counted before argon2 runs: parallel guesses cannot overtake the count.
  const attempt = await reserve(ctx, username, ip);
  const admin = await verifyAdmin(ctx.db, username, password);
  const audit = (action: string) =>
    writeAudit(ctx.db, { actor: `admin:${username}`, action, target: username, ip }, ctx.now());
  if (!admin) {
    await attempt.failed();
    await audit('admin.login.failed');
    throw new HttpError(401, 'invalid-credentials', WRONG);
  }
  await attempt.succeeded();
  const session = await openAdminSession(ctx, admin.id, ip);
  await audit('admin.login');
  return { ...session, admin: { username: admin.username, role: admin.role } };
}

async function logout(ctx: ApiContext, request: FastifyRequest): Promise<void> {
  const result = await ctx.db
    .deleteFrom('sessions')
    .where('token_hash', '=', bearerTokenHash(request))
    .where('subject_type', '=', 'admin')
    .executeTakeFirst();
  if (result.numDeletedRows === 0n)
    throw new HttpError(401, 'unauthenticated', 'This session has already ended.');
}

/** POST /api/v1/admin/sessions, DELETE /api/v1/admin/sessions/current, GET /api/v1/admin/me. */
export function adminSessionRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post(`${ADMIN_BASE}/sessions`, async (request, reply) =>
    reply
      .status(201)
      .header('cache-control', 'no-store')
      .send(await login(ctx, request)),
  );
  app.delete(`${ADMIN_BASE}/sessions/current`, async (request, reply) => {
    await logout(ctx, request);
    return reply.status(204).send();
  });
  app.get(`${ADMIN_BASE}/me`, async (request) => {
    const principal = await requireAdmin(ctx, request, 'viewer');
    return { username: principal.username, role: principal.role };
  });
}
