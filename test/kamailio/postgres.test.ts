// The same REGISTER and INVITE checks with Kamailio reading PostgreSQL (auth_db and sqlops).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setExtensionPassword } from '../../server/extensions/repository.ts';
import { startKamailio, type KamailioHarness } from '../support/kamailio-harness.ts';
import { seedExtensions, udpAgentPool } from '../support/sip-agents.ts';

void describe('Kamailio on PostgreSQL', () => {
  let h: KamailioHarness;
  const { agent, closeAll } = udpAgentPool(() => h);

  before(async () => {
    h = await startKamailio({ engine: 'postgres' });
    assert.equal(h.database.db.engine, 'postgres');
    await seedExtensions(h, [
      { number: '5001' },
      { number: '5002', enabled: false },
      { number: '5003', manualDialing: true },
      { number: '5004' },
      { number: '5005' },
    ]);
  });

  after(async () => {
    await closeAll();
    await h.stop();
  });

  void test('REGISTER with the right password is accepted', async () => {
    assert.equal((await (await agent('5001')).register()).status, 200);
  });

  void test('a wrong password is challenged again with 401', async () => {
    assert.equal((await (await agent('5001', { password: 'wrong' })).register()).status, 401);
  });

  void test('a disabled extension gets 403 "Extension disabled"', async () => {
    const result = await (await agent('5002')).register();
    assert.equal(result.status, 403);
    assert.equal(result.reason, 'Extension disabled');
  });

  void test('manual dialing off: INVITE refused with 403', async () => {
    const result = await (await agent('5001')).invite('5003');
    assert.equal([result.status, result.reason].join(' '), '403 Manual dialing not allowed');
  });

  void test('callee checks read PostgreSQL: unknown 404, unregistered 480, registered reached', async () => {
    const caller = await agent('5003');
    assert.equal((await caller.invite('5999')).status, 404);
    assert.equal((await caller.invite('5004')).status, 480);
    const callee = await agent('5004');
    assert.equal((await callee.register()).status, 200);
    assert.equal((await caller.invite('5004')).status, 200);
    assert.ok(await callee.waitForRequest('INVITE'));
  });

  void test('a password changed in PostgreSQL takes effect on the next REGISTER', async () => {
    await setExtensionPassword(h.database.db.kysely, h.credentials, '5005', 'changed-5005');
    assert.equal((await (await agent('5005')).register()).status, 401);
    assert.equal((await (await agent('5005', { password: 'changed-5005' })).register()).status, 200);
  });
});
