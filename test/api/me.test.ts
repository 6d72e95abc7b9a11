import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { MeResponse } from '../../server/api/schemas.ts';
import { ENGINES } from '../support/databases.ts';
import { loginAs, PASSWORD_1001, startApi, type ApiHarness } from '../support/api-harness.ts';

const DEVICE = {
  node: 'test-node',
  contact: 'sip:1001@192.0.2.10:51234;transport=ws',
  registeredAt: '2026-11-23T08:00:00.000Z',
  expiresAt: '2026-11-23T08:05:00.000Z',
  clientIp: '192.0.2.10',
  clientPort: 51234,
  transport: 'ws',
  userAgent: 'Earshot/0.1 (JsSIP)',
  instance: null,
};

for (const engine of ENGINES) {
  describe(`GET /api/v1/me on ${engine}`, () => {
    let h: ApiHarness;
    let headers: { authorization: string };
    before(async () => {
      h = await startApi(engine);
      headers = await loginAs(h, '1001', PASSWORD_1001);
    });
    after(() => h.close());

    test('returns the extension settings and every registered device', async () => {
      h.registrar.registrations.set('1001', [
        DEVICE,
        { ...DEVICE, clientIp: '192.0.2.11', userAgent: 'Desk phone' },
      ]);
      const res = await h.app.inject({ url: '/api/v1/me', headers });
      assert.equal(res.statusCode, 200);
      const me = res.json<MeResponse>();
      assert.deepEqual(
        { ...me.extension, passwordChangedAt: typeof me.extension.passwordChangedAt },
        {
          number: '1001',
          name: 'Ada Agent',
          enabled: true,
          manualDialing: true,
          callRecording: false,
          passwordChangedAt: 'string',
        },
      );
      assert.equal(me.registration.status, 'registered');
      assert.deepEqual(
        me.registration.devices.map((d) => [d.node, d.clientIp, d.clientName, d.registeredAt]),
        [
          ['test-node', '192.0.2.10', 'Earshot/0.1 (JsSIP)', '2026-11-23T08:00:00.000Z'],
          ['test-node', '192.0.2.11', 'Desk phone', '2026-11-23T08:00:00.000Z'],
        ],
      );
    });

    test('says unregistered when no device is bound', async () => {
      h.registrar.registrations.clear();
      const me = (await h.app.inject({ url: '/api/v1/me', headers })).json<MeResponse>();
      assert.deepEqual(me.registration, {
        status: 'unregistered',
        registered: false,
        devices: [],
        unavailableNodes: [],
      });
    });

    test('stays 200 with an unknown registration when Kamailio does not answer', async () => {
      h.registrar.down = true;
      const res = await h.app.inject({ url: '/api/v1/me', headers });
      h.registrar.down = false;
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json<MeResponse>().registration, {
        status: 'unknown',
        registered: null,
        message:
          'The phone server (node test-node) did not answer, so whether you are registered is unknown right now.',
        devices: [],
        unavailableNodes: ['test-node'],
      });
    });

    test('one node of two silent: unknown without a device, registered with one elsewhere', async () => {
      h.registrar.silentNodes = ['kam-b'];
      const read = async () =>
        (await h.app.inject({ url: '/api/v1/me', headers })).json<MeResponse>().registration;
      const unknown = await read();
      h.registrar.registrations.set('1001', [DEVICE]);
      const registered = await read().finally(() => {
        h.registrar.silentNodes = [];
        h.registrar.registrations.delete('1001');
      });
      assert.deepEqual([unknown.status, unknown.registered], ['unknown', null]);
      assert.deepEqual([registered.status, registered.registered], ['registered', true]);
      assert.deepEqual(registered.unavailableNodes, ['kam-b']);
    });

    test('refuses a session once the extension is disabled', async () => {
      await h.database.db.kysely
        .updateTable('extensions')
        .set({ enabled: 0 })
        .where('number', '=', '1001')
        .execute();
      const res = await h.app.inject({ url: '/api/v1/me', headers });
      await h.database.db.kysely
        .updateTable('extensions')
        .set({ enabled: 1 })
        .where('number', '=', '1001')
        .execute();
      assert.equal(res.statusCode, 403);
      assert.equal(res.json<{ error: string }>().error, 'extension-disabled');
    });
  });
}
