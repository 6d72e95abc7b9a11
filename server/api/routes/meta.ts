import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import type { ApiContext } from '../context.ts';
import type { HealthMonitor } from '../health.ts';
import type { RouteDoc } from '../route-doc.ts';
import { ClientConfigResponse, HealthResponse } from '../schemas.ts';

export const metaDocs: RouteDoc[] = [
  {
    method: 'GET',
    url: '/api/health',
    summary:
      'Each component with its status (database, every Kamailio node, the rtpengine media relay); 200 when every required one is ok, 503 otherwise.',
    auth: false,
    responses: { 200: HealthResponse, 503: HealthResponse },
  },
  {
    method: 'GET',
    url: '/api/v1/client-config',
    summary: 'Where the softphone finds the SIP WebSocket and which realm it uses.',
    auth: false,
    responses: { 200: ClientConfigResponse },
  },
];

/** The ws(s):// URL browsers use; the configured public URL wins over the listen address. */
export function publicSipUrl(c: Config): string {
  if (c.publicSipUrl) return c.publicSipUrl;
  const host = c.sipListen === '0.0.0.0' ? c.host : c.sipListen;
  return c.tlsCert ? `wss://${host}:${c.sipWssPort}` : `ws://${host}:${c.sipWsPort}`;
}

/** What GET /api/v1/client-config answers (and the softphone page carries). */
export function clientConfig(config: Config): { sipServer: string; realm: string } {
  return { sipServer: publicSipUrl(config), realm: config.realm };
}

/** GET /api/health and GET /api/v1/client-config. */
export function metaRoutes(app: FastifyInstance, ctx: ApiContext, health: HealthMonitor): void {
  app.get('/api/health', async (_request, reply) => {
    const report = await health.report();
    return reply.status(report.ok ? 200 : 503).send(report);
  });

  app.get('/api/v1/client-config', () => clientConfig(ctx.config));
}
