// The account service serves the built web app; the softphone page carries the SIP server and
// realm in its <earshot-softphone> tag, the same values GET /api/v1/client-config answers.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadConfig } from '../../server/config.ts';
import { serveWebApp, softphonePage } from '../../server/api/web-app.ts';

const PAGE = '<!doctype html><main><earshot-softphone></earshot-softphone></main>';

describe('the web app as the account service serves it', () => {
  let dist: string;
  let app: FastifyInstance;
  const config = loadConfig({
    EARSHOT_PUBLIC_SIP_URL: 'wss://sip.example.test:8443',
    EARSHOT_SIP_REALM: 'calls.example.test',
  });

  before(async () => {
    dist = mkdtempSync(join(tmpdir(), 'earshot-web-'));
    writeFileSync(join(dist, 'index.html'), PAGE);
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'assets', 'app.js'), 'export {};');
    app = Fastify();
    await serveWebApp(app, config, dist);
  });

  after(async () => {
    await app.close();
    rmSync(dist, { recursive: true, force: true });
  });

  test('the softphone page names the SIP server and realm, revalidated on every load', async () => {
    for (const url of ['/', '/index.html']) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 200, url);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.equal(res.headers['cache-control'], 'no-cache');
      assert.ok(
        res.body.includes(
          '<earshot-softphone sip-server="wss://sip.example.test:8443" realm="calls.example.test">',
        ),
        res.body,
      );
    }
  });

  test('the other files are served as they are', async () => {
    const res = await app.inject({ url: '/assets/app.js' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, 'export {};');
    assert.equal((await app.inject({ url: '/missing.js' })).statusCode, 404);
  });

  test('attribute values are escaped, and a page without the element is refused at start', () => {
    const odd = loadConfig({ EARSHOT_PUBLIC_SIP_URL: 'wss://a.test/?x="1"&y=<2>', EARSHOT_SIP_REALM: 'r' });
    assert.ok(softphonePage(PAGE, odd).includes('sip-server="wss://a.test/?x=&quot;1&quot;&amp;y=&lt;2>"'));
    assert.throws(() => softphonePage('<main></main>', config), /no <earshot-softphone> tag/);
  });
});
