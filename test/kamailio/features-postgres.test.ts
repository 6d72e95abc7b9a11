// The per-extension settings with Kamailio reading PostgreSQL (auth_db credentials and the sqlops
// callee row): allowed IPs, call limit, DND with forwarding, unregistered with forwarding.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startKamailio, type KamailioHarness } from '../support/kamailio-harness.ts';
import { header } from '../support/sip-message.ts';
import { seedExtensions, udpAgentPool } from '../support/sip-agents.ts';

void describe('Kamailio extension settings on PostgreSQL', () => {
  let h: KamailioHarness;
  const { agent, registered, closeAll } = udpAgentPool(() => h);

  before(async () => {
    h = await startKamailio({ engine: 'postgres' });
    assert.equal(h.database.db.engine, 'postgres');
    await seedExtensions(h, [
      { number: '6001', allowedIps: ['127.0.0.1/32'], manualDialing: true, callLimit: 1 },
      { number: '6002' },
      { number: '6003', dnd: true, forwarding: '6004' },
      { number: '6004' },
      { number: '6005', forwarding: '6004' },
    ]);
  });

  after(async () => {
    await closeAll();
    await h.stop();
  });

  void test('allowed IPs: 127.0.0.1 admitted, 127.0.0.2 refused with 403 "Address not allowed"', async () => {
    assert.equal((await (await agent('6001')).register()).status, 200);
    const outside = await (await agent('6001', { localAddress: '127.0.0.2' })).register();
    assert.equal(`${outside.status} ${outside.reason}`, '403 Address not allowed');
  });

  void test('call limit 1: a second call while the first is up gets 403 "Call limit reached"', async () => {
    await registered('6002');
    const caller = await agent('6001');
    const first = await caller.call('6002');
    assert.equal(first.status, 200);
    try {
      const second = await caller.invite('6002');
      assert.equal(`${second.status} ${second.reason}`, '403 Call limit reached');
    } finally {
      await first.hangup();
    }
  });

  void test('DND with forwarding, then unregistered with forwarding: the target is rung with Diversion', async () => {
    const target = await registered('6004');
    const caller = await agent('6001');
    assert.equal((await caller.invite('6003')).status, 200);
    assert.equal((await caller.invite('6005')).status, 200);
    const diversions = target.received
      .filter((message) => message.method === 'INVITE')
      .map((invite) => header(invite, 'diversion'));
    assert.deepEqual(diversions, [
      '<sip:6003@earshot.test>;reason=user-busy;counter=1',
      '<sip:6005@earshot.test>;reason=unavailable;counter=1',
    ]);
  });
});
