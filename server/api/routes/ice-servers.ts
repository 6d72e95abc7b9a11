import type { FastifyInstance } from 'fastify';
import { iceServersFor } from '../../turn/credentials.ts';
import { requireAgent } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import type { RouteDoc } from '../route-doc.ts';
import { ErrorResponse, IceServersResponse } from '../schemas.ts';

export const iceServerDocs: RouteDoc[] = [
  {
    method: 'GET',
    url: '/api/v1/me/ice-servers',
    summary:
      "STUN/TURN servers for the agent's calls, with TURN credentials minted for this agent (they expire: fetch again before `expiresAt`).",
    auth: true,
    responses: { 200: IceServersResponse, 401: ErrorResponse, 403: ErrorResponse },
  },
];

/** GET /api/v1/me/ice-servers: never cached, never logged (the credential is in the body only). */
export function iceServerRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/api/v1/me/ice-servers', async (request, reply) => {
    const { extension } = await requireAgent(ctx, request);
    void reply.header('Cache-Control', 'no-store');
    return iceServersFor(ctx.config.turn, ctx.credentials.box, extension.number, ctx.now());
  });
}
