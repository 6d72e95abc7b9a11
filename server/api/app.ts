import cors from '@fastify/cors';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config } from '../config.ts';
import type { Db } from '../db/connect.ts';
import { KickQueue } from '../kamailio/kick-queue.ts';
import type { RegistrarClient } from '../kamailio/types.ts';
import type { SecretBox } from '../security/secret-box.ts';
import type { ApiContext } from './context.ts';
import { clientErrorHandler } from './client-errors.ts';
import { errorHandler, notFoundHandler } from './errors.ts';
import type { NgClient } from '../media/ng-client.ts';
import { databaseProbe, HealthMonitor, kamailioProbe, rtpengineProbe, turnProbe } from './health.ts';
import { startHousekeeping } from './housekeeping.ts';
import { startAlerts, type AlertLoopOptions } from '../alerts/alert-loop.ts';
import { openApiDocument } from './openapi.ts';
import { adminDocs, adminRoutes } from './routes/admin/index.ts';
import { iceServerDocs, iceServerRoutes } from './routes/ice-servers.ts';
import { meDocs, meRoutes } from './routes/me.ts';
import { metaDocs, metaRoutes } from './routes/meta.ts';
import { requestGuard } from './request-guard.ts';
import { passwordDocs, passwordRoutes } from './routes/password.ts';
import { sessionDocs, sessionRoutes } from './routes/sessions.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { DEFAULT_THROTTLE, LoginThrottle, type ThrottleLimits } from './throttle.ts';

export interface AppDeps {
  config: Config;
  db: Db;
  registrar: RegistrarClient;
  /** rtpengine's control socket, when the stack runs the media relay (its health is then reported). */
  rtpengine?: Pick<NgClient, 'ping'>;
  /** The stack's own TURN server, when it runs one (its health is then reported). */
  turn?: { host: string; port: number };
  box: SecretBox;
  now?: () => Date;
  throttle?: ThrottleLimits;
  /** Time between purges of expired sessions and throttle rows; default 10 minutes. */
  purgeEveryMs?: number;
  /** Where log lines go (tests capture them); default stdout. */
  logStream?: NodeJS.WritableStream;
  /** Delays between retries of a kick Kamailio did not answer (default KICK_RETRY_DELAYS_MS). */
  kickRetryDelaysMs?: readonly number[];
  /** Alert delivery timing (tests: fast rounds and retries). */
  alerts?: AlertLoopOptions;
}

/** Request logs carry method, path and client address only: never bodies, headers or query strings. */
function loggerOptions(deps: AppDeps): FastifyServerOptions['logger'] {
  return {
    level: deps.config.logLevel,
    ...(deps.logStream ? { stream: deps.logStream } : {}),
    redact: {
      paths: ['req.headers', 'req.body', 'body', 'password', 'token', '*.password', '*.token'],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { method: string; url: string; ip?: string }) => ({
        method: req.method,
        path: req.url.split('?')[0],
        ip: req.ip,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

/** Builds the account service (not listening): CORS allow-list, security headers, the v1 API, OpenAPI. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const now = deps.now ?? (() => new Date());
  const app = Fastify({
    logger: loggerOptions(deps),
    bodyLimit: 64 * 1024,
    trustProxy: deps.config.trustProxy,
    // Malformed addresses and requests Node refuses answer the same JSON error shape.
    frameworkErrors: errorHandler,
    clientErrorHandler,
  });
  const kicks = new KickQueue(deps.registrar, {
    log: app.log,
    ...(deps.kickRetryDelaysMs ? { delaysMs: deps.kickRetryDelaysMs } : {}),
  });
  app.addHook('onClose', () => kicks.stop());
  const ctx: ApiContext = {
    config: deps.config,
    db: deps.db.kysely,
    registrar: deps.registrar,
    kicks,
    credentials: { realm: deps.config.realm, box: deps.box },
    throttle: new LoginThrottle(deps.db.kysely, deps.throttle ?? DEFAULT_THROTTLE, now),
    now,
  };
  await registerSecurityHeaders(app, deps.config);
  await app.register(cors, {
    origin: deps.config.allowedOrigins,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'If-Match'],
    // The admin console reads the ETag of an extension to send it back as If-Match.
    exposedHeaders: ['ETag'],
    maxAge: 600,
  });
  // JSON only: a text/plain body would otherwise arrive as a string.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  const docs = [...sessionDocs, ...meDocs, ...iceServerDocs, ...passwordDocs, ...metaDocs, ...adminDocs];
  app.addHook('onRequest', requestGuard(docs));
  sessionRoutes(app, ctx);
  meRoutes(app, ctx);
  iceServerRoutes(app, ctx);
  passwordRoutes(app, ctx);
  const probes = [databaseProbe(deps.db), kamailioProbe(deps.registrar)];
  if (deps.rtpengine) probes.push(rtpengineProbe(deps.rtpengine));
  if (deps.turn) probes.push(turnProbe(deps.turn));
  metaRoutes(app, ctx, new HealthMonitor(probes));
  adminRoutes(app, ctx);
  startHousekeeping(app, ctx.throttle, deps.purgeEveryMs);
  startAlerts(app, deps.config, { db: ctx.db, box: deps.box, now }, deps.alerts);
  const document = openApiDocument(docs);
  app.get('/api/openapi.json', () => document);
  return app;
}
