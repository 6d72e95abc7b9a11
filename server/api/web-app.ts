import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { clientConfig } from './routes/meta.ts';

const TAG = '<earshot-softphone>';

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * The softphone page with the SIP server and realm written into its <earshot-softphone> tag: the
 * element then registers at once instead of first asking GET /api/v1/client-config (one round
 * trip less between page load and registered). Throws when the page has no such tag.
 */
export function softphonePage(html: string, config: Config): string {
  if (!html.includes(TAG)) throw new Error(`The softphone page has no ${TAG} tag`);
  const { sipServer, realm } = clientConfig(config);
  const tag = `<earshot-softphone sip-server="${escapeAttribute(sipServer)}" realm="${escapeAttribute(realm)}">`;
  return html.replace(TAG, tag);
}

/** Serves the built web app from `dist`; `/` and `/index.html` are the softphone page with its settings. */
export async function serveWebApp(app: FastifyInstance, config: Config, dist: string): Promise<void> {
  const page = softphonePage(readFileSync(join(dist, 'index.html'), 'utf8'), config);
  const send = (_request: unknown, reply: FastifyReply) =>
    // Revalidated on every load, so a changed SIP server reaches the next page load.
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page);
  app.get('/', send);
  app.get('/index.html', send);
  await app.register(fastifyStatic, { root: dist, index: false });
}
