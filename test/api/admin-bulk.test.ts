import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { planBulk } from '../../server/extensions/bulk-plan.ts';
import { sipHashes } from '../../server/security/digest.ts';
import { ENGINES } from '../support/databases.ts';
import {
  adminHeaders,
  API_REALM,
  countExtensions,
  loginAs,
  PASSWORD_1001,
  startApi,
  type ApiHarness,
} from '../support/api-harness.ts';

const URL = '/api/v1/admin/extensions/bulk';

interface Created {
  created: { number: string; name: string; password: string }[];
}
interface Preview {
  preview: { number: string; name: string }[];
  collisions: string[];
}

describe('bulk plan', () => {
  test('codes keep the starting width and names fill the pattern', () => {
    assert.deepEqual(planBulk({ count: 3, startCode: '0998', namePattern: 'Support {code} ({code})' }), [
      { number: '0998', name: 'Support 0998 (0998)' },
      { number: '0999', name: 'Support 0999 (0999)' },
      { number: '1000', name: 'Support 1000 (1000)' },
    ]);
  });
});

for (const engine of ENGINES) {
  describe(`POST ${URL} on ${engine}`, () => {
    let h: ApiHarness;
    let admin: { authorization: string };
    const count = () => countExtensions(h);
    const post = (payload: object, headers = admin) =>
      h.app.inject({ method: 'POST', url: URL, headers, payload });

    before(async () => {
      h = await startApi(engine);
      admin = await adminHeaders(h, 'admin');
    });
    after(() => h.close());

    test('a dry run previews codes and names and lists the collisions, creating nothing', async () => {
      const res = await post({ count: 5, startCode: '1000', namePattern: 'Support {code}', dryRun: true });
      assert.equal(res.statusCode, 200);
      const body = res.json<Preview>();
      assert.deepEqual(
        body.preview.map((p) => `${p.number}:${p.name}`),
        [
          '1000:Support 1000',
          '1001:Support 1001',
          '1002:Support 1002',
          '1003:Support 1003',
          '1004:Support 1004',
        ],
      );
      assert.deepEqual(body.collisions, ['1001', '1002', '1003']);
      assert.equal(await count(), 3);
    });

    test('applying with a collision answers 409 with every colliding code and creates none', async () => {
      const res = await post({ count: 5, startCode: '1000', namePattern: 'Support {code}' });
      assert.equal(res.statusCode, 409);
      const body = res.json<{ error: string; message: string; collisions: string[] }>();
      assert.equal(body.error, 'codes-taken');
      assert.deepEqual(body.collisions, ['1001', '1002', '1003']);
      assert.match(body.message, /Nothing was created/);
      assert.equal(await count(), 3);
    });

    test('codes that outgrow 8 digits are collisions too', async () => {
      const res = await post({ count: 3, startCode: '99999998', namePattern: 'X {code}' });
      assert.equal(res.statusCode, 409);
      assert.deepEqual(res.json<{ collisions: string[] }>().collisions, ['100000000']);
      assert.equal(await count(), 3);
    });

    test('applying creates all of them with the common settings and unique generated passwords', async () => {
      const res = await post({
        count: 1000,
        startCode: '20000',
        namePattern: 'Support {code}',
        usernamePattern: '{code}',
        settings: {
          callLimit: 3,
          manualDialing: true,
          allowedIps: ['10.0.0.1', '192.0.2.0/24'],
          forwarding: '+15550100',
        },
      });
      assert.equal(res.statusCode, 201);
      const { created } = res.json<Created>();
      assert.equal(created.length, 1000);
      assert.equal(new Set(created.map((c) => c.password)).size, 1000);
      assert.ok(created.every((c) => /^([A-Za-z2-9]{5}-){3}[A-Za-z2-9]{5}$/.test(c.password)));
      assert.equal(await count(), 1003);
      const first = created[0];
      assert.ok(first);
      const row = await h.database.db.kysely
        .selectFrom('extensions')
        .selectAll()
        .where('number', '=', '20000')
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        [row.name, row.call_limit, row.manual_dialing, row.allowed_ips, row.forwarding, row.enabled],
        ['Support 20000', 3, 1, '10.0.0.1/32,192.0.2.0/24', '+15550100', 1],
      );
      assert.equal(row.ha1, sipHashes('20000', API_REALM, first.password).ha1);
      assert.equal(h.credentials.box.open(row.secret_enc), first.password);
      const audit = await h.database.db.kysely
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'extension.bulk-create')
        .execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]?.target, '20000..20999');
      assert.ok(!JSON.stringify(audit).includes(first.password));
      assert.ok(!h.logs.join('').includes(first.password), 'no generated password in the logs');
    });

    test('a username pattern other than {code} is refused with the reason', async () => {
      const res = await post({
        count: 2,
        startCode: '3000',
        namePattern: 'S {code}',
        usernamePattern: 'agent{code}',
      });
      assert.equal(res.statusCode, 400);
      assert.match(
        res.json<{ message: string }>().message,
        /SIP username of an Earshot extension is its number/,
      );
    });

    test('bad settings and counts are 400s naming the field', async () => {
      for (const [payload, field] of [
        [{ count: 1001, startCode: '3000', namePattern: 'S {code}' }, 'count'],
        [{ count: 2, startCode: '30a0', namePattern: 'S {code}' }, 'startCode'],
        [
          { count: 2, startCode: '3000', namePattern: 'S {code}', settings: { allowedIps: ['10.0.0.0/33'] } },
          'settings.allowedIps.0',
        ],
        [
          { count: 2, startCode: '3000', namePattern: 'S {code}', settings: { callLimit: 0 } },
          'settings.callLimit',
        ],
        // 120 characters as a pattern, 160 once each {code} is an 8-digit code.
        [{ count: 2, startCode: '30000000', namePattern: '{code}'.repeat(20) }, 'namePattern'],
      ] as const) {
        const res = await post(payload);
        assert.equal(res.statusCode, 400, JSON.stringify(payload));
        assert.equal(res.json<{ field: string }>().field, field);
      }
      assert.equal(await count(), 1003);
    });

    test('viewers, agents and strangers cannot generate', async () => {
      const payload = { count: 1, startCode: '4000', namePattern: 'S {code}' };
      const viewer = await post(payload, await adminHeaders(h, 'viewer'));
      assert.equal(viewer.statusCode, 403);
      assert.equal(viewer.json<{ error: string }>().error, 'forbidden');
      const agent = await post(payload, await loginAs(h, '1001', PASSWORD_1001));
      assert.equal(agent.statusCode, 403);
      const nobody = await h.app.inject({ method: 'POST', url: URL, payload });
      assert.equal(nobody.statusCode, 401);
      assert.equal(await count(), 1003);
    });
  });
}
