import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../../server/api/app.ts';
import { serveWebApp } from '../../server/api/web-app.ts';
import { loadConfig } from '../../server/config.ts';
import { KamailioRegistrarClient } from '../../server/kamailio/registrar-client.ts';
import { startPortal } from '../../server/stack/portal.ts';
import { startTestTurn, type TestTurn } from './turn.ts';
import {
  freeTcpPort,
  startKamailio,
  TEST_REALM,
  type HarnessOptions,
  type KamailioHarness,
} from './kamailio-harness.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/** The whole stack for end-to-end tests: Kamailio, the account service and the built web app. */
export interface TestStack {
  kamailio: KamailioHarness;
  app: FastifyInstance;
  registrar: KamailioRegistrarClient;
  /** http://127.0.0.1:<port> — the softphone page and the API. */
  origin: string;
  /** The example portal's origin (another port), when started with `portal: true`. */
  portalOrigin: string | null;
  /** coturn, when started with `turn: true` (else TURN is off for this stack). */
  turn: TestTurn | null;
  stop(): Promise<void>;
}

export interface StackOptions extends HarnessOptions {
  /** More origins the API and Kamailio's WebSocket accept. */
  extraOrigins?: string[];
  /** Also serve examples/portal on another port (another origin). */
  portal?: boolean;
  /** Also run coturn; the account service mints TURN credentials for it. */
  turn?: boolean;
}

/** Starts everything on free loopback ports; `dist/` must have been built (scripts/test.ts does). */
export async function startStack(options: StackOptions = {}): Promise<TestStack> {
  const dist = process.env.EARSHOT_DIST ?? join(ROOT, 'dist');
  if (!existsSync(join(dist, 'index.html'))) throw new Error('Build the web app first: npx vite build');
  const port = await freeTcpPort();
  const origin = `http://127.0.0.1:${port}`;
  // The example portal runs on another port: another origin, as on a real CRM.
  const portalPort = options.portal ? await freeTcpPort() : 0;
  const portalOrigin = portalPort ? `http://127.0.0.1:${portalPort}` : null;
  const allowedOrigins = [origin, ...(portalOrigin ? [portalOrigin] : []), ...(options.extraOrigins ?? [])];
  const kamailio = await startKamailio({ ...options, allowedOrigins });
  const turn = options.turn ? await startTestTurn() : null;
  const config = loadConfig({
    ...(turn ? turn.env : { EARSHOT_TURN: 'off' }),
    EARSHOT_SIP_REALM: TEST_REALM,
    EARSHOT_KAMAILIO_NODES: `${kamailio.nodeName}=${kamailio.rpcUrl}`,
    EARSHOT_ALLOWED_ORIGINS: allowedOrigins.join(','),
    EARSHOT_PUBLIC_SIP_URL: kamailio.wsUrl,
    EARSHOT_LOG_LEVEL: 'warn',
  });
  const registrar = new KamailioRegistrarClient(config.kamailioNodes);
  // With `rtpengine: true` (calls with a desk-phone leg are anchored), health reports it too.
  const ng = kamailio.rtpengine?.ngClient();
  const app = await buildApp({
    config,
    db: kamailio.database.db,
    registrar,
    ...(ng ? { rtpengine: ng } : {}),
    ...(turn ? { turn: { host: turn.settings.listen, port: turn.settings.port } } : {}),
    box: kamailio.credentials.box,
  });
  await serveWebApp(app, config, dist);
  await app.listen({ host: '127.0.0.1', port });
  const portal = portalPort
    ? await startPortal(join(ROOT, 'examples', 'portal'), {
        host: '127.0.0.1',
        port: portalPort,
        earshotUrl: origin,
      })
    : null;
  return {
    kamailio,
    app,
    registrar,
    origin,
    portalOrigin,
    turn,
    stop: async () => {
      portal?.close();
      await app.close();
      ng?.close();
      await kamailio.stop();
      await turn?.stop();
    },
  };
}
