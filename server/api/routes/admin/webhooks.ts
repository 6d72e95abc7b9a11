// Admin API: webhooks that receive alerts (server/alerts), their deliveries, and a test ping.
import { randomUUID } from 'node:crypto';
import { deliveryRow } from '../../../alerts/dispatcher.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { writeAudit, type AuditEntry } from '../../../audit.ts';
import type { Webhook, WebhookDelivery } from '../../../db/schema.ts';
import {
  createWebhook,
  deleteWebhook,
  findWebhook,
  listDeliveries,
  listWebhooks,
  newWebhookSecret,
  toWebhookView,
  updateWebhook,
} from '../../../alerts/webhooks.ts';
import { actorOf, requireAdmin, type AdminPrincipal } from '../../admin-auth.ts';
import type { ApiContext } from '../../context.ts';
import { HttpError } from '../../errors.ts';
import type { RouteDoc } from '../../route-doc.ts';
import { ErrorResponse } from '../../schemas.ts';
import { parseWith } from '../../validation.ts';
import { ADMIN_BASE } from './extension-view.ts';
import {
  DeliveryList,
  WebhookBody,
  WebhookCreated,
  WebhookList,
  WebhookItem,
  WebhookPatch,
} from './webhook-schemas.ts';

const BASE = `${ADMIN_BASE}/webhooks`;
const auth = { 401: ErrorResponse, 403: ErrorResponse };
const notFound = { 404: ErrorResponse };

export const webhookDocs: RouteDoc[] = [
  {
    method: 'GET',
    url: BASE,
    summary: 'Every webhook (viewers see only the origin of each address).',
    auth: true,
    responses: { 200: WebhookList, ...auth },
  },
  {
    method: 'POST',
    url: BASE,
    summary:
      'Add a webhook for some alert events; its signing secret (given, or generated) is returned this once.',
    auth: true,
    body: WebhookBody,
    responses: { 201: WebhookCreated, 400: ErrorResponse, ...auth },
  },
  {
    method: 'PATCH',
    url: `${BASE}/{id}`,
    summary: 'Change the address, the events, or pause it (enabled false).',
    auth: true,
    body: WebhookPatch,
    responses: { 200: WebhookItem, 400: ErrorResponse, ...auth, ...notFound },
  },
  {
    method: 'DELETE',
    url: `${BASE}/{id}`,
    summary: 'Remove the webhook and its delivery log.',
    auth: true,
    responses: { 204: null, ...auth, ...notFound },
  },
  {
    method: 'POST',
    url: `${BASE}/{id}/test`,
    summary: 'Queue a signed `ping` delivery to check the receiver.',
    auth: true,
    responses: { 202: null, ...auth, ...notFound },
  },
  {
    method: 'GET',
    url: `${BASE}/{id}/deliveries`,
    summary: 'The latest 100 deliveries, newest first: status, attempts, last result.',
    auth: true,
    responses: { 200: DeliveryList, ...auth, ...notFound },
  },
];

/** An address's origin only (`https://hooks.example.com`): paths and queries often hold tokens. */
const originOf = (url: string): string => new URL(url).origin;

const view = (w: Webhook, principal: AdminPrincipal) => {
  const v = toWebhookView(w);
  return principal.role === 'admin' ? v : { ...v, url: `${originOf(w.url)}/…` };
};

const deliveryView = (d: WebhookDelivery) => ({
  id: d.id,
  event: d.event,
  status: d.status,
  attempts: d.attempts,
  lastResult: d.last_result,
  createdAt: d.created_at,
  deliveredAt: d.delivered_at,
  nextAttemptAt: d.status === 'pending' ? d.next_attempt_at : null,
});

async function found(ctx: ApiContext, request: FastifyRequest): Promise<Webhook> {
  const webhook = await findWebhook(ctx.db, (request.params as { id?: string }).id ?? '');
  if (!webhook) throw new HttpError(404, 'not-found', 'There is no such webhook.');
  return webhook;
}

/** Audited with the address's origin only (never a token in its path, never the secret). */
async function audit(
  ctx: ApiContext,
  request: FastifyRequest,
  admin: AdminPrincipal,
  action: string,
  w: Webhook,
  details: AuditEntry['details'] = {},
) {
  await writeAudit(
    ctx.db,
    {
      actor: actorOf(admin),
      action,
      target: w.id,
      ip: request.ip,
      details: { origin: originOf(w.url), events: w.events, ...details },
    },
    ctx.now(),
  );
}

async function create(ctx: ApiContext, request: FastifyRequest) {
  const admin = await requireAdmin(ctx, request, 'admin');
  const body = parseWith(WebhookBody, request.body);
  const secret = body.secret ?? newWebhookSecret();
  const webhook = await createWebhook(
    ctx.db,
    ctx.credentials.box,
    { url: body.url, events: body.events, secret, createdBy: actorOf(admin) },
    ctx.now(),
  );
  await audit(ctx, request, admin, 'webhook.create', webhook);
  return { ...toWebhookView(webhook), secret };
}

async function patch(ctx: ApiContext, request: FastifyRequest) {
  const admin = await requireAdmin(ctx, request, 'admin');
  const changes = parseWith(WebhookPatch, request.body ?? {});
  const before = await found(ctx, request);
  const webhook = (await updateWebhook(ctx.db, before.id, changes)) ?? before;
  await audit(ctx, request, admin, 'webhook.update', webhook, { enabled: webhook.enabled === 1 });
  return toWebhookView(webhook);
}

async function remove(ctx: ApiContext, request: FastifyRequest) {
  const admin = await requireAdmin(ctx, request, 'admin');
  const webhook = await found(ctx, request);
  await deleteWebhook(ctx.db, webhook.id);
  await audit(ctx, request, admin, 'webhook.delete', webhook);
}

/** A `ping` to this webhook alone, sent by the next delivery round. */
async function ping(ctx: ApiContext, request: FastifyRequest) {
  const admin = await requireAdmin(ctx, request, 'admin');
  const webhook = await found(ctx, request);
  const at = ctx.now().toISOString();
  const id = randomUUID();
  const body = JSON.stringify({ id, event: 'ping', target: webhook.id, at, data: { by: actorOf(admin) } });
  await ctx.db
    .insertInto('webhook_deliveries')
    .values(deliveryRow(webhook.id, id, 'ping', body, at))
    .execute();
}

/** /api/v1/admin/webhooks and its sub-routes. */
export function webhookRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get(BASE, async (request) => {
    const principal = await requireAdmin(ctx, request, 'viewer');
    return { items: (await listWebhooks(ctx.db)).map((w) => view(w, principal)) };
  });
  app.post(BASE, async (request, reply) =>
    reply
      .status(201)
      .header('cache-control', 'no-store')
      .send(await create(ctx, request)),
  );
  app.patch(`${BASE}/:id`, (request) => patch(ctx, request));
  app.delete(`${BASE}/:id`, async (request, reply) => {
    await remove(ctx, request);
    return reply.status(204).send();
  });
  app.post(`${BASE}/:id/test`, async (request, reply) => {
    await ping(ctx, request);
    return reply.status(202).send();
  });
  app.get(`${BASE}/:id/deliveries`, async (request) => {
    await requireAdmin(ctx, request, 'viewer');
    const webhook = await found(ctx, request);
    return { items: (await listDeliveries(ctx.db, webhook.id)).map(deliveryView) };
  });
}
