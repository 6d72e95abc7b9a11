// Admin API, changing extensions: PATCH with If-Match (428, 412 with the current row, racing
// admins), enable/disable/delete kicking registrations, and the SIP secret (reveal, regenerate, set).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AdminExtension } from '../../server/api/routes/admin/schemas.ts';
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
  PASSWORD_1002,
  startApi,
  type ApiHarness,
} from '../support/api-harness.ts';
import { ENGINES } from '../support/databases.ts';

const JSON_TYPE = { 'content-type': 'application/json' };

for (const engine of ENGINES) {
  describe(`admin extension changes on ${engine}`, () => {
    let h: ApiHarness;
    let ann: Headers;
    let ben: Headers;
    let viewer: Headers;
    const patch = (number: string, payload: object | string, headers: Headers) =>
      call(h, 'PATCH', `${EXTENSIONS}/${number}`, { ...JSON_TYPE, ...headers }, payload);
    const create = async (number: string) =>
      assert.equal((await call(h, 'POST', EXTENSIONS, ann, { number, name: `N ${number}` })).statusCode, 201);

    before(async () => {
      h = await startApi(engine);
      ann = await loginAdmin(h, await createTestAdmin(h, 'admin', 'ann'));
      ben = await loginAdmin(h, await createTestAdmin(h, 'admin', 'ben'));
      viewer = await adminHeaders(h, 'viewer');
    });
    after(() => h.close());

    test('PATCH without If-Match is 428 and changes nothing', async () => {
      const res = await patch('1002', { name: 'Nobody' }, ann);
      assert.equal(res.statusCode, 428);
      assert.match(res.json<{ message: string }>().message, /If-Match/);
      assert.equal((await readOne(h, '1002', ann)).body.name, 'Bob Agent');
    });

    test('PATCH with the current ETag changes every field and answers a new ETag', async () => {
      const { etag } = await readOne(h, '1002', ann);
      const changes = {
        name: 'Bob Builder',
        manualDialing: true,
        callRecording: true,
        callLimit: 4,
        allowedIps: ['192.0.2.0/24', '198.51.100.9'],
        forwarding: '1001',
        dnd: true,
      };
      const res = await patch('1002', changes, { ...ann, 'if-match': etag });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json<AdminExtension>();
      assert.notEqual(res.headers.etag, etag);
      assert.equal(body.etag, res.headers.etag);
      assert.deepEqual(
        [body.name, body.manualDialing, body.callRecording, body.callLimit, body.forwarding, body.dnd],
        ['Bob Builder', true, true, 4, '1001', true],
      );
      assert.deepEqual(body.allowedIps, ['192.0.2.0/24', '198.51.100.9/32']);
      // New allowed IPs kick the devices to register again: the answer says how that went.
      const { kick, ...row } = body as AdminExtension & { kick?: { delivered: boolean } };
      assert.equal(kick?.delivered, true);
      assert.deepEqual((await readOne(h, '1002', viewer)).body, row);
      const audit = await assertAudited(h, 'extension.update', '1002', 'ann');
      assert.equal(audit.details.name, 'Bob Builder');
    });

    test('PATCH with a stale ETag is 412 with the current row, and overwrites nothing', async () => {
      const { etag } = await readOne(h, '1002', ann);
      assert.equal((await patch('1002', { dnd: false }, { ...ann, 'if-match': etag })).statusCode, 200);
      const stale = await patch('1002', { name: 'Stale Write' }, { ...ben, 'if-match': etag });
      assert.equal(stale.statusCode, 412);
      const { current, error } = stale.json<{ current: AdminExtension; error: string }>();
      assert.equal(error, 'conflict');
      assert.deepEqual(current, (await readOne(h, '1002', ann)).body);
      assert.equal(current.name, 'Bob Builder');
      assert.equal(current.dnd, false);
      for (const header of ['"abc"', '*', 'W/"x"'])
        assert.equal((await patch('1002', { dnd: true }, { ...ann, 'if-match': header })).statusCode, 412);
    });

    test('two admins racing with the same ETag: one wins, the other gets 412', async () => {
      await create('4100');
      for (let round = 0; round < 5; round += 1) {
        const { etag } = await readOne(h, '4100', ann);
        const [a, b] = await Promise.all([
          patch('4100', { name: `Ann ${round}` }, { ...ann, 'if-match': etag }),
          patch('4100', { name: `Ben ${round}` }, { ...ben, 'if-match': etag }),
        ]);
        assert.deepEqual([a.statusCode, b.statusCode].sort(), [200, 412], `round ${round}`);
        const winner = a.statusCode === 200 ? `Ann ${round}` : `Ben ${round}`;
        const loser = a.statusCode === 200 ? b : a;
        assert.equal((await readOne(h, '4100', ann)).body.name, winner);
        assert.equal(loser.json<{ current: AdminExtension }>().current.name, winner);
      }
    });

    const MALFORMED: [string, object | string, RegExp][] = [
      ['name of the wrong type', { name: 42 }, /^name/],
      ['blank name', { name: ' ' }, /^name/],
      ['callLimit as text', { callLimit: '3' }, /^callLimit/],
      ['callLimit too high', { callLimit: 1000 }, /^callLimit/],
      ['enabled as text', { enabled: 'no' }, /^enabled/],
      ['bad CIDR', { allowedIps: ['10.0.0.0/40'] }, /^allowedIps/],
      ['allowedIps not a list', { allowedIps: '10.0.0.1' }, /^allowedIps/],
      ['forwarding to letters', { forwarding: 'desk' }, /^forwarding/],
      ['forwarding to itself', { forwarding: '1001' }, /^forwarding/],
      ['an unknown field', { secret: 'x' }, /secret/],
      ['invalid JSON', '{"name": ', /not valid JSON/],
      ['a JSON array', '[1]', /JSON object/],
    ];
    for (const [name, payload, expected] of MALFORMED)
      test(`PATCH with ${name} is 400 naming the field`, async () => {
        const { etag } = await readOne(h, '1001', ann);
        const res = await patch('1001', payload, { ...ann, 'if-match': etag });
        assert.equal(res.statusCode, 400, res.body);
        const body = res.json<{ field?: string; message: string }>();
        assert.match(`${body.field ?? ''} ${body.message}`.trim(), expected);
        assert.equal((await readOne(h, '1001', ann)).etag, etag, 'nothing changed');
      });

    test('disable kicks the registrations and the agent sessions; enable lets them back', async () => {
      h.registrar.registrations.set('1001', [registration()]);
      h.registrar.kicked = [];
      const agent = await loginAs(h, '1001', PASSWORD_1001);
      const res = await call(h, 'POST', `${EXTENSIONS}/1001/disable`, ann);
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(
        [res.json<AdminExtension>().status, res.json<AdminExtension>().registration.registered],
        ['disabled', false],
      );
      assert.deepEqual(h.registrar.kicked, ['1001']);
      assert.equal((await h.app.inject({ url: '/api/v1/me', headers: agent })).statusCode, 401);
      const audit = await assertAudited(h, 'extension.disable', '1001', 'ann');
      assert.deepEqual([audit.details.kicked, audit.details.sessionsRevoked], [true, 1]);
      const enabled = await call(h, 'POST', `${EXTENSIONS}/1001/enable`, ann);
      assert.equal(enabled.json<AdminExtension>().status, 'enabled');
      assert.deepEqual(h.registrar.kicked, ['1001'], 'enabling kicks nobody');
      await assertAudited(h, 'extension.enable', '1001', 'ann');
      await loginAs(h, '1001', PASSWORD_1001);
    });

    test('PATCH enabled=false kicks too; Kamailio down still disables and says so in the audit', async () => {
      await create('4200');
      await create('4201');
      h.registrar.kicked = [];
      const { etag } = await readOne(h, '4200', ann);
      assert.equal((await patch('4200', { enabled: false }, { ...ann, 'if-match': etag })).statusCode, 200);
      assert.deepEqual(h.registrar.kicked, ['4200']);
      h.registrar.down = true;
      const res = await call(h, 'POST', `${EXTENSIONS}/4201/disable`, ann).finally(
        () => (h.registrar.down = false),
      );
      assert.equal(res.statusCode, 200);
      assert.equal(res.json<AdminExtension>().enabled, false);
      assert.equal((await assertAudited(h, 'extension.disable', '4201', 'ann')).details.kicked, false);
    });

    test('DELETE kicks, ends sessions, answers 204, and the extension is gone; stale If-Match is 412', async () => {
      await create('4300');
      const { etag } = await readOne(h, '4300', ann);
      await patch('4300', { dnd: true }, { ...ann, 'if-match': etag });
      const stale = await call(h, 'DELETE', `${EXTENSIONS}/4300`, { ...ann, 'if-match': etag });
      assert.equal(stale.statusCode, 412);
      h.registrar.registrations.set('4300', [registration()]);
      h.registrar.kicked = [];
      const res = await call(h, 'DELETE', `${EXTENSIONS}/4300`, ann);
      assert.equal(res.statusCode, 204);
      assert.deepEqual(h.registrar.kicked, ['4300']);
      assert.equal((await call(h, 'GET', `${EXTENSIONS}/4300`, ann)).statusCode, 404);
      const audit = await assertAudited(h, 'extension.delete', '4300', 'ann');
      assert.equal(audit.details.kicked, true);
    });

    test('unknown extensions are 404 for every change; viewers get 403', async () => {
      const ifMatch = { 'if-match': '"1"' };
      for (const [method, url, payload] of [
        ['PATCH', `${EXTENSIONS}/9999`, { dnd: true }],
        ['POST', `${EXTENSIONS}/9999/enable`, undefined],
        ['POST', `${EXTENSIONS}/9999/disable`, undefined],
        ['DELETE', `${EXTENSIONS}/9999`, undefined],
        ['POST', `${EXTENSIONS}/9999/secret/reveal`, undefined],
        ['POST', `${EXTENSIONS}/9999/secret/regenerate`, undefined],
        ['PUT', `${EXTENSIONS}/9999/secret`, { password: 'walnut-canyon-meadow-61' }],
      ] as const) {
        const res = await call(h, method, url, { ...ann, ...ifMatch }, payload);
        assert.equal(res.statusCode, 404, `${method} ${url}`);
        const denied = await call(h, method, url.replace('9999', '1002'), { ...viewer, ...ifMatch }, payload);
        assert.equal(denied.statusCode, 403, `viewer ${method} ${url}`);
      }
      assert.equal(h.registrar.kicked.includes('9999'), false);
    });
  });

  describe(`admin extension secrets on ${engine}`, () => {
    let h: ApiHarness;
    let ann: Headers;
    const secrets = [PASSWORD_1001, PASSWORD_1002];
    const agentLogin = (extension: string, password: string) =>
      h.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { extension, password } });
    const setSecret = (number: string, password: string) =>
      call(h, 'PUT', `${EXTENSIONS}/${number}/secret`, ann, { password });

    before(async () => {
      h = await startApi(engine);
      ann = await loginAdmin(h, await createTestAdmin(h, 'admin', 'ann'));
    });
    after(() => h.close());

    test('reveal is for admins only, not cached, and audited without the secret', async () => {
      const viewer = await adminHeaders(h, 'viewer');
      assert.equal((await call(h, 'POST', `${EXTENSIONS}/1001/secret/reveal`, viewer)).statusCode, 403);
      const agent = await loginAs(h, '1001', PASSWORD_1001);
      assert.equal((await call(h, 'POST', `${EXTENSIONS}/1001/secret/reveal`, agent)).statusCode, 403);
      const res = await call(h, 'POST', `${EXTENSIONS}/1001/secret/reveal`, ann);
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.deepEqual(res.json(), { password: PASSWORD_1001 });
      await assertAudited(h, 'extension.secret.reveal', '1001', 'ann');
    });

    test('regenerate: high entropy, old password stops working, new one works, devices kicked', async () => {
      h.registrar.kicked = [];
      const { etag } = await readOne(h, '1002', ann);
      const first = await call(h, 'POST', `${EXTENSIONS}/1002/secret/regenerate`, ann);
      assert.equal(first.statusCode, 200);
      assert.equal(first.headers['cache-control'], 'no-store');
      const { password } = first.json<{ password: string }>();
      secrets.push(password);
      assert.match(password, /^([A-Za-z2-9]{5}-){3}[A-Za-z2-9]{5}$/);
      assert.deepEqual(checkPassword(password, '1002'), { ok: true });
      assert.equal((await agentLogin('1002', PASSWORD_1002)).statusCode, 401);
      await loginAs(h, '1002', password);
      assert.deepEqual(h.registrar.kicked, ['1002']);
      const now = (await readOne(h, '1002', ann)).etag;
      assert.notEqual(now, etag, 'a new secret is a new revision');
      assert.equal(first.headers.etag, now, 'the answer carries the new ETag for the next If-Match');
      const second = (await call(h, 'POST', `${EXTENSIONS}/1002/secret/regenerate`, ann)).json<{
        password: string;
      }>();
      secrets.push(second.password);
      assert.notEqual(second.password, password);
      assert.equal((await agentLogin('1002', password)).statusCode, 401);
      await assertAudited(h, 'extension.secret.regenerate', '1002', 'ann');
    });

    const WEAK: [string, string][] = [
      ['too-short', 'short-pass-14c'],
      ['contains-extension', 'my-extension-is-1001-ok'],
      ['trivial', 'abcdefghijklmnopq'],
      ['common', '1qaz2wsx3edc4rfv'],
      ['same-as-current', PASSWORD_1001],
    ];
    for (const [rule, candidate] of WEAK)
      test(`set refuses a password breaking ${rule} with 400 naming the rule`, async () => {
        const res = await setSecret('1001', candidate);
        assert.equal(res.statusCode, 400);
        const body = res.json<{ error: string; rule: string; field: string; message: string }>();
        assert.deepEqual([body.error, body.rule, body.field], ['weak-password', rule, 'password']);
        assert.ok(!body.message.includes(candidate));
        await loginAs(h, '1001', PASSWORD_1001);
      });

    test('set stores a chosen password: the agent logs in with it, not the old one', async () => {
      const chosen = 'harbour-lights-over-snow-19';
      secrets.push(chosen);
      const session = await loginAs(h, '1001', PASSWORD_1001);
      h.registrar.kicked = [];
      const stored = await setSecret('1001', chosen);
      assert.equal(stored.statusCode, 204);
      assert.equal(stored.headers.etag, (await readOne(h, '1001', ann)).etag, 'the new ETag comes back');
      assert.equal((await h.app.inject({ url: '/api/v1/me', headers: session })).statusCode, 401);
      assert.equal((await agentLogin('1001', PASSWORD_1001)).statusCode, 401);
      await loginAs(h, '1001', chosen);
      assert.deepEqual(h.registrar.kicked, ['1001']);
      const audit = await assertAudited(h, 'extension.secret.set', '1001', 'ann');
      assert.equal(audit.details.kicked, true);
      assert.ok(Number(audit.details.sessionsRevoked) >= 1);
      const bad = await call(h, 'PUT', `${EXTENSIONS}/1001/secret`, ann, { password: 42 });
      assert.equal(bad.json<{ field: string }>().field, 'password');
    });

    test('no secret reached the audit log or the logs', async () => {
      await assertNoSecretLeaked(h, secrets);
    });
  });
}
