import type { FastifyInstance } from 'fastify';
import type { Extension } from '../../db/schema.ts';
import { lookupOrSilent, phoneServer, type Registration } from '../../kamailio/types.ts';
import { requireAgent } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import type { RouteDoc } from '../route-doc.ts';
import { ErrorResponse, MeResponse } from '../schemas.ts';

export const meDocs: RouteDoc[] = [
  {
    method: 'GET',
    url: '/api/v1/me',
    summary: "The agent's extension settings and live registration on every Kamailio node.",
    auth: true,
    responses: { 200: MeResponse, 401: ErrorResponse, 403: ErrorResponse },
  },
];

function device(r: Registration) {
  return {
    node: r.node,
    registeredAt: r.registeredAt,
    expiresAt: r.expiresAt,
    clientIp: r.clientIp,
    clientPort: r.clientPort,
    transport: r.transport,
    clientName: r.userAgent,
    contact: r.contact,
  };
}

/**
 * Live registration; no device found while a node did not answer (it may hold the binding) is
 * "unknown" with `registered: null`, never a "no" and never an error of /me.
 */
async function registration(ctx: ApiContext, number: string): Promise<MeResponse['registration']> {
  const nodes = ctx.config.kamailioNodes.map((n) => n.name);
  const { registrations, unreachableNodes } = await lookupOrSilent(ctx.registrar, number, nodes);
  const devices = registrations.map(device);
  if (registrations.length === 0 && unreachableNodes.length > 0)
    return {
      status: 'unknown',
      registered: null,
      message: `${phoneServer(unreachableNodes)} did not answer, so whether you are registered is unknown right now.`,
      devices,
      unavailableNodes: unreachableNodes,
    };
  const registered = registrations.length > 0;
  return {
    status: registered ? 'registered' : 'unregistered',
    registered,
    devices,
    unavailableNodes: unreachableNodes,
  };
}

function extensionView(e: Extension): MeResponse['extension'] {
  return {
    number: e.number,
    name: e.name,
    enabled: e.enabled === 1,
    manualDialing: e.manual_dialing === 1,
    callRecording: e.call_recording === 1,
    passwordChangedAt: e.password_changed_at,
  };
}

/** GET /api/v1/me. */
export function meRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/api/v1/me', async (request): Promise<MeResponse> => {
    const { extension } = await requireAgent(ctx, request);
    return { extension: extensionView(extension), registration: await registration(ctx, extension.number) };
  });
}
