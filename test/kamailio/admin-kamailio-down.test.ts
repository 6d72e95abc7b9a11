// The admin API and /me with a Kamailio that does not answer: frozen (SIGSTOP: its bindings
// survive) and killed (kill -9). Registration is "unknown", never "not registered"; the registered
// filter is 503; a disable answers 200 saying its kick could not be delivered, and the kick is
// retried until Kamailio answers again, so the disabled extension really loses its registration.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/api/app.ts';
import type { AdminExtension } from '../../server/api/routes/admin/schemas.ts';
import type { MeResponse } from '../../server/api/schemas.ts';
import { loadConfig } from '../../server/config.ts';
import type { KickReport } from '../../server/kamailio/kick-queue.ts';
import { KamailioRegistrarClient } from '../../server/kamailio/registrar-client.ts';
import { adminHeaders } from '../support/api-harness.ts';
import { startKamailio, TEST_REALM, type KamailioHarness } from '../support/kamailio-harness.ts';
import { seedExtensions, udpAgent, wsAgent } from '../support/sip-agents.ts';
import type { SipClient } from '../support/sip-client.ts';
import { until } from '../support/poll.ts';

const EXTENSIONS = '/api/v1/admin/extensions';
const NODE = 'kam-down';

describe('admin API and /me while Kamailio does not answer', { timeout: 120_000 }, () => {
  let h: KamailioHarness;
  let app: FastifyInstance;
  let registrar: KamailioRegistrarClient;
  let admin: { authorization: string };
  let frozen = false;
  const logs: string[] = [];
  const clients: SipClient[] = [];

  const get = (url: string, headers = admin) => app.inject({ url, headers });
  const disable = async (number: string) => {
    const res = await app.inject({ method: 'POST', url: `${EXTENSIONS}/${number}/disable`, headers: admin });
    assert.equal(res.statusCode, 200, res.body);
    return res.json<AdminExtension & { kick: KickReport }>();
  };
  const agentLogin = async (number: string) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/sessions',
      payload: { extension: number, password: `pw-${number}` },
    });
    assert.equal(res.statusCode, 201, res.body);
    return { authorization: `Bearer ${res.json<{ token: string }>().token}` };
  };
  const contacts = async (number: string) => (await registrar.lookup(number)).registrations.length;
  const signal = (name: NodeJS.Signals) => process.kill(-(h.kamailio.pid ?? 0), name);

  /** Everything a silent Kamailio must change in what the API says about `number`. */
  const assertUnknown = async (number: string, agent: { authorization: string }) => {
    const { registration } = (await get(`${EXTENSIONS}/${number}`)).json<AdminExtension>();
    assert.deepEqual([registration.status, registration.registered], ['unknown', null]);
    assert.match(
      registration.message ?? '',
      new RegExp(`^The phone server \\(node ${NODE}\\) did not answer`),
    );
    const list = (await get(`${EXTENSIONS}?q=${number}`)).json<{
      items: AdminExtension[];
      unavailableNodes: string[];
    }>();
    assert.deepEqual(list.unavailableNodes, [NODE]);
    assert.equal(list.items[0]?.registration.registered, null);
    const filtered = await get(`${EXTENSIONS}?registered=true`);
    assert.deepEqual(
      [filtered.statusCode, filtered.json<{ error: string }>().error],
      [503, 'registration-unknown'],
    );
    const me = (await get('/api/v1/me', agent)).json<MeResponse>().registration;
    assert.deepEqual([me.status, me.registered], ['unknown', null]);
    assert.ok(me.message);
  };

  before(async () => {
    h = await startKamailio({ nodeName: NODE });
    await seedExtensions(h, [{ number: '5101' }, { number: '5102' }, { number: '5103' }]);
    const config = loadConfig({
      EARSHOT_SIP_REALM: TEST_REALM,
      EARSHOT_KAMAILIO_NODES: `${NODE}=${h.rpcUrl}`,
      EARSHOT_LOG_LEVEL: 'info',
    });
    // A short RPC timeout, so a frozen node is found silent quickly; fast retries.
    registrar = new KamailioRegistrarClient(config.kamailioNodes, 400);
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(chunk.toString('utf8'));
        done();
      },
    });
    app = await buildApp({
      config,
      db: h.database.db,
      registrar,
      box: h.credentials.box,
      logStream,
      kickRetryDelaysMs: [200, 400, 800],
    });
    admin = await adminHeaders({ app, database: h.database }, 'admin');
  });

  after(async () => {
    if (frozen) signal('SIGCONT');
    await Promise.all(clients.map((c) => c.close()));
    await app.close();
    await h.stop();
  });

  test('frozen: registration unknown, and the disable is delivered once Kamailio answers again', async () => {
    const udp = await udpAgent(h, '5101');
    const ws = await wsAgent(h, '5101');
    clients.push(udp, ws.client);
    assert.equal((await udp.register()).status, 200);
    assert.equal((await ws.client.register()).status, 200);
    assert.equal(await contacts('5101'), 2);
    const agent = await agentLogin('5102');
    signal('SIGSTOP');
    frozen = true;
    await assertUnknown('5102', agent);
    const off = await disable('5101');
    assert.equal(off.enabled, false);
    assert.equal(off.kick.delivered, false);
    assert.deepEqual(off.kick.unreachableNodes, [NODE]);
    assert.match(off.kick.message, /could not be disconnected yet\. Earshot keeps trying/);
    signal('SIGCONT');
    frozen = false;
    // Nobody asks again: the retry removes both bindings and closes the WebSocket.
    await until(async () => (await contacts('5101')) === 0, 'the bindings of 5101 were removed', {
      timeoutMs: 15_000,
    });
    await ws.transport.closedWithin(5000);
    assert.ok(logs.some((line) => line.includes('disconnected the devices of an extension after retrying')));
    const back = { body: (await get(`${EXTENSIONS}/5102`)).json<AdminExtension>() };
    assert.deepEqual(
      [back.body.registration.status, back.body.registration.registered],
      ['unregistered', false],
    );
  });

  test('killed: registration unknown, the disable says its kick was not delivered', async () => {
    const agent = await agentLogin('5102');
    signal('SIGKILL');
    await h.kamailio.stop();
    await assertUnknown('5102', agent);
    const off = await disable('5103');
    assert.deepEqual([off.enabled, off.kick.delivered], [false, false]);
    const retried = logs.length;
    await h.kamailio.start();
    await until(
      () => logs.slice(retried).some((line) => line.includes('after retrying')),
      'the kick of 5103 was retried once Kamailio was back',
      { timeoutMs: 15_000 },
    );
    const refused = await udpAgent(h, '5103');
    clients.push(refused);
    assert.equal((await refused.register()).status, 403);
  });
});
