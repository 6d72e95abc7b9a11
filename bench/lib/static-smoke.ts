import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../test/support/chromium-flags.mjs';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** What loading a built page in Chromium showed. */
export interface SmokeResult {
  /** `customElements.get(tag)` was defined after load. */
  defined: boolean;
  /** Uncaught exceptions the page threw (a broken bundle shows up here). */
  pageErrors: string[];
}

/** Serves `root` read-only on 127.0.0.1 (index.html for `/`; 404 for anything missing or outside). */
function serveStatic(root: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(root, path === '/' ? 'index.html' : path);
    if (!file.startsWith(root)) {
      res.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) => {
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
      },
      () => {
        res.writeHead(404).end();
      },
    );
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve(server);
    });
  });
}

/** Opens the built `index.html` of `root` in headless Chromium and checks that `tag` got defined. */
export async function smokeTest(root: string, tag: string, chromiumPath = CHROMIUM): Promise<SmokeResult> {
  const server = await serveStatic(root);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
  try {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const { port } = server.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/`, { waitUntil: 'load' });
    const defined = await page.evaluate(async (name) => {
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, 5_000));
      await Promise.race([customElements.whenDefined(name), timeout]);
      return customElements.get(name) !== undefined;
    }, tag);
    return { defined, pageErrors };
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  }
}
