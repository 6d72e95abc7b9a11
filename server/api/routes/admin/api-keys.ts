// Admin API: API keys for automation, created and revoked by admins; the key is shown once.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createApiKey, listApiKeys, revokeApiKey } from '../../../admins/api-keys.ts';
import { writeAudit } from '../../../audit.ts';
import type { ApiKey } from '../../../db/schema.ts';
import { actorOf, requireAdmin } from '../../admin-auth.ts';
import type { ApiContext } from '../../context.ts';
import { HttpError } from '../../errors.ts';
import type { RouteDoc } from '../../route-doc.ts';
import { ErrorResponse } from '../../schemas.ts';
import { parseWith } from '../../validation.ts';
import { ADMIN_BASE } from './extension-view.ts';
import { ApiKeyBody, ApiKeyCreated, ApiKeyList } from './schemas.ts';

const auth = { 401: ErrorResponse, 403: ErrorResponse };

export const apiKeyDocs: RouteDoc[] = [
  {
    method: 'GET',
    url: `${ADMIN_BASE}/api-keys`,
    summary: 'Every API key (never the key itself), revoked ones included.',
    auth: true,
    responses: { 200: ApiKeyList, ...auth },
  },
  {
    method: 'POST',
    url: `${ADMIN_BASE}/api-keys`,
    summary: 'Create an API key with a role; the key (esk_…) is returned this once and stored as SHA-256.',
    auth: true,
    body: ApiKeyBody,
    responses: { 201: ApiKeyCreated, 400: ErrorResponse, ...auth },
  },
  {
    method: 'DELETE',
    url: `${ADMIN_BASE}/api-keys/{id}`,
    summary: 'Revoke an API key: it stops working at once.',
    auth: true,
    responses: { 204: null, ...auth, 404: ErrorResponse },
  },
];

const item = (key: ApiKey) => ({
  id: key.id,
  name: key.name,
  role: key.role,
  createdAt: key.created_at,
  createdBy: key.created_by,
  lastUsedAt: key.last_used_at,
  revokedAt: key.revoked_at,
});

async function create(ctx: ApiContext, request: FastifyRequest) {
  const admin = await requireAdmin(ctx, request, 'admin');
  const { name, role } = parseWith(ApiKeyBody, request.body);
  const { id, key } = await createApiKey(ctx.db, { name, role, createdBy: actorOf(admin) }, ctx.now());
  await writeAudit(
    ctx.db,
    { actor: actorOf(admin), action: 'api-key.create', target: id, ip: request.ip, details: { name, role } },
    ctx.now(),
  );
  return { id, name, role, key };
}

async function revoke(ctx: ApiContext, request: FastifyRequest): Promise<void> {
  const admin = await requireAdmin(ctx, request, 'admin');
  const id = (request.params as { id?: string }).id ?? '';
  const key = await revokeApiKey(ctx.db, id, ctx.now());
  if (!key) throw new HttpError(404, 'not-found', 'There is no such API key.');
  await writeAudit(
    ctx.db,
    {
      actor: actorOf(admin),
      action: 'api-key.revoke',
      target: id,
      ip: request.ip,
      details: { name: key.name },
    },
    ctx.now(),
  );
}

/** GET/POST /api/v1/admin/api-keys and DELETE /api/v1/admin/api-keys/:id. */
export function apiKeyRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get(`${ADMIN_BASE}/api-keys`, async (request) => {
    await requireAdmin(ctx, request, 'viewer');
    return { items: (await listApiKeys(ctx.db)).map(item) };
  });
  app.post(`${ADMIN_BASE}/api-keys`, async (request, reply) =>
    reply
      .status(201)
      .header('cache-control', 'no-store')
      .send(await create(ctx, request)),
  );
  app.delete(`${ADMIN_BASE}/api-keys/:id`, async (request, reply) => {
    await revoke(ctx, request);
    return reply.status(204).send();
  });
}
