// The account service and the real Kamailio together: live registration in /me, password change
// and disabling take effect in the SIP path at once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/api/app.ts';
import type { MeResponse } from '../../server/api/schemas.ts';
import { loadConfig } from '../../server/config.ts';
import { setExtensionEnabled } from '../../server/extensions/status.ts';
import { KamailioRegistrarClient } from '../../server/kamailio/registrar-client.ts';
import { startKamailio, TEST_REALM, type KamailioHarness } from '../support/kamailio-harness.ts';
import { seedExtensions, udpAgent, wsAgent } from '../support/sip-agents.ts';
import type { SipClient } from '../support/sip-client.ts';

const UA = 'Earshot-Integration/1.0';

describe('account service with the real Kamailio (SQLite)', () => {
  let h: KamailioHarness;
  let app: FastifyInstance;
  let registrar: KamailioRegistrarClient;
  const clients: SipClient[] = [];

  before(async () => {
    h = await startKamailio({ nodeName: 'kam-int' });
    await seedExtensions(h, [{ number: '4001' }, { number: '4002' }]);
    const config = loadConfig({
      EARSHOT_SIP_REALM: TEST_REALM,
      EARSHOT_KAMAILIO_NODES: `kam-int=${h.rpcUrl}`,
      EARSHOT_LOG_LEVEL: 'silent',
    });
    registrar = new KamailioRegistrarClient(config.kamailioNodes);
    app = await buildApp({ config, db: h.database.db, registrar, box: h.credentials.box });
  });

  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await app.close();
    await h.stop();
  });

  const apiLogin = async (number: string, password: string) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/sessions',
      payload: { extension: number, password },
    });
    assert.equal(res.statusCode, 201, res.body);
    return { authorization: `Bearer ${res.json<{ token: string }>().token}` };
  };

  test('/me shows the live registration: node, client IP, client name, since when', async () => {
    const { client } = await wsAgent(h, '4001', { userAgent: UA });
    clients.push(client);
    assert.equal((await client.register()).status, 200);
    const me = (
      await app.inject({ url: '/api/v1/me', headers: await apiLogin('4001', 'pw-4001') })
    ).json<MeResponse>();
    assert.equal(me.registration.status, 'registered');
    const device = me.registration.devices[0];
    assert.ok(device, 'one device is listed');
    assert.equal(device.node, 'kam-int');
    assert.equal(device.clientIp, '127.0.0.1');
    assert.equal(device.clientName, UA);
    assert.equal(device.transport, 'ws');
    assert.ok(device.registeredAt && Math.abs(Date.parse(device.registeredAt) - Date.now()) < 60_000);
  });

  test('a password changed through the API: old refused by Kamailio at once, new accepted, devices kicked', async () => {
    const { client, transport } = await wsAgent(h, '4002', { userAgent: UA });
    clients.push(client);
    assert.equal((await client.register()).status, 200);
    const headers = await apiLogin('4002', 'pw-4002');
    const res = await app.inject({
      method: 'PUT',
      url: '/api/v1/me/password',
      headers,
      payload: { currentPassword: 'pw-4002', newPassword: 'granite-swallow-evening-31' },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json<{ kicked: boolean }>().kicked, true);
    assert.ok(
      (await Promise.race([transport.closed, new Promise((r) => setTimeout(() => r('open'), 2000))])) !==
        'open',
    );
    assert.deepEqual((await registrar.lookup('4002')).registrations, []);
    const old = await udpAgent(h, '4002', { password: 'pw-4002' });
    clients.push(old);
    assert.equal((await old.register()).status, 401);
    const fresh = await udpAgent(h, '4002', { password: 'granite-swallow-evening-31' });
    clients.push(fresh);
    assert.equal((await fresh.register()).status, 200);
  });

  test('disabling kicks the registration within a second and Kamailio refuses it from then on', async () => {
    const { client, transport } = await wsAgent(h, '4001', { userAgent: UA });
    clients.push(client);
    assert.equal((await client.register()).status, 200);
    const started = Date.now();
    const disabled = await setExtensionEnabled(h.database.db.kysely, registrar, '4001', false);
    assert.equal(disabled?.disconnect.kick?.delivered, true);
    await transport.closedWithin(5000);
    assert.ok(Date.now() - started < 1000, 'kicked within a second');
    assert.deepEqual((await registrar.lookup('4001')).registrations, []);
    const again = await udpAgent(h, '4001');
    clients.push(again);
    const refused = await again.register();
    assert.equal(refused.status, 403);
    assert.equal(refused.reason, 'Extension disabled');
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/sessions',
      payload: { extension: '4001', password: 'pw-4001' },
    });
    assert.equal(login.statusCode, 403);
  });
});
