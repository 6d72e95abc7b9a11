import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';

const FILES: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/portal.js': 'portal.js',
  '/portal.css': 'portal.css',
};
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/**
 * Serves examples/portal (a fake CRM) on its own port — another origin than the account service
 * that serves the widget, exactly like a real portal embedding Earshot.
 */
export async function startPortal(
  root: string,
  options: { host: string; port: number; earshotUrl: string },
): Promise<Server> {
  const server = createServer((request, response) => {
    const file = FILES[(request.url ?? '/').split('?')[0] ?? '/'];
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    void readFile(join(root, file), 'utf8').then((text) => {
      const body = text
        .replaceAll('__EARSHOT_WIDGET_URL__', `${options.earshotUrl}/widget/earshot-softphone.js`)
        .replaceAll('__EARSHOT_API_URL__', options.earshotUrl);
      response
        .writeHead(200, { 'content-type': TYPES[file.split('.').pop() ?? ''] ?? 'text/plain' })
        .end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port, options.host, resolve));
  return server;
}
