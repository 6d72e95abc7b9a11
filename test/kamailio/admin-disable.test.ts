// The admin API with the real Kamailio: disabling or deleting an extension through the API removes
// its contacts from Kamailio within a second (UDP and WebSocket) and Kamailio refuses it from then on.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/api/app.ts';
import type { AdminExtension } from '../../server/api/routes/admin/schemas.ts';
import { loadConfig } from '../../server/config.ts';
import { KamailioRegistrarClient } from '../../server/kamailio/registrar-client.ts';
import { adminHeaders } from '../support/api-harness.ts';
import { ENGINES } from '../support/databases.ts';
import { startKamailio, TEST_REALM, type KamailioHarness } from '../support/kamailio-harness.ts';
import { seedExtensions, udpAgent, wsAgent } from '../support/sip-agents.ts';
import type { SipClient } from '../support/sip-client.ts';

const EXTENSIONS = '/api/v1/admin/extensions';
const UA = 'Earshot-Admin-Test/1.0';

for (const engine of ENGINES)
  describe(`admin API disabling and deleting with the real Kamailio (${engine})`, () => {
    let h: KamailioHarness;
    let app: FastifyInstance;
    let registrar: KamailioRegistrarClient;
    let admin: { authorization: string };
    const clients: SipClient[] = [];

    before(async () => {
      h = await startKamailio({ engine, nodeName: 'kam-admin' });
      await seedExtensions(h, [{ number: '5001' }, { number: '5002' }, { number: '5003' }]);
      const config = loadConfig({
        EARSHOT_SIP_REALM: TEST_REALM,
        EARSHOT_KAMAILIO_NODES: `kam-admin=${h.rpcUrl}`,
        EARSHOT_LOG_LEVEL: 'silent',
      });
      registrar = new KamailioRegistrarClient(config.kamailioNodes);
      app = await buildApp({ config, db: h.database.db, registrar, box: h.credentials.box });
      admin = await adminHeaders({ app, database: h.database }, 'admin');
    });

    after(async () => {
      await Promise.all(clients.map((c) => c.close()));
      await app.close();
      await h.stop();
    });

    const registerUdp = async (number: string) => {
      const client = await udpAgent(h, number, { userAgent: UA });
      clients.push(client);
      return (await client.register()).status;
    };

    const registerWs = async (number: string) => {
      const agent = await wsAgent(h, number, { userAgent: UA });
      clients.push(agent.client);
      assert.equal((await agent.client.register()).status, 200);
      return agent.transport;
    };

    /** The contacts Kamailio holds for `number`, from its JSON-RPC. */
    const contacts = async (number: string) => (await registrar.lookup(number)).registrations;

    /** Runs the admin call and measures how long until Kamailio holds no contact for `number`. */
    const goneWithin = async (number: string, action: () => Promise<number>) => {
      const started = Date.now();
      assert.ok([200, 204].includes(await action()));
      while ((await contacts(number)).length > 0 && Date.now() - started < 2000)
        await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(await contacts(number), []);
      return Date.now() - started;
    };

    const post = async (url: string) =>
      (await app.inject({ method: 'POST', url, headers: admin })).statusCode;

    test('the admin list shows the live registrations Kamailio holds (ul.dump)', async () => {
      assert.equal(await registerUdp('5001'), 200);
      await registerWs('5001');
      const res = await app.inject({ url: `${EXTENSIONS}?q=5001`, headers: admin });
      const row = res.json<{ items: AdminExtension[]; unavailableNodes: string[] }>();
      assert.deepEqual(row.unavailableNodes, []);
      const registration = row.items[0]?.registration;
      assert.ok(registration);
      assert.deepEqual(
        [registration.registered, registration.node, registration.clientIp, registration.clientName],
        [true, 'kam-admin', '127.0.0.1', UA],
      );
      assert.equal(registration.contacts, 2);
    });

    test('disabling removes the UDP and WebSocket contacts within a second; a new REGISTER gets 403', async () => {
      assert.equal((await contacts('5001')).length, 2);
      const transport = await registerWs('5001');
      const elapsed = await goneWithin('5001', () => post(`${EXTENSIONS}/5001/disable`));
      assert.ok(elapsed < 1000, `contacts removed after ${elapsed} ms`);
      const closed = await Promise.race([transport.closed.then(() => 'closed'), delay(1000, 'open')]);
      assert.equal(closed, 'closed', 'the WebSocket was closed');
      const refused = await udpAgent(h, '5001');
      clients.push(refused);
      const result = await refused.register();
      assert.deepEqual([result.status, result.reason], [403, 'Extension disabled']);
    });

    test('enabling again lets the extension register', async () => {
      assert.equal(await post(`${EXTENSIONS}/5001/enable`), 200);
      assert.equal(await registerUdp('5001'), 200);
    });

    test('PATCH enabled=false with If-Match kicks the contacts too', async () => {
      assert.equal(await registerUdp('5002'), 200);
      const etag = String((await app.inject({ url: `${EXTENSIONS}/5002`, headers: admin })).headers.etag);
      const elapsed = await goneWithin('5002', async () => {
        const res = await app.inject({
          method: 'PATCH',
          url: `${EXTENSIONS}/5002`,
          headers: { ...admin, 'if-match': etag },
          payload: { enabled: false },
        });
        return res.statusCode;
      });
      assert.ok(elapsed < 1000, `contacts removed after ${elapsed} ms`);
      assert.equal(await registerUdp('5002'), 403);
    });

    test('deleting kicks the contacts within a second and Kamailio no longer accepts the extension', async () => {
      assert.equal(await registerUdp('5003'), 200);
      const transport = await registerWs('5003');
      const elapsed = await goneWithin('5003', async () => {
        const res = await app.inject({ method: 'DELETE', url: `${EXTENSIONS}/5003`, headers: admin });
        return res.statusCode;
      });
      assert.ok(elapsed < 1000, `contacts removed after ${elapsed} ms`);
      assert.equal(
        await Promise.race([transport.closed.then(() => 'closed'), delay(1000, 'open')]),
        'closed',
      );
      // An unknown extension is challenged like a wrong password: nothing tells a scanner it existed.
      assert.equal(await registerUdp('5003'), 401);
    });
  });

function delay<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}
