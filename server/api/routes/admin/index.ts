// The admin API (/api/v1/admin): sessions and API keys, extensions, secrets, bulk generate, CSV,
// reports, webhooks. Every route authenticates with requireAdmin (server/api/admin-auth.ts).
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../../context.ts';
import type { RouteDoc } from '../../route-doc.ts';
import { adminSessionDocs, adminSessionRoutes } from './admin-sessions.ts';
import { apiKeyDocs, apiKeyRoutes } from './api-keys.ts';
import { bulkDocs, bulkRoutes } from './bulk.ts';
import { csvDocs, csvRoutes } from './csv.ts';
import { extensionChangeDocs, extensionChangeRoutes } from './extension-changes.ts';
import { extensionDocs, extensionRoutes } from './extensions.ts';
import { reportDocs, reportRoutes } from './report.ts';
import { secretDocs, secretRoutes } from './secret.ts';
import { webhookDocs, webhookRoutes } from './webhooks.ts';

/** Registers every admin route. */
export function adminRoutes(app: FastifyInstance, ctx: ApiContext): void {
  adminSessionRoutes(app, ctx);
  apiKeyRoutes(app, ctx);
  extensionRoutes(app, ctx);
  extensionChangeRoutes(app, ctx);
  secretRoutes(app, ctx);
  bulkRoutes(app, ctx);
  csvRoutes(app, ctx);
  reportRoutes(app, ctx);
  webhookRoutes(app, ctx);
}

/** The OpenAPI docs of every admin route. */
export const adminDocs: RouteDoc[] = [
  ...adminSessionDocs,
  ...apiKeyDocs,
  ...extensionDocs,
  ...extensionChangeDocs,
  ...secretDocs,
  ...bulkDocs,
  ...csvDocs,
  ...reportDocs,
  ...webhookDocs,
];
