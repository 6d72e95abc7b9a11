// Admin API: edit (PATCH with If-Match), enable, disable and delete extensions. Disabling and
// deleting take effect in Kamailio at once: registrations are kicked and agent sessions end.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { writeAudit } from '../../../audit.ts';
import {
  deleteExtensionIf,
  updateExtensionIf,
  type ChangeOutcome,
  type ExtensionChanges,
} from '../../../extensions/admin-update.ts';
import {
  applyEnabled,
  auditedDisconnect,
  disconnectAfterChange,
  shutOut,
  type Disconnect,
  type KickDevices,
} from '../../../extensions/status.ts';
import type { Extension } from '../../../db/schema.ts';
import { isUniqueViolation } from '../../../extensions/batch.ts';
import { actorOf, requireAdmin, type AdminPrincipal } from '../../admin-auth.ts';
import type { ApiContext } from '../../context.ts';
import { HttpError } from '../../errors.ts';
import type { RouteDoc } from '../../route-doc.ts';
import { ErrorResponse } from '../../schemas.ts';
import { parseWith } from '../../validation.ts';
import {
  ADMIN_BASE,
  checkDidFree,
  checkedSettings,
  conflict,
  etagOf,
  ifMatchRevision,
  kickDevices,
  liveRegistrations,
  notFound,
  numberParam,
  toAdminExtension,
} from './extension-view.ts';
import { ChangedExtension, ConflictResponse, PatchBody } from './schemas.ts';

const ONE = `${ADMIN_BASE}/extensions/{number}`;
const auth = { 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };
const IF_MATCH = {
  'If-Match': { required: true, description: 'The ETag of the extension as you last read it.' },
};

export const extensionChangeDocs: RouteDoc[] = [
  {
    method: 'PATCH',
    url: ONE,
    summary:
      'Change any of name, enabled, manualDialing, callRecording, callLimit, allowedIps, forwarding, dnd, did, callerId (only the fields sent are written; did and callerId are phone numbers in international format, stored as E.164, null to clear; a DID ringing another extension is 409 did-taken). Needs If-Match (428 without, 412 with the current row when someone else changed it). Disabling kicks the registrations at once; `kick` says whether every Kamailio node could be reached (it is retried when not).',
    auth: true,
    body: PatchBody,
    headers: IF_MATCH,
    responses: {
      200: ChangedExtension,
      400: ErrorResponse,
      ...auth,
      409: ErrorResponse,
      412: ConflictResponse,
      428: ErrorResponse,
    },
  },
  {
    method: 'POST',
    url: `${ONE}/enable`,
    summary:
      'Enable the extension (no If-Match needed: it applies whatever else is changing the extension; for automation).',
    auth: true,
    responses: { 200: ChangedExtension, ...auth },
  },
  {
    method: 'POST',
    url: `${ONE}/disable`,
    summary:
      'Disable the extension (no If-Match needed: a disable always applies, and edits read before it get 412): Kamailio refuses it at once, its devices are kicked and its agents logged out, even when it was disabled already. `kick.delivered` is false when a Kamailio node did not answer; the kick is then retried until it does.',
    auth: true,
    responses: { 200: ChangedExtension, ...auth },
  },
  {
    method: 'DELETE',
    url: ONE,
    summary:
      'Delete the extension (If-Match optional); its registrations are kicked and its agent sessions end.',
    auth: true,
    headers: { 'If-Match': { required: false, description: 'When given, delete only if unchanged since.' } },
    responses: { 204: null, ...auth, 412: ConflictResponse },
  },
];

/** The changed fields (never a secret) for the audit log. */
function changedFields(changes: ExtensionChanges): Record<string, string | number | boolean | null> {
  const details: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(changes))
    if (value !== undefined)
      details[key] = Array.isArray(value) ? value.join(' ') : (value as string | number | boolean | null);
  return details;
}

async function settle(
  ctx: ApiContext,
  number: string,
  outcome: ChangeOutcome,
): Promise<{ before: Extension; extension: Extension }> {
  if (outcome.status === 'missing') throw notFound(number);
  if (outcome.status === 'conflict') throw conflict(outcome.current, await liveRegistrations(ctx, number));
  return outcome;
}

const kickOf =
  (ctx: ApiContext): KickDevices =>
  (target) =>
    kickDevices(ctx, target);

async function audit(
  ctx: ApiContext,
  request: FastifyRequest,
  admin: AdminPrincipal,
  action: string,
  extension: Extension,
  details: Record<string, string | number | boolean | null>,
): Promise<void> {
  await writeAudit(
    ctx.db,
    {
      actor: actorOf(admin),
      action,
      target: extension.number,
      ip: request.ip,
      details: { ...details, revision: extension.revision },
    },
    ctx.now(),
  );
}

/** The changed row with its ETag, its live registration and, when devices were kicked, how that went. */
async function send(ctx: ApiContext, reply: FastifyReply, extension: Extension, disconnect: Disconnect) {
  const body = toAdminExtension(extension, await liveRegistrations(ctx, extension.number));
  return reply
    .header('etag', etagOf(extension))
    .send(disconnect.kick ? { ...body, kick: disconnect.kick } : body);
}

async function patch(ctx: ApiContext, request: FastifyRequest, reply: FastifyReply) {
  const admin = await requireAdmin(ctx, request, 'admin');
  const number = numberParam(request);
  const revision = ifMatchRevision(request);
  if (revision === null)
    throw new HttpError(
      428,
      'precondition-required',
      'Send the If-Match header with the ETag you read, so nobody else’s change is overwritten.',
    );
  const changes: ExtensionChanges = checkedSettings(parseWith(PatchBody, request.body ?? {}), number);
  const outcome = await updateExtensionIf(ctx.db, number, changes, revision, ctx.now()).catch(
    async (error: unknown) => {
      // The DID is the only unique column a PATCH writes: it rings another extension.
      if (!isUniqueViolation(error)) throw error;
      await checkDidFree(ctx, changes.did, number);
      throw error;
    },
  );
  const { before, extension } = await settle(ctx, number, outcome);
  const disconnect = await disconnectAfterChange(ctx.db, kickOf(ctx), before, extension);
  await audit(ctx, request, admin, 'extension.update', extension, {
    ...changedFields(changes),
    ...auditedDisconnect(disconnect),
  });
  return send(ctx, reply, extension, disconnect);
}

/** Enable/disable: one unconditional write, so nothing racing it makes it fail or undoes it. */
async function setEnabled(ctx: ApiContext, request: FastifyRequest, reply: FastifyReply, enabled: boolean) {
  const admin = await requireAdmin(ctx, request, 'admin');
  const number = numberParam(request);
  const result = await applyEnabled(ctx.db, kickOf(ctx), number, enabled, ctx.now());
  if (!result) throw notFound(number);
  const action = enabled ? 'extension.enable' : 'extension.disable';
  await audit(ctx, request, admin, action, result.extension, {
    enabled,
    ...(enabled ? {} : auditedDisconnect(result.disconnect)),
  });
  return send(ctx, reply, result.extension, result.disconnect);
}

async function remove(ctx: ApiContext, request: FastifyRequest, reply: FastifyReply) {
  const admin = await requireAdmin(ctx, request, 'admin');
  const number = numberParam(request);
  const outcome = await deleteExtensionIf(ctx.db, number, ifMatchRevision(request));
  const { before } = await settle(ctx, number, outcome);
  const disconnect = await shutOut(ctx.db, kickOf(ctx), number);
  await writeAudit(
    ctx.db,
    {
      actor: actorOf(admin),
      action: 'extension.delete',
      target: number,
      ip: request.ip,
      details: { name: before.name, ...auditedDisconnect(disconnect) },
    },
    ctx.now(),
  );
  return reply.status(204).send();
}

/** PATCH/DELETE /api/v1/admin/extensions/:number and POST …/enable, …/disable. */
export function extensionChangeRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const one = `${ADMIN_BASE}/extensions/:number`;
  app.patch(one, (request, reply) => patch(ctx, request, reply));
  app.post(`${one}/enable`, (request, reply) => setEnabled(ctx, request, reply, true));
  app.post(`${one}/disable`, (request, reply) => setEnabled(ctx, request, reply, false));
  app.delete(one, (request, reply) => remove(ctx, request, reply));
}
