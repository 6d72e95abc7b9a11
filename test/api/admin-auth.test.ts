// Admin access: sessions (throttled), /me, API keys, roles, agents kept out, OpenAPI and CORS.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../server/db/connect.ts';
import { migrate } from '../../server/db/migrate.ts';
import { createTestDatabase } from '../support/databases.ts';
import { hashToken } from '../../server/security/tokens.ts';
import { ENGINES } from '../support/databases.ts';
import {
  ADMIN_PASSWORD,
  adminHeaders,
  ALLOWED,
  createTestAdmin,
  loginAs,
  PASSWORD_1001,
  startApi,
  type ApiHarness,
} from '../support/api-harness.ts';

const BASE = '/api/v1/admin';
type Headers = { authorization: string };

const adminLogin = (h: ApiHarness, username: string, password: string, ip = '203.0.113.9') =>
  h.app.inject({
    method: 'POST',
    url: `${BASE}/sessions`,
    payload: { username, password },
    remoteAddress: ip,
  });

const audit = (h: ApiHarness, action: string) =>
  h.database.db.kysely.selectFrom('audit_log').selectAll().where('action', '=', action).execute();

for (const engine of ENGINES) {
  describe(`admin sessions and roles on ${engine}`, () => {
    let h: ApiHarness;
    let alice: string;
    before(async () => {
      h = await startApi(engine);
      alice = await createTestAdmin(h, 'admin', 'alice');
    });
    after(() => h.close());

    test('login returns a token, the admin and role; /me answers; logout ends the token', async () => {
      const res = await adminLogin(h, alice, ADMIN_PASSWORD);
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json<{
        token: string;
        expiresAt: string;
        admin: { username: string; role: string };
      }>();
      assert.deepEqual(body.admin, { username: 'alice', role: 'admin' });
      assert.ok(Date.parse(body.expiresAt) > h.clock.now().getTime());
      const session = await h.database.db.kysely
        .selectFrom('sessions')
        .selectAll()
        .where('token_hash', '=', hashToken(body.token))
        .executeTakeFirstOrThrow();
      assert.equal(session.subject_type, 'admin');
      const headers = { authorization: `Bearer ${body.token}` };
      const me = await h.app.inject({ url: `${BASE}/me`, headers });
      assert.deepEqual(me.json(), { username: 'alice', role: 'admin' });
      const out = await h.app.inject({ method: 'DELETE', url: `${BASE}/sessions/current`, headers });
      assert.equal(out.statusCode, 204);
      const again = await h.app.inject({ url: `${BASE}/me`, headers });
      assert.equal(again.statusCode, 401);
      assert.match(again.json<{ message: string }>().message, /Log in again/);
      assert.equal((await audit(h, 'admin.login')).length >= 1, true);
    });

    test('wrong password and unknown user get the same 401 and are audited without the password', async () => {
      const wrong = await adminLogin(h, alice, 'not-the-admin-password', '198.51.100.20');
      const unknown = await adminLogin(h, 'nobody-here', 'not-the-admin-password', '198.51.100.20');
      assert.equal(wrong.statusCode, 401);
      assert.deepEqual(wrong.json(), unknown.json());
      assert.deepEqual(wrong.json(), {
        error: 'invalid-credentials',
        message: 'The username or password is not correct.',
      });
      const failed = await audit(h, 'admin.login.failed');
      assert.ok(failed.some((row) => row.target === 'alice'));
      assert.ok(!JSON.stringify(failed).includes('not-the-admin-password'));
    });

    test('admin logins are throttled like agent logins: 429 with retryAfter, then allowed again', async () => {
      const bob = await createTestAdmin(h, 'viewer', 'bob');
      for (let i = 0; i < 5; i += 1)
        assert.equal((await adminLogin(h, bob, `wrong-password-${i}`, '198.51.100.30')).statusCode, 401);
      const blocked = await adminLogin(h, bob, ADMIN_PASSWORD, '198.51.100.30');
      assert.equal(blocked.statusCode, 429);
      const body = blocked.json<{ error: string; retryAfter: number; retryAfterSeconds: number }>();
      assert.equal(body.error, 'too-many-attempts');
      assert.equal(body.retryAfterSeconds, body.retryAfter);
      assert.equal(blocked.headers['retry-after'], String(body.retryAfter));
      // Another admin behind the same address is not locked out.
      assert.equal((await adminLogin(h, alice, ADMIN_PASSWORD, '198.51.100.30')).statusCode, 201);
      h.clock.advance(body.retryAfter);
      assert.equal((await adminLogin(h, bob, ADMIN_PASSWORD, '198.51.100.30')).statusCode, 201);
    });

    test('an expired admin session is refused with 401', async () => {
      const headers = await adminHeaders(h, 'admin');
      h.clock.advance(13 * 3600);
      assert.equal((await h.app.inject({ url: `${BASE}/me`, headers })).statusCode, 401);
    });

    test('agent tokens cannot reach any admin route: 403 forbidden', async () => {
      const agent = await loginAs(h, '1001', PASSWORD_1001);
      const calls = [
        { method: 'GET' as const, url: `${BASE}/me` },
        { method: 'GET' as const, url: `${BASE}/extensions` },
        { method: 'GET' as const, url: `${BASE}/extensions/1001` },
        { method: 'POST' as const, url: `${BASE}/extensions/1001/secret/reveal` },
        { method: 'POST' as const, url: `${BASE}/extensions/1002/disable` },
        { method: 'GET' as const, url: `${BASE}/api-keys` },
      ];
      for (const call of calls) {
        const res = await h.app.inject({ ...call, headers: agent });
        assert.equal(res.statusCode, 403, `${call.method} ${call.url}`);
        assert.equal(res.json<{ error: string }>().error, 'forbidden');
      }
      const row = await h.database.db.kysely
        .selectFrom('extensions')
        .select('enabled')
        .where('number', '=', '1002')
        .executeTakeFirstOrThrow();
      assert.equal(row.enabled, 1, 'the agent changed nothing');
    });

    test('no token is a 401 on every admin route', async () => {
      for (const url of [`${BASE}/me`, `${BASE}/extensions`, `${BASE}/api-keys`])
        assert.equal((await h.app.inject({ url })).statusCode, 401);
    });

    test('a viewer reads but any change is 403 with the role named', async () => {
      const viewer = await adminHeaders(h, 'viewer');
      assert.equal((await h.app.inject({ url: `${BASE}/extensions`, headers: viewer })).statusCode, 200);
      assert.equal((await h.app.inject({ url: `${BASE}/api-keys`, headers: viewer })).statusCode, 200);
      const changes = [
        { method: 'POST' as const, url: `${BASE}/extensions`, payload: { number: '5999', name: 'V' } },
        { method: 'POST' as const, url: `${BASE}/extensions/1001/disable` },
        { method: 'POST' as const, url: `${BASE}/extensions/1001/secret/reveal` },
        { method: 'DELETE' as const, url: `${BASE}/extensions/1001` },
        { method: 'POST' as const, url: `${BASE}/api-keys`, payload: { name: 'x', role: 'admin' } },
      ];
      for (const change of changes) {
        const res = await h.app.inject({ ...change, headers: viewer });
        assert.equal(res.statusCode, 403, `${change.method} ${change.url}`);
        assert.deepEqual(res.json(), { error: 'forbidden', message: 'Your role (viewer) can only read.' });
      }
      assert.ok(
        await h.database.db.kysely
          .selectFrom('extensions')
          .select('number')
          .where('number', '=', '1001')
          .executeTakeFirst(),
      );
    });
  });

  describe(`API keys on ${engine}`, () => {
    let h: ApiHarness;
    let admin: Headers;
    before(async () => {
      h = await startApi(engine);
      admin = await adminHeaders(h, 'admin');
    });
    after(() => h.close());

    const createKey = async (name: string, role: 'admin' | 'viewer') => {
      const res = await h.app.inject({
        method: 'POST',
        url: `${BASE}/api-keys`,
        headers: admin,
        payload: { name, role },
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json<{ id: string; name: string; role: string; key: string }>();
    };

    test('a key is shown once, stored only as SHA-256, and works as a bearer token', async () => {
      const created = await createKey('hr-sync', 'admin');
      assert.match(created.key, /^esk_[A-Za-z0-9_-]{40,}$/);
      const rows = await h.database.db.kysely.selectFrom('api_keys').selectAll().execute();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.key_hash, hashToken(created.key));
      assert.ok(!JSON.stringify(rows).includes(created.key));
      const list = await h.app.inject({ url: `${BASE}/api-keys`, headers: admin });
      assert.ok(!list.body.includes(created.key), 'the list never shows the key');
      const [item] = list.json<{ items: Record<string, unknown>[] }>().items;
      assert.ok(item, 'the new key is listed');
      assert.equal(item.lastUsedAt, null);
      assert.match(String(item.createdBy), /^admin:admin-\d+$/);

      const headers = { authorization: `Bearer ${created.key}` };
      const me = await h.app.inject({ url: `${BASE}/me`, headers });
      assert.deepEqual(me.json(), { username: 'hr-sync', role: 'admin' });
      const disabled = await h.app.inject({
        method: 'POST',
        url: `${BASE}/extensions/1002/disable`,
        headers,
      });
      assert.equal(disabled.statusCode, 200);
      const [entry] = await audit(h, 'extension.disable');
      assert.equal(entry?.actor, 'api-key:hr-sync');
      const used = (await h.app.inject({ url: `${BASE}/api-keys`, headers: admin })).json<{
        items: { lastUsedAt: string | null }[];
      }>();
      assert.equal(used.items[0]?.lastUsedAt, h.clock.now().toISOString());
    });

    test('a viewer key reads but cannot change', async () => {
      const { key } = await createKey('reporting', 'viewer');
      const headers = { authorization: `Bearer ${key}` };
      assert.equal((await h.app.inject({ url: `${BASE}/extensions`, headers })).statusCode, 200);
      const res = await h.app.inject({ method: 'POST', url: `${BASE}/extensions/1001/disable`, headers });
      assert.equal(res.statusCode, 403);
    });

    test('a revoked key is refused at once with 401; revoking is audited', async () => {
      const { id, key } = await createKey('old-script', 'admin');
      const headers = { authorization: `Bearer ${key}` };
      assert.equal((await h.app.inject({ url: `${BASE}/me`, headers })).statusCode, 200);
      const revoked = await h.app.inject({ method: 'DELETE', url: `${BASE}/api-keys/${id}`, headers: admin });
      assert.equal(revoked.statusCode, 204);
      const refused = await h.app.inject({ url: `${BASE}/extensions`, headers });
      assert.equal(refused.statusCode, 401);
      assert.equal(refused.json<{ message: string }>().message, 'This API key has been revoked.');
      const list = (await h.app.inject({ url: `${BASE}/api-keys`, headers: admin })).json<{
        items: { id: string; revokedAt: string | null }[];
      }>();
      assert.ok(list.items.find((k) => k.id === id)?.revokedAt);
      assert.equal((await audit(h, 'api-key.revoke'))[0]?.target, id);
      const unknown = await h.app.inject({ method: 'DELETE', url: `${BASE}/api-keys/nope`, headers: admin });
      assert.equal(unknown.statusCode, 404);
    });

    test('an unknown key is a 401; bad key bodies are 400 naming the field', async () => {
      const res = await h.app.inject({
        url: `${BASE}/me`,
        headers: { authorization: 'Bearer esk_notarealkeyatall000' },
      });
      assert.equal(res.statusCode, 401);
      const bad = await h.app.inject({
        method: 'POST',
        url: `${BASE}/api-keys`,
        headers: admin,
        payload: { name: 'ok', role: 'root' },
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json<{ field: string }>().field, 'role');
    });
  });
}

for (const engine of ENGINES) {
  describe(`admin migration on ${engine}`, () => {
    test('a database from before 002-admin upgrades in place; a second run is a no-op', async () => {
      const t = await createTestDatabase(engine);
      const db = t.db.kysely;
      try {
        // Back to the 001 schema, with an extension row in it.
        await db.schema.dropIndex('extensions_created_at').execute();
        await db.schema.alterTable('extensions').dropColumn('last_registered_at').execute();
        await db.schema.dropTable('api_keys').execute();
        await db.deleteFrom('earshot_migrations').where('name', '=', '002-admin').execute();
        await db
          .insertInto('extensions')
          .values({
            number: '4444',
            name: 'Old',
            ha1: 'a',
            ha1b: 'b',
            secret_enc: 's',
            enabled: 1,
            manual_dialing: 0,
            call_recording: 0,
            call_limit: 2,
            allowed_ips: '',
            forwarding: null,
            dnd: 0,
            revision: 1,
            created_at: 'x',
            updated_at: 'x',
            password_changed_at: 'x',
          } as never)
          .execute();
        assert.deepEqual(await migrate(db, t.db.engine), ['002-admin']);
        const row = await db.selectFrom('extensions').selectAll().executeTakeFirstOrThrow();
        assert.equal(row.number, '4444');
        assert.equal(row.last_registered_at, null);
        assert.deepEqual(await db.selectFrom('api_keys').selectAll().execute(), []);
        assert.deepEqual(await migrate(db, t.db.engine), []);
      } finally {
        await t.drop();
      }
    });
  });
}

describe('admin API surface', () => {
  let h: ApiHarness;
  before(async () => {
    h = await startApi('sqlite');
  });
  after(() => h.close());

  test('the OpenAPI document lists every admin route with its parameters', async () => {
    const doc = (await h.app.inject({ url: '/api/openapi.json' })).json<{
      paths: Record<
        string,
        Record<string, { parameters?: { name: string; in: string; required: boolean }[] }>
      >;
    }>();
    const admin = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith(`${BASE}/`))
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    for (const route of [
      `POST ${BASE}/sessions`,
      `DELETE ${BASE}/sessions/current`,
      `GET ${BASE}/me`,
      `GET ${BASE}/api-keys`,
      `POST ${BASE}/api-keys`,
      `DELETE ${BASE}/api-keys/{id}`,
      `GET ${BASE}/extensions`,
      `POST ${BASE}/extensions`,
      `GET ${BASE}/extensions/{number}`,
      `PATCH ${BASE}/extensions/{number}`,
      `DELETE ${BASE}/extensions/{number}`,
      `POST ${BASE}/extensions/{number}/enable`,
      `POST ${BASE}/extensions/{number}/disable`,
      `POST ${BASE}/extensions/{number}/secret/reveal`,
      `POST ${BASE}/extensions/{number}/secret/regenerate`,
      `PUT ${BASE}/extensions/{number}/secret`,
    ])
      assert.ok(admin.includes(route), `${route} is documented`);
    const patch = doc.paths[`${BASE}/extensions/{number}`]?.patch?.parameters ?? [];
    assert.ok(patch.some((p) => p.name === 'If-Match' && p.in === 'header' && p.required));
    assert.ok(patch.some((p) => p.name === 'number' && p.in === 'path'));
    const list = doc.paths[`${BASE}/extensions`]?.get?.parameters ?? [];
    for (const name of ['page', 'pageSize', 'sort', 'order', 'q', 'enabled', 'registered'])
      assert.ok(
        list.some((p) => p.name === name && p.in === 'query'),
        `query ${name}`,
      );
  });

  test('CORS lets the console send PATCH with If-Match and read the ETag', async () => {
    const preflight = await h.app.inject({
      method: 'OPTIONS',
      url: `${BASE}/extensions/1001`,
      headers: {
        origin: ALLOWED,
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'authorization,content-type,if-match',
      },
    });
    assert.equal(preflight.statusCode, 204);
    assert.match(String(preflight.headers['access-control-allow-methods']), /PATCH/);
    assert.match(String(preflight.headers['access-control-allow-headers']), /If-Match/i);
    const headers = await adminHeaders(h, 'viewer');
    const res = await h.app.inject({
      url: `${BASE}/extensions/1001`,
      headers: { ...headers, origin: ALLOWED },
    });
    assert.match(String(res.headers['access-control-expose-headers']), /ETag/i);
  });

  test('the CLI creates a viewer (and says which roles exist)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-cli-'));
    try {
      const url = `sqlite://${join(dir, 'cli.sqlite')}`;
      const env = { ...process.env, DATABASE_URL: url, EARSHOT_DATA_DIR: dir };
      const cli = (args: string[], input = '') =>
        spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/main.ts', ...args], {
          env,
          input,
          encoding: 'utf8',
        });
      const created = cli(
        ['admin', 'create', '--username', 'vera', '--role', 'viewer', '--password-stdin'],
        `${ADMIN_PASSWORD}\n`,
      );
      assert.equal(created.status, 0, created.stderr);
      assert.match(created.stdout, /Created viewer "vera"/);
      assert.ok(!created.stdout.includes(ADMIN_PASSWORD) && !created.stderr.includes(ADMIN_PASSWORD));
      const badRole = cli(
        ['admin', 'create', 'zed', '--role', 'root', '--password-stdin'],
        `${ADMIN_PASSWORD}\n`,
      );
      assert.equal(badRole.status, 1);
      assert.match(badRole.stderr, /--role admin\|viewer/);
      const override = cli(
        ['admin', 'create', '--username', 'ad\u202Emin', '--password-stdin'],
        `${ADMIN_PASSWORD}\n`,
      );
      assert.equal(override.status, 1);
      assert.match(override.stderr, /--username contains an invisible text-direction override/);
      const control = cli(
        ['extension', 'create', '5001', '--name', 'Ada', '--password-stdin'],
        'lantern-orbit\u0007velvet-canyon-9\n',
      );
      assert.equal(control.status, 1);
      assert.match(control.stderr, /password on standard input contains a control character/);
      const db = openDatabase(url);
      try {
        const row = await db.kysely.selectFrom('admins').selectAll().executeTakeFirstOrThrow();
        assert.equal(row.role, 'viewer');
        assert.match(row.password_hash, /^\$argon2id\$/);
      } finally {
        await db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
