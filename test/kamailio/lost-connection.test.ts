// A browser that vanishes (killed, crashed, tab closed without unregistering) takes its contact
// with it: usrloc drops a contact whose WebSocket is gone, and closes the connection of one that expired.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { KamailioRegistrarClient } from '../../server/kamailio/registrar-client.ts';
import { startKamailio, type KamailioHarness } from '../support/kamailio-harness.ts';
import { seedExtensions, wsAgent } from '../support/sip-agents.ts';
import type { SipClient } from '../support/sip-client.ts';

void describe('Kamailio drops contacts of lost connections (SQLite)', () => {
  let h: KamailioHarness;
  let registrar: KamailioRegistrarClient;
  const clients: SipClient[] = [];

  /** Resolves once `number` has no contact left, or fails after `timeoutMs`. */
  const waitUnregistered = async (number: string, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { registrations } = await registrar.lookup(number);
      if (registrations.length === 0) return;
      if (Date.now() > deadline) assert.fail(`${number} is still registered after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const registered = async (number: string, expires?: number) => {
    const agent = await wsAgent(h, number);
    clients.push(agent.client);
    assert.equal((await agent.client.register(expires)).status, 200);
    assert.equal((await registrar.lookup(number)).registrations.length, 1);
    return agent;
  };

  before(async () => {
    h = await startKamailio({ registration: { min: 2, default: 300, max: 600 } });
    registrar = new KamailioRegistrarClient([{ name: h.nodeName, rpcUrl: h.rpcUrl }]);
    await seedExtensions(h, [{ number: '4401' }, { number: '4402' }, { number: '4403' }]);
  });

  after(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await h.stop();
  });

  void test('a WebSocket destroyed without a goodbye: the contact is gone within a few seconds', async () => {
    const { transport } = await registered('4401');
    transport.socket.terminate();
    await waitUnregistered('4401', 5000);
  });

  void test('a WebSocket closed normally without unregistering: the contact is gone too', async () => {
    const { transport } = await registered('4402');
    await transport.close();
    await waitUnregistered('4402', 5000);
  });

  void test('a contact that expires without a refresh has its WebSocket closed by Kamailio', async () => {
    const { transport } = await registered('4403', 2);
    const code = await Promise.race([
      transport.closed,
      new Promise<string>((resolve) => setTimeout(() => resolve('still open'), 8000)),
    ]);
    assert.notEqual(code, 'still open');
    await waitUnregistered('4403', 1000);
  });
});
