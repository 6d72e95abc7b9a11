import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';

/** helmet's default HSTS value: a year, subdomains included. */
const HSTS = { maxAge: 31_536_000, includeSubDomains: true };

/**
 * Security headers on every answer. HSTS and CSP `upgrade-insecure-requests` only when the request
 * really came over https: a TLS socket, or `X-Forwarded-Proto: https` from a proxy the config trusts
 * (EARSHOT_TRUST_PROXY). Over plain http they would tell a browser to switch a site that has no
 * https to it, and break it.
 */
export async function registerSecurityHeaders(app: FastifyInstance, config: Config): Promise<void> {
  const directives = {
    'connect-src': ["'self'", 'ws:', 'wss:', ...config.allowedOrigins],
    'upgrade-insecure-requests': null,
  };
  // The widget script is loaded by portals on other origins: allow cross-origin reads (CORS still
  // decides which origins may call the API with a token).
  await app.register(helmet, {
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    contentSecurityPolicy: { directives },
    strictTransportSecurity: false,
  });
  app.addHook('onRequest', (request, reply, done) => {
    // Fastify's `protocol` reads X-Forwarded-Proto only when trustProxy is on.
    if (request.protocol === 'https')
      reply.helmet({
        strictTransportSecurity: HSTS,
        contentSecurityPolicy: { directives: { ...directives, 'upgrade-insecure-requests': [] } },
      });
    done();
  });
}
