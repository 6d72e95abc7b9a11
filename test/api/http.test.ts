import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect, type Socket } from 'node:net';
import type { InjectOptions } from 'fastify';
import { clientErrorHandler } from '../../server/api/client-errors.ts';
import {
  adminHeaders,
  ALLOWED,
  loginAs,
  PASSWORD_1002,
  startApi,
  type ApiHarness,
} from '../support/api-harness.ts';
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
        '/api/v1/me/ice-servers',
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

  describe(`hostile text and addresses on ${engine}`, () => {
    let h: ApiHarness;
    let admin: { authorization: string };
    before(async () => {
      h = await startApi(engine);
      admin = await adminHeaders(h, 'admin');
    });
    after(() => h.close());

    const refused = async (request: InjectOptions, status: number, error: string, field?: string) => {
      const res = await h.app.inject(request);
      const label = `${JSON.stringify(request.url)}: ${res.statusCode} ${res.body}`;
      assert.equal(res.statusCode, status, label);
      const body = res.json<{ error: string; message: string; field?: string }>();
      assert.equal(body.error, error, label);
      if (field !== undefined) assert.equal(body.field, field, label);
      assert.ok(!body.message.includes(' at ') && !body.message.includes('\u0000'), label);
      return body;
    };
    const names = async () =>
      (await h.database.db.kysely.selectFrom('extensions').select('name').execute()).map((r) => r.name);

    test('NUL in an unauthenticated admin login is a 400 naming the username, not a 500', async () => {
      await refused(
        {
          method: 'POST',
          url: '/api/v1/admin/sessions',
          payload: { username: 'ad\u0000min', password: 'x' },
        },
        400,
        'invalid-request',
        'username',
      );
    });

    test('control characters and text-direction overrides in names are refused; nothing is stored', async () => {
      const etag = (await h.app.inject({ url: '/api/v1/admin/extensions/1001', headers: admin })).headers
        .etag;
      for (const name of ['a\u0000b', 'RT\u202EL', 'two\nlines', 'x\u2067y']) {
        await refused(
          {
            method: 'POST',
            url: '/api/v1/admin/extensions',
            headers: admin,
            payload: { number: '5001', name },
          },
          400,
          'invalid-request',
          'name',
        );
        await refused(
          {
            method: 'PATCH',
            url: '/api/v1/admin/extensions/1001',
            headers: { ...admin, 'if-match': String(etag) },
            payload: { name },
          },
          400,
          'invalid-request',
          'name',
        );
      }
      await refused(
        {
          method: 'POST',
          url: '/api/v1/admin/extensions/bulk',
          headers: admin,
          payload: { count: 2, startCode: '6000', namePattern: 'Desk {code}\u202E', dryRun: true },
        },
        400,
        'invalid-request',
        'namePattern',
      );
      assert.deepEqual((await names()).sort(), ['Ada Agent', 'Bob Agent', 'Off Agent']);
    });

    test('a right-to-left name without overrides is accepted', async () => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/admin/extensions',
        headers: admin,
        payload: { number: '5002', name: 'דוד\u200F 42' },
      });
      assert.equal(res.statusCode, 201, res.body);
    });

    test('NUL in a query or path parameter is a 400 naming it', async () => {
      const body = await refused(
        { url: '/api/v1/admin/extensions?q=%00', headers: admin },
        400,
        'invalid-request',
        'q',
      );
      assert.match(body.message, /query parameter q contains a control character/);
      await refused(
        { method: 'DELETE', url: '/api/v1/admin/api-keys/a%00b', headers: admin },
        400,
        'invalid-request',
        'id',
      );
      await refused(
        { url: '/api/v1/admin/extensions/1001%E2%80%AE', headers: admin },
        400,
        'invalid-request',
        'number',
      );
    });

    test('unknown and malformed query parameters are refused and never run the import', async () => {
      const csv = { ...admin, 'content-type': 'text/csv' };
      const payload = 'number,name\n5101,Array Trick\n';
      for (const url of [
        '/api/v1/admin/extensions/import?dryRun[]=true',
        '/api/v1/admin/extensions/import?dryrun=true',
        '/api/v1/admin/extensions/import?dryRun=true&dryRun=false',
        '/api/v1/admin/extensions/import?dryRun=false&dryRun=true',
        '/api/v1/admin/extensions/import?dryRun=true&extra=1',
      ]) {
        const res = await h.app.inject({ method: 'POST', url, headers: csv, payload });
        assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
      }
      await refused(
        { method: 'POST', url: '/api/v1/admin/extensions/import?dryRun[]=true', headers: csv, payload },
        400,
        'unknown-parameter',
        'dryRun[]',
      );
      await refused(
        { url: '/api/v1/admin/extensions?page=1&page=2', headers: admin },
        400,
        'invalid-request',
        'page',
      );
      await refused(
        { url: '/api/v1/admin/extensions.csv?secret=true', headers: admin },
        400,
        'unknown-parameter',
      );
      assert.ok(!(await names()).includes('Array Trick'));
      const declared = await h.app.inject({
        url: '/api/v1/admin/extensions?page=1&pageSize=5&sort=name&order=desc&q=Ada&enabled=true',
        headers: admin,
      });
      assert.equal(declared.statusCode, 200, declared.body);
    });

    test('over-long addresses and bad escapes answer the JSON error format', async () => {
      await refused(
        { url: `/api/v1/admin/api-keys/${'a'.repeat(101)}`, method: 'DELETE', headers: admin },
        414,
        'uri-too-long',
      );
      await refused(
        { url: `/api/v1/admin/extensions?q=${'a'.repeat(4100)}`, headers: admin },
        414,
        'uri-too-long',
      );
      await refused({ url: `/${'a'.repeat(5000)}` }, 414, 'uri-too-long');
      await refused({ url: '/api/v1/admin/extensions/%zz', headers: admin }, 400, 'bad-url');
    });
  });
}

/** Writes `request` to a listening server and returns everything it answers before closing. */
function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => {
      resolve(answer);
    });
    socket.on('error', reject);
    socket.write(request);
  });
}

describe('requests Node refuses before routing', () => {
  let h: ApiHarness;
  let port: number;
  before(async () => {
    h = await startApi('sqlite');
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    port = (h.app.server.address() as { port: number }).port;
  });
  after(() => h.close());

  const jsonAnswer = (raw: string) => {
    const [head = '', body = ''] = raw.split('\r\n\r\n');
    return {
      status: Number(head.split(' ')[1]),
      type: /content-type: ([^\r]*)/i.exec(head)?.[1],
      body: JSON.parse(body) as { error: string; message: string },
    };
  };

  test('a request that is not HTTP answers 400 in the JSON error format', async () => {
    const answer = jsonAnswer(await rawExchange(port, 'HELLO THERE\r\n\r\n'));
    assert.equal(answer.status, 400);
    assert.match(answer.type ?? '', /application\/json/);
    assert.equal(answer.body.error, 'bad-request');
  });

  test('headers over 16 KB answer 431 in the JSON error format', async () => {
    const big = `GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`;
    const answer = jsonAnswer(await rawExchange(port, big));
    assert.equal(answer.status, 431);
    assert.equal(answer.body.error, 'headers-too-large');
  });

  test('a request line over 16 KB answers 431, one over 4,096 characters 414', async () => {
    const huge = jsonAnswer(
      await rawExchange(port, `GET /api/health?${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`),
    );
    assert.equal(huge.status, 431);
    const long = await rawExchange(
      port,
      `GET /api/health?${'a'.repeat(5000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    );
    assert.match(long, /^HTTP\/1.1 414/);
    assert.match(long, /"error":"uri-too-long"/);
  });

  test('a request timeout answers 408 in the JSON error format and closes the connection', () => {
    let written = '';
    let destroyed = false;
    const socket = {
      destroyed: false,
      writable: true,
      write: (text: string) => (written += text),
      destroy: () => (destroyed = true),
    } as unknown as Socket;
    clientErrorHandler(Object.assign(new Error('timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }), socket);
    assert.match(written, /^HTTP\/1.1 408 Request Timeout\r\n/);
    assert.match(written, /"error":"request-timeout"/);
    assert.equal(destroyed, true);
  });
});
