import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { writeAudit } from '../../../audit.ts';
import type { Database } from '../../../db/schema.ts';
import {
  findTakenNumbers,
  insertExtensions,
  isUniqueViolation,
  type BatchInput,
} from '../../../extensions/batch.ts';
import {
  CODE_PLACEHOLDER,
  invalidCodes,
  planBulk,
  usernamePatternProblem,
  type PlannedExtension,
} from '../../../extensions/bulk-plan.ts';
import { checkCidrList } from '../../../extensions/cidr.ts';
import { nameProblem, NAME_MAX_LENGTH } from '../../../extensions/fields.ts';
import { generatePassword } from '../../../security/password-generator.ts';
import { actorOf, requireAdmin } from '../../admin-auth.ts';
import type { ApiContext } from '../../context.ts';
import { HttpError } from '../../errors.ts';
import type { RouteDoc } from '../../route-doc.ts';
import { ErrorResponse } from '../../schemas.ts';
import { parseWith } from '../../validation.ts';
import { PatchBody } from './schemas.ts';

/**
 * Settings every generated extension shares: what an admin may edit on one, except the name and
 * the phone numbers (a DID rings one extension; caller IDs are set per extension or by default).
 */
export const BulkSettings = PatchBody.omit({ name: true, did: true, callerId: true });

export const BulkBody = z.strictObject({
  count: z
    .number()
    .int()
    .min(1, { error: 'generate at least 1' })
    .max(1000, { error: 'at most 1000 at once' }),
  startCode: z.string().regex(/^\d{4,8}$/, { error: 'the starting code has 4 to 8 digits' }),
  namePattern: z.string().min(1).max(NAME_MAX_LENGTH).default(`Extension ${CODE_PLACEHOLDER}`),
  usernamePattern: z.string().default(CODE_PLACEHOLDER),
  settings: BulkSettings.default({}),
  dryRun: z.boolean().default(false),
});
type BulkBody = z.infer<typeof BulkBody>;

const Planned = z.object({ number: z.string(), name: z.string() });
export const BulkPreviewResponse = z.object({ preview: z.array(Planned), collisions: z.array(z.string()) });
export const BulkCreatedResponse = z.object({
  created: z.array(Planned.extend({ password: z.string() })),
});
const CodesTakenResponse = ErrorResponse.extend({ collisions: z.array(z.string()) });

const URL = '/api/v1/admin/extensions/bulk';

export const bulkDocs: RouteDoc[] = [
  {
    method: 'POST',
    url: URL,
    summary:
      'Bulk generate extensions from a starting code: dry run previews codes, names and collisions; apply creates all or none, passwords returned once.',
    auth: true,
    body: BulkBody,
    responses: {
      200: BulkPreviewResponse,
      201: BulkCreatedResponse,
      400: ErrorResponse,
      401: ErrorResponse,
      403: ErrorResponse,
      409: CodesTakenResponse,
    },
  },
];

function checkRequest(body: BulkBody): PlannedExtension[] {
  const usernameIssue = usernamePatternProblem(body.usernamePattern);
  if (usernameIssue) throw new HttpError(400, 'invalid-request', usernameIssue, { field: 'usernamePattern' });
  const plan = planBulk(body);
  const nameIssue = plan.map((p) => nameProblem(p.name)).find(Boolean);
  if (nameIssue)
    throw new HttpError(400, 'invalid-request', `Name pattern: ${nameIssue}`, { field: 'namePattern' });
  return plan;
}

async function collisions(db: Kysely<Database>, plan: readonly PlannedExtension[]): Promise<string[]> {
  const invalid = invalidCodes(plan);
  const taken = await findTakenNumbers(
    db,
    plan.map((p) => p.number).filter((n) => !invalid.includes(n)),
  );
  return plan.map((p) => p.number).filter((n) => taken.has(n) || invalid.includes(n));
}

function codesTaken(found: string[]): HttpError {
  const shown = found.slice(0, 10).join(', ') + (found.length > 10 ? ` and ${found.length - 10} more` : '');
  return new HttpError(
    409,
    'codes-taken',
    `Nothing was created: ${found.length} of the codes cannot be used (already taken or not 4 to 8 digits): ${shown}.`,
    { collisions: found },
  );
}

function inputsFor(plan: readonly PlannedExtension[], body: BulkBody): BatchInput[] {
  const { allowedIps, ...settings } = body.settings;
  const cidrs = checkCidrList(allowedIps ?? []);
  return plan.map((p) => ({
    ...settings,
    ...p,
    allowedIps: cidrs.ok ? cidrs.cidrs : [],
    password: generatePassword(),
  }));
}

async function apply(ctx: ApiContext, body: BulkBody, plan: PlannedExtension[], actor: string, ip: string) {
  const inputs = inputsFor(plan, body);
  const now = ctx.now();
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const found = await collisions(trx, plan);
      if (found.length) throw codesTaken(found);
      await insertExtensions(trx, ctx.credentials, inputs, now.toISOString());
      const target = `${plan[0]?.number ?? ''}..${plan.at(-1)?.number ?? ''}`;
      await writeAudit(
        trx,
        { actor, action: 'extension.bulk-create', target, ip, details: { count: plan.length } },
        now,
      );
    });
  } catch (error) {
    // Someone created one of the codes between the check and the insert.
    if (isUniqueViolation(error)) throw codesTaken(await collisions(ctx.db, plan));
    throw error;
  }
  return { created: inputs.map((i) => ({ number: i.number, name: i.name, password: i.password })) };
}

/** POST /api/v1/admin/extensions/bulk. */
export function bulkRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post(URL, async (request, reply) => {
    // A preview is a POST too: viewers may only read (the contract), so both need the admin role.
    const admin = await requireAdmin(ctx, request, 'admin');
    const body = parseWith(BulkBody, request.body ?? {});
    const plan = checkRequest(body);
    if (body.dryRun) return { preview: plan, collisions: await collisions(ctx.db, plan) };
    const result = await apply(ctx, body, plan, actorOf(admin), request.ip);
    return reply.status(201).send(result);
  });
}
