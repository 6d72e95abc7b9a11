// Admin API, reading and creating extensions: the paged, sorted, searched and filtered list with
// live registrations, one extension with its ETag, and creation with its validation.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AdminExtension } from '../../server/api/routes/admin/schemas.ts';
import { PASSWORD_MASK } from '../../server/api/routes/admin/extension-view.ts';
import { checkPassword } from '../../server/security/password-policy.ts';
import {
  assertAudited,
  assertNoSecretLeaked,
  call,
  EXTENSIONS,
  readOne,
  registration,
  type Headers,
} from '../support/admin-api.ts';
import {
  adminHeaders,
  createTestAdmin,
  loginAdmin,
  loginAs,
  PASSWORD_1001,
  startApi,
  type ApiHarness,
} from '../support/api-harness.ts';
import { ENGINES } from '../support/databases.ts';

interface Page {
  items: AdminExtension[];
  total: number;
  page: number;
  pageSize: number;
  unavailableNodes: string[];
}

const FIELDS = [
  'callerId',
  'did',
  'callLimit',
  'callRecording',
  'allowedIps',
  'createdAt',
  'dnd',
  'enabled',
  'etag',
  'forwarding',
  'lastRegisteredAt',
  'manualDialing',
  'name',
  'number',
  'password',
  'passwordChangedAt',
  'registration',
  'status',
  'updatedAt',
].sort();

/** Seeded on top of the harness's 1001–1003, one clock minute apart: number, name, flags. */
const TEAM: [string, string, object][] = [
  ['2001', 'Zoe Support', { callRecording: true }],
  ['2002', 'yann sales', { manualDialing: true, callRecording: true }],
  ['2003', 'Xavier Support', { enabled: false }],
  ['20040', 'Wanda 100%_off', {}],
  ['2005', 'Victor Support', { manualDialing: true }],
];

for (const engine of ENGINES) {
  describe(`admin extension list on ${engine}`, () => {
    let h: ApiHarness;
    let viewer: Headers;
    const list = async (query: string, headers = viewer): Promise<Page> => {
      const res = await call(h, 'GET', `${EXTENSIONS}?${query}`, headers);
      assert.equal(res.statusCode, 200, res.body);
      return res.json<Page>();
    };
    const numbers = async (query: string) => (await list(query)).items.map((row) => row.number);

    before(async () => {
      h = await startApi(engine);
      viewer = await adminHeaders(h, 'viewer');
      const admin = await adminHeaders(h, 'admin');
      for (const [number, name, flags] of TEAM) {
        h.clock.advance(60);
        const res = await call(h, 'POST', EXTENSIONS, admin, { number, name, ...flags });
        assert.equal(res.statusCode, 201, res.body);
      }
      h.registrar.registrations.set('2002', [
        registration({
          node: 'kam-a',
          clientIp: '192.0.2.21',
          userAgent: 'Desk/2',
          registeredAt: '2026-11-23T08:10:00.000Z',
        }),
        registration({ node: 'kam-b', clientIp: '192.0.2.22', expiresAt: '2026-11-23T09:09:00.000Z' }),
      ]);
      h.registrar.registrations.set('1001', [registration({ registeredAt: '2026-11-23T07:00:00.000Z' })]);
    });
    after(() => h.close());

    test('pages on the server: page, pageSize and the total of all matches', async () => {
      const first = await list('pageSize=3');
      assert.deepEqual([first.page, first.pageSize, first.total], [1, 3, 8]);
      assert.deepEqual(
        first.items.map((row) => row.number),
        ['1001', '1002', '1003'],
      );
      const third = await list('pageSize=3&page=3');
      assert.deepEqual(
        third.items.map((row) => row.number),
        ['2005', '20040'],
      );
      assert.equal(third.total, 8);
      assert.deepEqual((await list('pageSize=3&page=4')).items, []);
      assert.equal(h.registrar.dumps > 0, true, 'one registrar dump per list');
    });

    test('sorts by number, name, createdAt and registeredAt, both ways', async () => {
      assert.deepEqual(await numbers('sort=number&order=desc&pageSize=3'), ['20040', '2005', '2003']);
      assert.deepEqual(await numbers('sort=name&q=support'), ['2005', '2003', '2001']);
      // Case does not decide the order: "yann" sits between "Xavier" and "Zoe".
      assert.deepEqual(await numbers('sort=name&q=20'), ['2005', '20040', '2003', '2002', '2001']);
      assert.deepEqual(await numbers('sort=name&order=desc&q=support'), ['2001', '2003', '2005']);
      assert.deepEqual(await numbers('sort=createdAt&order=desc&q=20&pageSize=2'), ['2005', '20040']);
      assert.deepEqual(await numbers('sort=createdAt&q=20'), ['2001', '2002', '2003', '20040', '2005']);
      // Registered first (earliest first), the unregistered ones last in either direction.
      assert.deepEqual(await numbers('sort=registeredAt&pageSize=3'), ['1001', '2002', '1002']);
      assert.deepEqual(await numbers('sort=registeredAt&order=desc&pageSize=3'), ['2002', '1001', '20040']);
    });

    test('searches a number prefix or a name substring, case-insensitively, wildcards literal', async () => {
      assert.deepEqual(await numbers('q=200'), ['2001', '2002', '2003', '2005', '20040']);
      assert.deepEqual(await numbers('q=2004'), ['20040']);
      assert.deepEqual(await numbers('q=AGENT'), ['1001', '1002', '1003']);
      assert.deepEqual(await numbers('q=100%25_'), ['20040']);
      assert.deepEqual(await numbers('q=%25'), ['20040']);
      assert.deepEqual(await numbers('q=_'), ['20040']);
      assert.deepEqual(await numbers('q=001'), []);
      assert.equal((await list('q=support&pageSize=1')).total, 3);
    });

    test('filters by enabled, registered, manualDialing and callRecording, combined', async () => {
      assert.deepEqual(await numbers('enabled=false'), ['1003', '2003']);
      assert.deepEqual(await numbers('registered=true'), ['1001', '2002']);
      assert.equal((await list('registered=false')).total, 6);
      assert.deepEqual(await numbers('manualDialing=true'), ['1001', '2002', '2005']);
      assert.deepEqual(await numbers('callRecording=true'), ['2001', '2002']);
      assert.deepEqual(await numbers('callRecording=true&manualDialing=true&registered=true'), ['2002']);
      assert.deepEqual(await numbers('manualDialing=true&q=support'), ['2005']);
    });

    test('each row carries every field with the live registration and never a secret', async () => {
      const page = await list('q=2002');
      const row = page.items[0];
      assert.ok(row);
      assert.deepEqual(Object.keys(row).sort(), FIELDS);
      assert.equal(row.name, 'yann sales');
      assert.equal(row.password, PASSWORD_MASK);
      assert.deepEqual(
        [row.status, row.enabled, row.manualDialing, row.callRecording],
        ['enabled', true, true, true],
      );
      assert.equal(row.createdAt, '2026-11-23T09:02:00.000Z');
      assert.deepEqual(row.registration, {
        status: 'registered',
        registered: true,
        registeredAt: '2026-11-23T08:00:00.000Z',
        expiresAt: '2026-11-23T09:09:00.000Z',
        node: 'kam-b',
        clientIp: '192.0.2.22',
        clientName: 'Earshot/1.0',
        transport: 'ws',
        contacts: 2,
      });
      const off = (await list('q=2003')).items[0];
      assert.ok(off);
      assert.deepEqual([off.status, off.registration.registered], ['disabled', false]);
      const rows = await h.database.db.kysely
        .selectFrom('extensions')
        .select(['ha1', 'ha1b', 'secret_enc'])
        .execute();
      const body = JSON.stringify(await list('pageSize=500'));
      for (const secret of [PASSWORD_1001, ...rows.flatMap((r) => [r.ha1, r.ha1b, r.secret_enc])])
        assert.ok(!body.includes(secret), 'a secret is in the list');
    });

    test('Kamailio down: rows say registration unknown, never "not registered", and name the node', async () => {
      h.registrar.down = true;
      const page = await list('q=200').finally(() => (h.registrar.down = false));
      assert.deepEqual(page.unavailableNodes, ['test-node']);
      assert.ok(page.items.length >= 3);
      for (const row of page.items) {
        assert.deepEqual([row.registration.status, row.registration.registered], ['unknown', null]);
        assert.equal(
          row.registration.message,
          `The phone server (node test-node) did not answer, so whether extension ${row.number} is registered is unknown right now.`,
        );
      }
      const one = await call(h, 'GET', `${EXTENSIONS}/2002`, viewer);
      h.registrar.down = false;
      assert.equal(one.statusCode, 200);
      assert.deepEqual(one.json<AdminExtension>().registration.registered, true, 'known again once up');
    });

    test('one node of two silent: a device found elsewhere is registered, no device is unknown', async () => {
      h.registrar.silentNodes = ['kam-b'];
      const page = await list('q=200').finally(() => (h.registrar.silentNodes = []));
      const state = (number: string) => page.items.find((row) => row.number === number)?.registration.status;
      assert.deepEqual([state('2001'), state('2002')], ['unknown', 'registered']);
      assert.deepEqual(page.unavailableNodes, ['kam-b']);
    });

    test('the registered filter answers 503 in plain words while a node does not answer', async () => {
      for (const silence of [() => (h.registrar.down = true), () => (h.registrar.silentNodes = ['kam-b'])]) {
        silence();
        const answers = await Promise.all(
          ['registered=true', 'registered=false'].map((query) =>
            call(h, 'GET', `${EXTENSIONS}?${query}`, viewer),
          ),
        ).finally(() => {
          h.registrar.down = false;
          h.registrar.silentNodes = [];
        });
        for (const res of answers) {
          assert.equal(res.statusCode, 503);
          const body = res.json<{ error: string; message: string }>();
          assert.equal(body.error, 'registration-unknown');
          assert.match(
            body.message,
            /^The phone server \(node (test-node|kam-b)\) did not answer, so which extensions are registered cannot be told right now\./,
          );
        }
      }
      assert.equal((await call(h, 'GET', `${EXTENSIONS}?registered=true`, viewer)).statusCode, 200);
    });

    test('bad query parameters are 400 naming the parameter', async () => {
      for (const [query, field] of [
        ['page=0', 'page'],
        ['pageSize=501', 'pageSize'],
        ['sort=password', 'sort'],
        ['order=up', 'order'],
        ['enabled=yes', 'enabled'],
        ['registered=1', 'registered'],
      ]) {
        const res = await call(h, 'GET', `${EXTENSIONS}?${query}`, viewer);
        assert.equal(res.statusCode, 400, query);
        assert.equal(res.json<{ field: string }>().field, field);
      }
    });
  });

  describe(`admin extension read and create on ${engine}`, () => {
    let h: ApiHarness;
    let admin: Headers;
    let viewer: Headers;
    const create = (payload: object, headers = admin) => call(h, 'POST', EXTENSIONS, headers, payload);
    const created: string[] = [];

    before(async () => {
      h = await startApi(engine);
      admin = await loginAdmin(h, await createTestAdmin(h, 'admin', 'carol'));
      viewer = await adminHeaders(h, 'viewer');
    });
    after(() => h.close());

    test('GET one answers the row with its ETag; unknown or malformed numbers are 404', async () => {
      h.registrar.registrations.set('1001', [registration({ node: 'kam-z', clientIp: '203.0.113.5' })]);
      const { etag, body } = await readOne(h, '1001', viewer);
      assert.equal(etag, '"1"');
      assert.equal(body.etag, etag);
      assert.equal(body.manualDialing, true);
      assert.deepEqual([body.registration.node, body.registration.clientIp], ['kam-z', '203.0.113.5']);
      for (const number of ['9999', '12', 'abcd', '123456789'])
        assert.equal((await call(h, 'GET', `${EXTENSIONS}/${number}`, viewer)).statusCode, 404, number);
    });

    test('creates with every setting stored; without a password one is generated and returned once', async () => {
      h.clock.advance(3600);
      const res = await create({
        number: '3001',
        name: 'Nina Night',
        enabled: false,
        manualDialing: true,
        callRecording: true,
        callLimit: 7,
        allowedIps: ['10.0.0.0/8', '192.0.2.7', '2001:DB8::1'],
        forwarding: '+15550100',
        dnd: true,
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.equal(res.headers.etag, '"1"');
      const { extension, password } = res.json<{ extension: AdminExtension; password: string }>();
      created.push(password);
      assert.deepEqual(checkPassword(password, '3001'), { ok: true });
      assert.equal(extension.createdAt, h.clock.now().toISOString());
      const { body } = await readOne(h, '3001', admin);
      assert.deepEqual(
        [body.enabled, body.manualDialing, body.callRecording, body.callLimit, body.forwarding, body.dnd],
        [false, true, true, 7, '+15550100', true],
      );
      assert.deepEqual(body.allowedIps, ['10.0.0.0/8', '192.0.2.7/32', '2001:db8::1/128']);
      assert.equal(body.password, PASSWORD_MASK);
      const row = await assertAudited(h, 'extension.create', '3001', 'carol');
      assert.equal(row.details.passwordGenerated, true);
      const again = await call(h, 'GET', `${EXTENSIONS}/3001`, admin);
      assert.ok(!again.body.includes(password), 'the generated password is shown only once');
    });

    test('a chosen password is stored, not echoed, and lets the agent log in', async () => {
      const chosen = 'amber-otter-riverbank-52';
      created.push(chosen);
      const res = await create({ number: '30020', name: 'Omar' });
      assert.equal(res.statusCode, 201);
      const mine = await create({ number: '3003', name: 'Pia', password: chosen });
      assert.equal(mine.statusCode, 201, mine.body);
      assert.equal(mine.json<{ password?: string }>().password, undefined);
      assert.ok(!mine.body.includes(chosen));
      await loginAs(h, '3003', chosen);
      const row = await assertAudited(h, 'extension.create', '3003', 'carol');
      assert.equal(row.details.passwordGenerated, false);
    });

    test('a taken number is 409 and changes nothing', async () => {
      const res = await create({ number: '1001', name: 'Impostor' });
      assert.equal(res.statusCode, 409);
      assert.equal(res.json<{ error: string }>().error, 'extension-exists');
      assert.equal((await readOne(h, '1001', admin)).body.name, 'Ada Agent');
    });

    const BAD: [string, object, string][] = [
      ['3-digit number', { number: '300', name: 'X' }, 'number'],
      ['9-digit number', { number: '300000000', name: 'X' }, 'number'],
      ['number with letters', { number: '30a1', name: 'X' }, 'number'],
      ['number as a JSON number', { number: 3005, name: 'X' }, 'number'],
      ['missing name', { number: '3005' }, 'name'],
      ['blank name', { number: '3005', name: '   ' }, 'name'],
      ['bad CIDR', { number: '3005', name: 'X', allowedIps: ['10.0.0.0/33'] }, 'allowedIps.0'],
      ['not an IP', { number: '3005', name: 'X', allowedIps: ['10.0.0.1', 'intranet'] }, 'allowedIps.1'],
      ['forwarding with letters', { number: '3005', name: 'X', forwarding: 'reception' }, 'forwarding'],
      ['forwarding to itself', { number: '3005', name: 'X', forwarding: '3005' }, 'forwarding'],
      ['call limit 0', { number: '3005', name: 'X', callLimit: 0 }, 'callLimit'],
      ['call limit 101', { number: '3005', name: 'X', callLimit: 101 }, 'callLimit'],
      ['call limit 1.5', { number: '3005', name: 'X', callLimit: 1.5 }, 'callLimit'],
      ['enabled as text', { number: '3005', name: 'X', enabled: 'yes' }, 'enabled'],
      ['weak password', { number: '3005', name: 'X', password: 'short' }, 'password'],
    ];
    for (const [name, payload, field] of BAD)
      test(`create refuses ${name} with 400 naming ${field}`, async () => {
        const res = await create(payload);
        assert.equal(res.statusCode, 400, res.body);
        const body = res.json<{ field: string; message: string }>();
        assert.equal(body.field, field);
        assert.ok(body.message.length > 0 && !/Error|at \w+ \(/.test(body.message), body.message);
        // Plain words, never the field path or the camelCase key (`allowedIps.0`, `callLimit`).
        assert.doesNotMatch(body.message, /\b[a-z]+[A-Z]\w*|[a-zA-Z]\.\d/, body.message);
        assert.equal((await call(h, 'GET', `${EXTENSIONS}/3005`, admin)).statusCode, 404);
      });

    test('a weak chosen password names the rule; viewers and agents cannot create', async () => {
      const weak = await create({ number: '3005', name: 'X', password: 'my-3005-is-the-best-one' });
      assert.equal(weak.json<{ rule: string }>().rule, 'contains-extension');
      assert.equal((await create({ number: '3006', name: 'V' }, viewer)).statusCode, 403);
      const agent = await loginAs(h, '1001', PASSWORD_1001);
      assert.equal((await create({ number: '3006', name: 'A' }, agent)).statusCode, 403);
      assert.equal((await call(h, 'GET', `${EXTENSIONS}/3006`, admin)).statusCode, 404);
    });

    test('no secret reached the audit log or the logs', async () => {
      await assertNoSecretLeaked(h, [PASSWORD_1001, ...created]);
    });
  });
}
