// Kamailio on a real SQLite file: digest auth on the HA1 columns and the per-extension policy.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setExtensionPassword } from '../../server/extensions/repository.ts';
import { startKamailio, waitForLog, type KamailioHarness } from '../support/kamailio-harness.ts';
import { seedExtensions, udpAgentPool } from '../support/sip-agents.ts';

void describe('Kamailio policy (SQLite)', () => {
  let h: KamailioHarness;
  const { agent, closeAll } = udpAgentPool(() => h);

  before(async () => {
    h = await startKamailio();
    await seedExtensions(h, [
      { number: '1001' },
      { number: '1002', enabled: false },
      { number: '1003', manualDialing: true },
      { number: '1004' },
      { number: '1005', enabled: false },
      { number: '1006' },
      { number: '1007' },
    ]);
  });

  after(async () => {
    await closeAll();
    await h.stop();
  });

  void test('REGISTER with the right password is accepted', async () => {
    const result = await (await agent('1001')).register();
    assert.equal(result.status, 200);
  });

  void test('a wrong password is challenged again with 401 (never 200)', async () => {
    const result = await (await agent('1001', { password: 'wrong' })).register();
    assert.equal(result.status, 401);
    assert.match(
      result.response?.headers.find(([n]) => n === 'www-authenticate')?.[1] ?? '',
      /realm="earshot.test"/,
    );
  });

  void test('a disabled extension gets 403 on REGISTER, after auth', async () => {
    const result = await (await agent('1002')).register();
    assert.equal(result.status, 403);
    assert.equal(result.reason, 'Extension disabled');
  });

  void test('a disabled extension with a wrong password learns nothing: 401, not 403', async () => {
    const result = await (await agent('1002', { password: 'wrong' })).register();
    assert.equal(result.status, 401);
  });

  void test('INVITE from an extension without manual dialing is refused with 403', async () => {
    const result = await (await agent('1001')).invite('1003');
    assert.equal(result.status, 403);
    assert.equal(result.reason, 'Manual dialing not allowed');
  });

  void test('INVITE to an unknown extension is 404', async () => {
    const result = await (await agent('1003')).invite('9999');
    assert.equal(result.status, 404);
  });

  void test('INVITE to something that is no number is 404; to a number that is no extension, without a trunk, 503', async () => {
    assert.equal((await (await agent('1003')).invite('info')).status, 404);
    const result = await (await agent('1003')).invite('12');
    assert.equal(`${result.status} ${result.reason}`, '503 Outside calls are not set up on this system');
  });

  void test('INVITE to a known extension that is not registered is 480', async () => {
    const result = await (await agent('1003')).invite('1004');
    assert.equal(result.status, 480);
  });

  void test('INVITE to a disabled extension is 480', async () => {
    const result = await (await agent('1003')).invite('1005');
    assert.equal(result.status, 480);
  });

  void test('INVITE with manual dialing to a registered extension reaches it, and the call is answered', async () => {
    const callee = await agent('1006', { answer: 'answer' });
    assert.equal((await callee.register()).status, 200);
    const result = await (await agent('1003')).invite('1006');
    const invite = await callee.waitForRequest('INVITE');
    assert.ok(invite, 'callee received no INVITE');
    assert.match(invite.headers.find(([n]) => n === 'from')?.[1] ?? '', /sip:1003@/);
    assert.equal(result.status, 200);
    assert.ok(await callee.waitForRequest('BYE'), 'the BYE did not reach the callee along the route set');
  });

  void test('a busy callee answer is passed back to the caller', async () => {
    const callee = await agent('1004', { answer: 'busy' });
    assert.equal((await callee.register()).status, 200);
    const result = await (await agent('1003')).invite('1004');
    assert.equal(result.status, 486);
  });

  void test('a password changed in the database takes effect on the next REGISTER', async () => {
    await setExtensionPassword(h.database.db.kysely, h.credentials, '1007', 'new-secret-1007');
    const old = await (await agent('1007')).register();
    assert.equal(old.status, 401);
    const fresh = await (await agent('1007', { password: 'new-secret-1007' })).register();
    assert.equal(fresh.status, 200);
  });

  void test('a scanner User-Agent gets no answer at all, and Kamailio goes on answering others', async () => {
    for (const userAgent of ['friendly-scanner', 'SIPVicious 0.3']) {
      const scanner = await agent('1001', { userAgent, timeoutMs: 1000 });
      const result = scanner.register();
      // Kamailio read the REGISTER and dropped it: an answer, had it given one, would be on its way.
      await waitForLog(h, (line) => line.includes('scanner dropped') && line.includes(`ua=[${userAgent}]`));
      assert.equal((await result).status, 0, `${userAgent} got an answer`);
    }
    assert.equal((await (await agent('1001')).register()).status, 200, 'an ordinary phone is still answered');
  });
});
