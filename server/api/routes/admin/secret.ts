// Admin API: an extension's SIP secret — reveal (admin role, audited), regenerate, set a chosen
// one (the self-service policy). A new secret kicks the devices and ends the agent's sessions.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { writeAudit } from '../../../audit.ts';
import { revokeAgentSessions } from '../../../extensions/admin-update.ts';
import { findExtension, setExtensionPassword } from '../../../extensions/repository.ts';
import type { Extension } from '../../../db/schema.ts';
import { generatePassword } from '../../../security/password-generator.ts';
import { checkPassword, PasswordRule } from '../../../security/password-policy.ts';
import { actorOf, requireAdmin, type AdminPrincipal } from '../../admin-auth.ts';
import type { ApiContext } from '../../context.ts';
import type { RouteDoc } from '../../route-doc.ts';
import { ErrorResponse } from '../../schemas.ts';
import { parseWith } from '../../validation.ts';
import type { KickReport } from '../../../kamailio/kick-queue.ts';
import { ADMIN_BASE, etagOf, kickDevices, notFound, numberParam, passwordRefused } from './extension-view.ts';
import { RegeneratedSecret, SecretBody, SecretResponse } from './schemas.ts';

const SECRET = `${ADMIN_BASE}/extensions/{number}/secret`;
const auth = { 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

export const secretDocs: RouteDoc[] = [
  {
    method: 'POST',
    url: `${SECRET}/reveal`,
    summary: "The extension's SIP password (admin role only; every reveal is audited).",
    auth: true,
    responses: { 200: SecretResponse, ...auth },
  },
  {
    method: 'POST',
    url: `${SECRET}/regenerate`,
    summary:
      'A new high-entropy SIP password, returned this once (the ETag header is the new revision); devices are kicked and must be updated (`kick.delivered` is false when a Kamailio node did not answer; the kick is retried until it does).',
    auth: true,
    responses: { 200: RegeneratedSecret, ...auth },
  },
  {
    method: 'PUT',
    url: SECRET,
    summary:
      'Set a chosen SIP password (same policy as self-service); devices are kicked. The ETag header is the new revision.',
    auth: true,
    body: SecretBody,
    responses: { 204: null, 400: ErrorResponse, ...auth },
  },
];

async function target(ctx: ApiContext, request: FastifyRequest): Promise<Extension> {
  const number = numberParam(request);
  const extension = await findExtension(ctx.db, number);
  if (!extension) throw notFound(number);
  return extension;
}

const audit = (
  ctx: ApiContext,
  request: FastifyRequest,
  admin: AdminPrincipal,
  action: string,
  number: string,
  details = {},
) =>
  writeAudit(ctx.db, { actor: actorOf(admin), action, target: number, ip: request.ip, details }, ctx.now());

/**
 * Stores the new password, ends the agent's sessions and kicks its devices (like a self-service
 * change). Returns the row's new ETag (a new secret is a new revision), for the next If-Match,
 * and how the kick went.
 */
async function replaceSecret(
  ctx: ApiContext,
  request: FastifyRequest,
  admin: AdminPrincipal,
  number: string,
  password: string,
  action: string,
): Promise<{ etag: string; kick: KickReport }> {
  await setExtensionPassword(ctx.db, ctx.credentials, number, password, ctx.now());
  const updated = await findExtension(ctx.db, number);
  const sessionsRevoked = await revokeAgentSessions(ctx.db, number);
  const kick = await kickDevices(ctx, number);
  await audit(ctx, request, admin, action, number, { sessionsRevoked, kicked: kick.delivered });
  if (!updated) throw notFound(number);
  return { etag: etagOf(updated), kick };
}

async function reveal(ctx: ApiContext, request: FastifyRequest, reply: FastifyReply) {
  const admin = await requireAdmin(ctx, request, 'admin');
  const extension = await target(ctx, request);
  await audit(ctx, request, admin, 'extension.secret.reveal', extension.number);
  return reply
    .header('cache-control', 'no-store')
    .send({ password: ctx.credentials.box.open(extension.secret_enc) });
}

async function regenerate(ctx: ApiContext, request: FastifyRequest, reply: FastifyReply) {
  const admin = await requireAdmin(ctx, request, 'admin');
  const extension = await target(ctx, request);
  const password = generatePassword();
  const { etag, kick } = await replaceSecret(
    ctx,
    request,
    admin,
    extension.number,
    password,
    'extension.secret.regenerate',
  );
  return reply.header('cache-control', 'no-store').header('etag', etag).send({ password, kick });
}

/** The self-service policy: 400 naming the broken rule, including reusing the current password. */
function checkChosenSecret(ctx: ApiContext, extension: Extension, password: string): void {
  const verdict =
    password === ctx.credentials.box.open(extension.secret_enc)
      ? {
          ok: false,
          rule: PasswordRule.SameAsCurrent,
          message: 'The new password must differ from the current one.',
        }
      : checkPassword(password, extension.number);
  if (!verdict.ok) throw passwordRefused(verdict);
}

async function set(ctx: ApiContext, request: FastifyRequest, reply: FastifyReply) {
  const admin = await requireAdmin(ctx, request, 'admin');
  const extension = await target(ctx, request);
  const { password } = parseWith(SecretBody, request.body);
  checkChosenSecret(ctx, extension, password);
  const { etag } = await replaceSecret(
    ctx,
    request,
    admin,
    extension.number,
    password,
    'extension.secret.set',
  );
  return reply.status(204).header('etag', etag).send();
}

/** POST …/secret/reveal, POST …/secret/regenerate and PUT …/secret of /api/v1/admin/extensions/:number. */
export function secretRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const secret = `${ADMIN_BASE}/extensions/:number/secret`;
  app.post(`${secret}/reveal`, (request, reply) => reveal(ctx, request, reply));
  app.post(`${secret}/regenerate`, (request, reply) => regenerate(ctx, request, reply));
  app.put(secret, (request, reply) => set(ctx, request, reply));
}
