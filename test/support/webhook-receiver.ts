// A webhook receiver on loopback for alert tests: records every POST (headers and raw body) and
// answers with the status code `respond` gives (200 unless the test says otherwise).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  path: string;
}

export interface WebhookReceiver {
  url: string;
  received: Received[];
  /** The status code for a request (default 200); tests swap it. */
  respond: (request: Received) => number;
  close(): Promise<void>;
}

export async function startWebhookReceiver(path = '/hooks/earshot'): Promise<WebhookReceiver> {
  const received: Received[] = [];
  const receiver = { respond: (_request: Received): number => 200 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const request = { headers: req.headers, body, path: req.url ?? '' };
      received.push(request);
      res.statusCode = receiver.respond(request);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${String(port)}${path}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
