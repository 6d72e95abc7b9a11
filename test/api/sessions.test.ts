import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ENGINES } from '../support/databases.ts';
import {
  loginAs,
  PASSWORD_1001,
  PASSWORD_1002,
  PASSWORD_DISABLED,
  startApi,
  type ApiHarness,
} from '../support/api-harness.ts';

const login = (h: ApiHarness, extension: string, password: string, ip = '203.0.113.5') =>
  h.app.inject({
    method: 'POST',
    url: '/api/v1/sessions',
    payload: { extension, password },
    remoteAddress: ip,
  });

for (const engine of ENGINES) {
  describe(`sessions on ${engine}`, () => {
    let h: ApiHarness;
    before(async () => {
      h = await startApi(engine);
    });
    after(() => h.close());

    test('a correct password opens a session whose token works until logout', async () => {
      const res = await login(h, '1001', PASSWORD_1001);
      assert.equal(res.statusCode, 201);
      const body = res.json<{ token: string; expiresAt: string; extension: string }>();
      assert.equal(body.extension, '1001');
      assert.ok(Buffer.from(body.token, 'base64url').length >= 16, 'token has at least 128 random bits');
      const stored = await h.database.db.kysely.selectFrom('sessions').select('token_hash').execute();
      assert.ok(
        stored.every((s) => s.token_hash !== body.token),
        'only the hash is stored',
      );
      const headers = { authorization: `Bearer ${body.token}` };
      assert.equal((await h.app.inject({ url: '/api/v1/me', headers })).statusCode, 200);
      assert.equal(
        (await h.app.inject({ method: 'DELETE', url: '/api/v1/sessions/current', headers })).statusCode,
        204,
      );
      const after = await h.app.inject({ url: '/api/v1/me', headers });
      assert.equal(after.statusCode, 401);
      assert.match(after.json<{ message: string }>().message, /Log in again/);
    });

    test('an expired token is refused', async () => {
      const headers = await loginAs(h, '1002', PASSWORD_1002);
      h.clock.advance(13 * 3600);
      const res = await h.app.inject({ url: '/api/v1/me', headers });
      assert.equal(res.statusCode, 401);
    });

    test('unknown extension and wrong password get the same answer', async () => {
      const unknown = await login(h, '7777', 'any-password-at-all', '198.51.100.1');
      const wrong = await login(h, '1002', 'not-the-password', '198.51.100.1');
      assert.equal(unknown.statusCode, 401);
      assert.deepEqual(unknown.json(), wrong.json());
      assert.equal(
        wrong.json<{ message: string }>().message,
        'The extension number or password is not correct.',
      );
    });

    test('a disabled extension with the right password is told so; with a wrong one it is not', async () => {
      const right = await login(h, '1003', PASSWORD_DISABLED, '198.51.100.2');
      assert.equal(right.statusCode, 403);
      assert.equal(
        right.json<{ message: string }>().message,
        'This extension has been disabled by your administrator.',
      );
      const wrong = await login(h, '1003', 'wrong-password-here', '198.51.100.2');
      assert.equal(wrong.statusCode, 401);
    });

    test('login attempts are audited without the password', async () => {
      const rows = await h.database.db.kysely.selectFrom('audit_log').selectAll().execute();
      assert.ok(rows.some((r) => r.action === 'login' && r.target === '1001'));
      assert.ok(rows.some((r) => r.action === 'login.failed' && r.target === '1002'));
      const dump = JSON.stringify(rows);
      for (const secret of [PASSWORD_1001, PASSWORD_1002, 'not-the-password'])
        assert.ok(!dump.includes(secret));
    });
  });
}
