import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { writeAudit } from '../../../audit.ts';
import {
  chunked,
  findDidOwners,
  findTakenNumbers,
  insertExtensions,
  isUniqueViolation,
  type BatchInput,
} from '../../../extensions/batch.ts';
import { csvHeader, extensionCsvLine } from '../../../extensions/csv-columns.ts';
import { CsvLimitError } from '../../../extensions/csv-parse.ts';
import {
  addErrors,
  IMPORT_LIMITS,
  takenDidErrors,
  takenErrors,
  validateCsv,
  type ErrorReport,
  type ImportCheck,
  type ImportRow,
} from '../../../extensions/import-validate.ts';
import { generatePassword } from '../../../security/password-generator.ts';
import { actorOf, requireAdmin, type AdminPrincipal } from '../../admin-auth.ts';
import type { ApiContext } from '../../context.ts';
import { HttpError } from '../../errors.ts';
import type { RouteDoc } from '../../route-doc.ts';
import { ErrorResponse } from '../../schemas.ts';
import { parseWith } from '../../validation.ts';

/** Largest CSV body accepted by the import (rows and columns are capped by IMPORT_LIMITS). */
export const IMPORT_BODY_LIMIT = 20 * 1024 * 1024;

const count = (n: number): string => n.toLocaleString('en');
const LIMITS_TEXT = `up to ${count(IMPORT_BODY_LIMIT / 1024 / 1024)} MB, ${count(IMPORT_LIMITS.maxRows)} rows, ${count(IMPORT_LIMITS.maxColumns)} columns and ${count(IMPORT_LIMITS.maxLineLength)} characters a row`;

/** Passwords generated between two pauses of a large import (a few milliseconds each). */
const PASSWORDS_PER_SLICE = 1_000;

const EXPORT_URL = '/api/v1/admin/extensions.csv';
const IMPORT_URL = '/api/v1/admin/extensions/import';
const CSV_TYPE = /^(text|application)\/csv\b/i;

const trueFalse = (field: string) =>
  z.enum(['true', 'false'], { error: `${field} is true or false` }).optional();
const ExportQuery = z.object({ secrets: trueFalse('secrets') });
const ImportQuery = z.object({ dryRun: trueFalse('dryRun') });

const RowError = z.object({ line: z.number(), column: z.string().nullable(), message: z.string() });
/** The first 100 problems in line order; `totalErrors` counts every one. */
const RowErrors = { errors: z.array(RowError), totalErrors: z.number() };
export const ImportDryRunResponse = z.object({ ok: z.boolean(), rows: z.number(), ...RowErrors });
export const ImportAppliedResponse = z.object({
  created: z.number(),
  passwords: z.array(z.object({ number: z.string(), password: z.string() })),
});
const InvalidCsvResponse = ErrorResponse.extend(RowErrors);
const TooLargeResponse = ErrorResponse.extend({ line: z.number().optional() });

export const csvDocs: RouteDoc[] = [
  {
    method: 'GET',
    url: EXPORT_URL,
    summary:
      'All extensions as text/csv (number,name,enabled,manual_dialing,call_recording,call_limit,allowed_ips,forwarding,dnd,created_at,did,caller_id; did and caller_id in E.164). ?secrets=true adds a password column: admin role only, audited.',
    auth: true,
    query: ExportQuery,
    responses: { 200: null, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse },
  },
  {
    method: 'POST',
    url: IMPORT_URL,
    summary: `Import extensions from a text/csv body (same columns, password optional -> generated; did and caller_id in international format, a DID at most once and not ringing an existing extension; ${LIMITS_TEXT}, else 413). ?dryRun=true reports the bad rows with their line (the first ${String(IMPORT_LIMITS.maxReportedErrors)}, and totalErrors); otherwise all rows are created in one transaction or none.`,
    auth: true,
    query: ImportQuery,
    responses: {
      200: ImportDryRunResponse,
      201: ImportAppliedResponse,
      400: ErrorResponse,
      401: ErrorResponse,
      403: ErrorResponse,
      413: TooLargeResponse,
      415: ErrorResponse,
      422: InvalidCsvResponse,
    },
  },
];

async function exportCsv(
  ctx: ApiContext,
  admin: AdminPrincipal,
  secrets: boolean,
  ip: string,
): Promise<string> {
  const extensions = await ctx.db.selectFrom('extensions').selectAll().orderBy('number').execute();
  const lines = extensions.map((e) =>
    extensionCsvLine(e, secrets ? ctx.credentials.box.open(e.secret_enc) : undefined),
  );
  await writeAudit(
    ctx.db,
    {
      actor: actorOf(admin),
      action: secrets ? 'extension.export-secrets' : 'extension.export',
      target: 'extensions.csv',
      ip,
      details: { count: extensions.length, secrets },
    },
    ctx.now(),
  );
  return csvHeader(secrets) + lines.join('');
}

const LIMIT_CODES = { fields: 'too-many-columns', length: 'line-too-long', rows: 'too-many-rows' } as const;

/** A file over IMPORT_LIMITS, refused whole (dry run or not). */
function tooLarge(error: CsvLimitError): HttpError {
  const split = error.limit === 'rows' ? ' Split it into smaller files.' : '';
  return new HttpError(
    413,
    LIMIT_CODES[error.limit],
    `${error.message}${split} Nothing was checked or imported.`,
    { line: error.line },
  );
}

/** The file's problems, including numbers that already exist (one lookup per 5,000 rows). */
async function checkImport(ctx: ApiContext, text: string): Promise<ImportCheck> {
  const check = await validateCsv(text).catch((error: unknown) => {
    throw error instanceof CsvLimitError ? tooLarge(error) : error;
  });
  const taken = await findTakenNumbers(ctx.db, [...new Set(check.rows.map((r) => r.number))]);
  const owners = await findDidOwners(ctx.db, [...new Set(check.rows.flatMap((r) => (r.did ? [r.did] : [])))]);
  return {
    ...check,
    ...addErrors(check, [...takenErrors(check.rows, taken), ...takenDidErrors(check.rows, owners)]),
  };
}

function invalidCsv({ errors, totalErrors }: ErrorReport): HttpError {
  const count = totalErrors === 1 ? 'a problem' : `${totalErrors.toLocaleString('en')} problems`;
  const listed = errors.length < totalErrors ? ` (the first ${errors.length} are listed)` : '';
  return new HttpError(
    422,
    'invalid-csv',
    `The file has ${count}${listed}; nothing was imported. Fix the rows listed and import again.`,
    { errors, totalErrors },
  );
}

type ImportInput = BatchInput & { generated: boolean };

/** The rows with their passwords (generated where the file has none), pausing between slices. */
async function withPasswords(rows: readonly ImportRow[]): Promise<ImportInput[]> {
  const inputs: ImportInput[] = [];
  for (const chunk of chunked(rows, PASSWORDS_PER_SLICE)) {
    inputs.push(
      ...chunk.map(({ line: _line, password, ...row }) => ({
        ...row,
        password: password ?? generatePassword(),
        generated: password === undefined,
      })),
    );
    await nextTurn();
  }
  return inputs;
}

async function applyImport(ctx: ApiContext, rows: ImportRow[], actor: string, ip: string) {
  const inputs = await withPasswords(rows);
  const now = ctx.now();
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await insertExtensions(trx, ctx.credentials, inputs, now.toISOString());
      await writeAudit(
        trx,
        {
          actor,
          action: 'extension.import',
          target: 'extensions.csv',
          ip,
          details: { created: inputs.length },
        },
        now,
      );
    });
  } catch (error) {
    // Someone created one of the numbers between the check and the insert: report it like a dry run.
    if (!isUniqueViolation(error)) throw error;
    const taken = await findTakenNumbers(
      ctx.db,
      rows.map((r) => r.number),
    );
    const owners = await findDidOwners(
      ctx.db,
      rows.flatMap((r) => (r.did ? [r.did] : [])),
    );
    const errors = [...takenErrors(rows, taken), ...takenDidErrors(rows, owners)];
    throw invalidCsv(addErrors({ errors: [], totalErrors: 0 }, errors));
  }
  const passwords = inputs
    .filter((i) => i.generated)
    .map((i) => ({ number: i.number, password: i.password }));
  return { created: inputs.length, passwords };
}

function csvBody(request: FastifyRequest): string {
  const type = request.headers['content-type'] ?? '';
  if (!CSV_TYPE.test(type) || typeof request.body !== 'string')
    throw new HttpError(
      415,
      'unsupported-media-type',
      'Send the file as the request body with Content-Type: text/csv.',
    );
  return request.body;
}

/** GET /api/v1/admin/extensions.csv and POST /api/v1/admin/extensions/import (text/csv scoped to it). */
export function csvRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get(EXPORT_URL, async (request, reply) => {
    const { secrets } = parseWith(ExportQuery, request.query);
    const admin = await requireAdmin(ctx, request, secrets === 'true' ? 'admin' : 'viewer');
    const csv = await exportCsv(ctx, admin, secrets === 'true', request.ip);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="extensions.csv"')
      .header('cache-control', 'no-store')
      .send(csv);
  });

  // The app accepts JSON only; CSV (and, to answer with a clear 415, anything else) only here.
  void app.register((scoped, _options, done) => {
    scoped.addContentTypeParser(
      ['text/csv', 'application/csv'],
      { parseAs: 'string' },
      (_request, body, next) => {
        next(null, body);
      },
    );
    scoped.addContentTypeParser('*', { parseAs: 'string' }, (_request, _body, next) => {
      next(null, undefined);
    });
    // Authenticated before the body is read: strangers cannot make the service buffer 20 MB.
    const principals = new WeakMap<FastifyRequest, AdminPrincipal>();
    const authenticate = async (request: FastifyRequest) => {
      principals.set(request, await requireAdmin(ctx, request, 'admin'));
    };
    scoped.post(
      IMPORT_URL,
      { bodyLimit: IMPORT_BODY_LIMIT, onRequest: authenticate },
      async (request, reply) => {
        const admin = principals.get(request) ?? (await requireAdmin(ctx, request, 'admin'));
        const { dryRun } = parseWith(ImportQuery, request.query);
        const check = await checkImport(ctx, csvBody(request));
        const { errors, totalErrors } = check;
        if (dryRun === 'true') return { ok: totalErrors === 0, rows: check.total, errors, totalErrors };
        if (totalErrors) throw invalidCsv(check);
        return reply.status(201).send(await applyImport(ctx, check.rows, actorOf(admin), request.ip));
      },
    );
    done();
  });
}
