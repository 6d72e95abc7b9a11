import type { FastifyInstance } from 'fastify';
import { writeAudit } from '../../audit.ts';
import { findExtension } from '../../extensions/repository.ts';
import { bearerTokenHash, DISABLED_MESSAGE, openSession, passwordMatches } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import type { RouteDoc } from '../route-doc.ts';
import { ErrorResponse, LoginBody, SessionResponse } from '../schemas.ts';
import { parseWith } from '../validation.ts';

export const sessionDocs: RouteDoc[] = [
  {
    method: 'POST',
    url: '/api/v1/sessions',
    summary: 'Log in with extension number and SIP password; returns a bearer token.',
    auth: false,
    body: LoginBody,
    responses: {
      201: SessionResponse,
      400: ErrorResponse,
      401: ErrorResponse,
      403: ErrorResponse,
      429: ErrorResponse,
    },
  },
  {
    method: 'DELETE',
    url: '/api/v1/sessions/current',
    summary: 'Log out: the token stops working.',
    auth: true,
    responses: { 204: null, 401: ErrorResponse },
  },
];

const WRONG_CREDENTIALS = 'The extension number or password is not correct.';

async function login(ctx: ApiContext, body: unknown, ip: string) {
  const { extension: number, password } = parseWith(LoginBody, body);
  // Counted before the password is checked: parallel guesses cannot overtake the count.
  const attempt = await ctx.throttle.reserve({ kind: 'extension', target: number }, ip);
  const extension = await findExtension(ctx.db, number);
  // Unknown extension and wrong password look the same from outside.
  if (!extension || !passwordMatches(ctx, extension, password)) {
    await attempt.failed();
    await writeAudit(
      ctx.db,
      { actor: `ext:${number}`, action: 'login.failed', target: number, ip },
      ctx.now(),
    );
    throw new HttpError(401, 'wrong-credentials', WRONG_CREDENTIALS);
  }
  await attempt.succeeded();
  if (!extension.enabled) throw new HttpError(403, 'extension-disabled', DISABLED_MESSAGE);
  const session = await openSession(ctx, number, ip);
  await writeAudit(ctx.db, { actor: `ext:${number}`, action: 'login', target: number, ip }, ctx.now());
  return { ...session, extension: number };
}

/** POST /api/v1/sessions and DELETE /api/v1/sessions/current. */
export function sessionRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post('/api/v1/sessions', async (request, reply) => {
    const session = await login(ctx, request.body, request.ip);
    return reply.status(201).send(session);
  });

  app.delete('/api/v1/sessions/current', async (request, reply) => {
    // Works for any live token, even of a disabled extension: logging out is always allowed.
    const result = await ctx.db
      .deleteFrom('sessions')
      .where('token_hash', '=', bearerTokenHash(request))
      .executeTakeFirst();
    if (result.numDeletedRows === 0n)
      throw new HttpError(401, 'unauthenticated', 'This session has already ended.');
    return reply.status(204).send();
  });
}
