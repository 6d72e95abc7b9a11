import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ALLOWED, loginAs, PASSWORD_1002, startApi, type ApiHarness } from '../support/api-harness.ts';
import { ENGINES } from '../support/databases.ts';
import { MALFORMED } from './malformed-cases.ts';

for (const engine of ENGINES) {
  describe(`HTTP surface on ${engine}`, () => {
    let h: ApiHarness;
    let auth: { authorization: string };
    before(async () => {
      h = await startApi(engine);
      auth = await loginAs(h, '1002', PASSWORD_1002);
    });
    after(() => h.close());

    test('CORS answers the allow-listed origin and no other', async () => {
      const preflight = (origin: string) =>
        h.app.inject({
          method: 'OPTIONS',
          url: '/api/v1/sessions',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'content-type',
          },
        });
      assert.equal((await preflight(ALLOWED)).headers['access-control-allow-origin'], ALLOWED);
      assert.equal(
        (await preflight('https://evil.example')).headers['access-control-allow-origin'],
        undefined,
      );
    });

    test('sends security headers', async () => {
      const res = await h.app.inject({ url: '/api/health' });
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.ok(res.headers['content-security-policy']);
      // Over plain http: no HSTS (see test/api/security-headers.test.ts).
      assert.equal(res.headers['strict-transport-security'], undefined);
      assert.equal(res.json<{ ok: boolean }>().ok, true);
    });

    test('the OpenAPI document lists every route with its schemas', async () => {
      const doc = (await h.app.inject({ url: '/api/openapi.json' })).json<{
        openapi: string;
        paths: Record<string, Record<string, { requestBody?: unknown }>>;
      }>();
      assert.equal(doc.openapi, '3.1.0');
      // The admin API's paths are checked in test/api/admin-auth.test.ts.
      const paths = Object.keys(doc.paths).filter((path) => !path.startsWith('/api/v1/admin/'));
      assert.deepEqual(paths.sort(), [
        '/api/health',
        '/api/v1/client-config',
        '/api/v1/me',
        '/api/v1/me/password',
        '/api/v1/password-suggestions',
        '/api/v1/sessions',
        '/api/v1/sessions/current',
      ]);
      assert.ok(doc.paths['/api/v1/sessions']?.post?.requestBody);
      assert.ok(doc.paths['/api/v1/me/password']?.put?.requestBody);
    });

    test('unknown routes answer JSON 404', async () => {
      const res = await h.app.inject({ url: '/api/v1/nothing-here' });
      assert.equal(res.statusCode, 404);
      assert.equal(res.json<{ error: string }>().error, 'not-found');
    });

    test(`${MALFORMED.length} malformed requests get a clear 4xx, never a 5xx`, async () => {
      assert.ok(MALFORMED.length >= 50);
      for (const c of MALFORMED) {
        const res = await h.app.inject({
          method: c.method,
          url: c.url,
          headers: { ...(c.auth ? auth : {}), ...c.headers },
          ...(c.payload === undefined ? {} : { payload: c.payload }),
        });
        const label = `${c.name}: ${res.statusCode} ${res.body}`;
        assert.ok(res.statusCode >= 400 && res.statusCode < 500, label);
        const body = res.json<{ error?: unknown; message?: unknown }>();
        assert.equal(typeof body.error, 'string', label);
        assert.equal(typeof body.message, 'string', label);
        assert.ok((body.message as string).length > 10 && !(body.message as string).includes(' at '), label);
        if (c.expect) assert.match(body.message as string, c.expect, label);
      }
    });
  });
}
