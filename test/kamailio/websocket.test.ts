// SIP over WebSocket (Origin check, NAT handling for browsers) and the RegistrarClient over JSON-RPC.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { KamailioRegistrarClient } from '../../server/kamailio/registrar-client.ts';
import { startKamailio, type KamailioHarness } from '../support/kamailio-harness.ts';
import { seedExtensions, udpAgent, wsAgent } from '../support/sip-agents.ts';
import type { SipClient } from '../support/sip-client.ts';
import { HandshakeRefused } from '../support/sip-transport.ts';

void describe('Kamailio WebSocket and RegistrarClient (SQLite)', () => {
  let h: KamailioHarness;
  let registrar: KamailioRegistrarClient;
  const clients: SipClient[] = [];
  const ws = async (number: string, options: Parameters<typeof wsAgent>[2] = {}) => {
    const agent = await wsAgent(h, number, options);
    clients.push(agent.client);
    return agent;
  };

  before(async () => {
    h = await startKamailio({ nodeName: 'kam-a' });
    registrar = new KamailioRegistrarClient([{ name: h.nodeName, rpcUrl: h.rpcUrl }]);
    await seedExtensions(h, [
      { number: '3001' },
      { number: '3002' },
      { number: '3003', manualDialing: true },
      { number: '3004' },
      { number: '3005' },
    ]);
  });

  after(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await h.stop();
  });

  void test('a WebSocket from an Origin not on the allow-list is refused with 403', async () => {
    await assert.rejects(
      ws('3001', { origin: 'https://evil.example' }),
      (error: unknown) => error instanceof HandshakeRefused && error.status === 403,
    );
  });

  void test('a WebSocket from an allowed Origin registers', async () => {
    const { client } = await ws('3001', { userAgent: 'JsSIP 3.13.8' });
    assert.equal((await client.register()).status, 200);
  });

  void test('lookup shows the registration with client address, user agent, node and registered-at', async () => {
    const before = Date.now() - 1000;
    const { client } = await ws('3002', { userAgent: 'Earshot test browser' });
    assert.equal((await client.register()).status, 200);
    const { registrations, unreachableNodes } = await registrar.lookup('3002');
    assert.deepEqual(unreachableNodes, []);
    assert.equal(registrations.length, 1);
    const [registration] = registrations;
    assert.ok(registration);
    assert.equal(registration.node, 'kam-a');
    assert.equal(registration.clientIp, '127.0.0.1');
    assert.ok(registration.clientPort > 0);
    assert.equal(registration.transport, 'ws');
    assert.equal(registration.userAgent, 'Earshot test browser');
    assert.equal(registration.contact, client.contact);
    assert.ok(
      registration.registeredAt && Date.parse(registration.registeredAt) >= Math.floor(before / 1000) * 1000,
    );
    assert.ok(Date.parse(registration.expiresAt) > Date.now() + 200_000);
  });

  void test('a refresh keeps the first registered-at time', async () => {
    const { client } = await ws('3004');
    assert.equal((await client.register()).status, 200);
    const first = (await registrar.lookup('3004')).registrations[0]?.registeredAt;
    await sleep(1100);
    assert.equal((await client.register()).status, 200);
    const again = (await registrar.lookup('3004')).registrations[0]?.registeredAt;
    assert.ok(first);
    assert.equal(again, first);
  });

  void test('a call from a desk phone reaches a browser over its WebSocket and is answered', async () => {
    const { client: browser } = await ws('3005', { answer: 'answer' });
    assert.equal((await browser.register()).status, 200);
    const phone = await udpAgent(h, '3003');
    clients.push(phone);
    const result = await phone.invite('3005');
    assert.ok(await browser.waitForRequest('INVITE'), 'browser got no INVITE');
    assert.equal(result.status, 200);
    assert.ok(await browser.waitForRequest('BYE'), 'BYE did not reach the browser');
  });

  void test('kick removes the registration and closes the WebSocket', async () => {
    const { client, transport } = await ws('3002');
    assert.equal((await client.register()).status, 200);
    assert.ok((await registrar.lookup('3002')).registrations.length >= 1);
    await registrar.kick('3002');
    assert.deepEqual((await registrar.lookup('3002')).registrations, []);
    const code = await Promise.race([transport.closed, sleep(3000).then(() => 'still open')]);
    assert.notEqual(code, 'still open');
    assert.equal(transport.socket.readyState, transport.socket.CLOSED);
  });

  void test('JSON-RPC is served on the loopback RPC port only, not on the WebSocket port', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', method: 'core.version', id: 1 });
    const onWsPort = await fetch(`${h.wsUrl.replace('ws:', 'http:')}/RPC`, { method: 'POST', body });
    assert.equal(onWsPort.status, 404);
    const onRpcPort = await fetch(h.rpcUrl, { method: 'POST', body });
    assert.equal(onRpcPort.status, 200);
  });

  void test('a node that does not answer is reported, the others still answer', async () => {
    const { client } = await ws('3004');
    assert.equal((await client.register()).status, 200);
    const twoNodes = new KamailioRegistrarClient(
      [
        { name: h.nodeName, rpcUrl: h.rpcUrl },
        { name: 'dead', rpcUrl: 'http://127.0.0.1:9/RPC' },
      ],
      500,
    );
    const { registrations, unreachableNodes } = await twoNodes.lookup('3004');
    assert.deepEqual(unreachableNodes, ['dead']);
    assert.ok(registrations.some((registration) => registration.node === 'kam-a'));
  });
});
