// Admin API: list, read and create extensions.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { writeAudit } from '../../../audit.ts';
import { listExtensions, type ExtensionFilter } from '../../../extensions/admin-list.ts';
import { isUniqueViolation } from '../../../extensions/batch.ts';
import { createExtension, DuplicateExtensionError, findExtension } from '../../../extensions/repository.ts';
import { phoneServer, type RegistrationDump } from '../../../kamailio/types.ts';
import { checkPassword } from '../../../security/password-policy.ts';
import { actorOf, requireAdmin } from '../../admin-auth.ts';
import type { ApiContext } from '../../context.ts';
import { HttpError } from '../../errors.ts';
import type { RouteDoc } from '../../route-doc.ts';
import { ErrorResponse } from '../../schemas.ts';
import { parseWith } from '../../validation.ts';
import {
  ADMIN_BASE,
  checkDidFree,
  checkedSettings,
  etagOf,
  liveRegistrations,
  notFound,
  numberParam,
  passwordRefused,
  registeredSince,
  toAdminExtension,
} from './extension-view.ts';
import { AdminExtension, CreateBody, CreateResponse, ListQuery, ListResponse } from './schemas.ts';

const auth = { 401: ErrorResponse, 403: ErrorResponse };

export const extensionDocs: RouteDoc[] = [
  {
    method: 'GET',
    url: `${ADMIN_BASE}/extensions`,
    summary:
      'One page of extensions with every field of the account list and the live registration (one registrar dump per request); search q matches a number prefix or a name substring. A row without a device found while a Kamailio node did not answer says registration status "unknown" (registered: null); the registered filter then answers 503, as it cannot be told.',
    auth: true,
    query: ListQuery,
    responses: { 200: ListResponse, 400: ErrorResponse, ...auth, 503: ErrorResponse },
  },
  {
    method: 'GET',
    url: `${ADMIN_BASE}/extensions/{number}`,
    summary: 'One extension; the ETag header carries its revision for If-Match.',
    auth: true,
    responses: { 200: AdminExtension, ...auth, 404: ErrorResponse },
  },
  {
    method: 'POST',
    url: `${ADMIN_BASE}/extensions`,
    summary:
      'Create an extension; without a password one is generated and returned this once. did and callerId are phone numbers in international format (+ or 00; spaces, dashes and parentheses allowed), stored as E.164; a DID already ringing another extension is 409 did-taken.',
    auth: true,
    body: CreateBody,
    responses: { 201: CreateResponse, 400: ErrorResponse, ...auth, 409: ErrorResponse },
  },
];

const bool = (text: 'true' | 'false' | undefined): boolean | undefined =>
  text === undefined ? undefined : text === 'true';

/** One registrar dump; Kamailio being unreachable makes the rows without a device unknown, and names the nodes. */
async function dumpRegistrations(ctx: ApiContext): Promise<RegistrationDump> {
  try {
    return await ctx.registrar.listAll();
  } catch {
    return { registrations: new Map(), unreachableNodes: ctx.config.kamailioNodes.map((n) => n.name) };
  }
}

/** The registered filter, or 503 when a node did not answer (its registrations cannot be told). */
function registeredFilter(dump: RegistrationDump, registered: boolean | undefined): ExtensionFilter {
  if (registered === undefined) return {};
  if (dump.unreachableNodes.length > 0)
    throw new HttpError(
      503,
      'registration-unknown',
      `${phoneServer(dump.unreachableNodes)} did not answer, so which extensions are registered cannot be told right now. Try again in a moment, or list without the registration filter.`,
    );
  return { registered: { is: registered, numbers: [...dump.registrations.keys()] } };
}

/** The time `days` before now (ISO), or undefined without a number of days. */
const daysBefore = (ctx: ApiContext, days: number | undefined): string | undefined =>
  days === undefined ? undefined : new Date(ctx.now().getTime() - days * 86_400_000).toISOString();

async function list(ctx: ApiContext, request: FastifyRequest) {
  await requireAdmin(ctx, request, 'viewer');
  const query = parseWith(ListQuery, request.query);
  const dump = await dumpRegistrations(ctx);
  const filter: ExtensionFilter = {
    q: query.q,
    enabled: bool(query.enabled),
    manualDialing: bool(query.manualDialing),
    callRecording: bool(query.callRecording),
    passwordChangedBefore: daysBefore(ctx, query.passwordAge),
    ...registeredFilter(dump, bool(query.registered)),
  };
  const { rows, total } = await listExtensions(ctx.db, {
    filter,
    sort: query.sort,
    order: query.order,
    page: query.page,
    pageSize: query.pageSize,
    registeredAt: (number) => registeredSince(dump.registrations.get(number)),
  });
  return {
    items: rows.map((row) =>
      toAdminExtension(row, {
        registrations: dump.registrations.get(row.number) ?? [],
        unreachableNodes: dump.unreachableNodes,
      }),
    ),
    total,
    page: query.page,
    pageSize: query.pageSize,
    unavailableNodes: dump.unreachableNodes,
  };
}

async function getOne(ctx: ApiContext, request: FastifyRequest, reply: FastifyReply) {
  await requireAdmin(ctx, request, 'viewer');
  const number = numberParam(request);
  const row = await findExtension(ctx.db, number);
  if (!row) throw notFound(number);
  return reply.header('etag', etagOf(row)).send(toAdminExtension(row, await liveRegistrations(ctx, number)));
}

/** The create body with its password checked and its allowed IPs normalised; 400 otherwise. */
function checkCreate(body: CreateBody): CreateBody {
  if (body.password !== undefined) {
    const verdict = checkPassword(body.password, body.number);
    if (!verdict.ok) throw passwordRefused(verdict);
  }
  return checkedSettings(body, body.number);
}

async function create(ctx: ApiContext, request: FastifyRequest, reply: FastifyReply) {
  const admin = await requireAdmin(ctx, request, 'admin');
  const body = checkCreate(parseWith(CreateBody, request.body));
  const taken = new HttpError(409, 'extension-exists', `Extension ${body.number} already exists.`);
  const created = await createExtension(ctx.db, ctx.credentials, body, ctx.now()).catch(
    async (error: unknown) => {
      if (error instanceof DuplicateExtensionError) throw taken;
      if (!isUniqueViolation(error)) throw error;
      // The unique index refused the number (taken meanwhile) or the DID: say which.
      await checkDidFree(ctx, body.did, body.number);
      throw taken;
    },
  );
  const { extension } = created;
  await writeAudit(
    ctx.db,
    {
      actor: actorOf(admin),
      action: 'extension.create',
      target: extension.number,
      ip: request.ip,
      details: {
        name: extension.name,
        enabled: extension.enabled === 1,
        passwordGenerated: body.password === undefined,
      },
    },
    ctx.now(),
  );
  return reply
    .status(201)
    .header('etag', etagOf(extension))
    .header('cache-control', 'no-store')
    .send({
      extension: toAdminExtension(extension),
      ...(body.password === undefined ? { password: created.password } : {}),
    });
}

/** GET/POST /api/v1/admin/extensions and GET /api/v1/admin/extensions/:number. */
export function extensionRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get(`${ADMIN_BASE}/extensions`, (request) => list(ctx, request));
  app.get(`${ADMIN_BASE}/extensions/:number`, (request, reply) => getOne(ctx, request, reply));
  app.post(`${ADMIN_BASE}/extensions`, (request, reply) => create(ctx, request, reply));
}
