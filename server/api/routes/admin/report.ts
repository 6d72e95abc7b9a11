import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireAdmin } from '../../admin-auth.ts';
import type { ApiContext } from '../../context.ts';
import type { RouteDoc } from '../../route-doc.ts';
import { ErrorResponse } from '../../schemas.ts';
import { parseWith } from '../../validation.ts';

const URL = '/api/v1/admin/reports/stale-registrations';

const StaleQuery = z.object({
  hours: z.coerce
    .number({ error: 'hours is a number' })
    .int({ error: 'hours is a whole number' })
    .min(1, { error: 'hours is at least 1' })
    .max(8760, { error: 'hours is at most 8760 (a year)' })
    .default(24),
});

export const StaleItem = z.object({
  number: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  lastRegisteredAt: z.string().nullable(),
  reason: z.enum(['never-registered', 'not-registered-recently']),
});
export const StaleReportResponse = z.object({ items: z.array(StaleItem) });
type StaleItem = z.infer<typeof StaleItem>;

export const reportDocs: RouteDoc[] = [
  {
    method: 'GET',
    url: URL,
    summary:
      'Extensions never registered, or not registered within the last ?hours (default 24), as kept by the registration watcher.',
    auth: true,
    query: StaleQuery,
    responses: { 200: StaleReportResponse, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse },
  },
];

/** Extensions whose last registration is missing or older than `hours` before now, by number. */
async function staleRegistrations(ctx: ApiContext, hours: number): Promise<StaleItem[]> {
  const cutoff = new Date(ctx.now().getTime() - hours * 3_600_000).toISOString();
  const rows = await ctx.db
    .selectFrom('extensions')
    .select(['number', 'name', 'enabled', 'last_registered_at'])
    .where((eb) => eb.or([eb('last_registered_at', 'is', null), eb('last_registered_at', '<', cutoff)]))
    .orderBy('number')
    .execute();
  return rows.map((row) => ({
    number: row.number,
    name: row.name,
    enabled: row.enabled === 1,
    lastRegisteredAt: row.last_registered_at,
    reason: row.last_registered_at === null ? 'never-registered' : 'not-registered-recently',
  }));
}

/** GET /api/v1/admin/reports/stale-registrations. */
export function reportRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get(URL, async (request) => {
    await requireAdmin(ctx, request, 'viewer');
    const { hours } = parseWith(StaleQuery, request.query);
    return { items: await staleRegistrations(ctx, hours) };
  });
}
