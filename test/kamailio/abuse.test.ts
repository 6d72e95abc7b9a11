// Brute force and floods with lowered limits: what counts as a failed login, the cap on everyone's
// failures (the lockout tables' memory bound), pike's IP ban, loopback trust. The lockout rules
// themselves, at production limits: auth-lockout.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TEST_REALM, startKamailio, type KamailioHarness } from '../support/kamailio-harness.ts';
import { seedExtensions, udpAgentPool } from '../support/sip-agents.ts';
import { token } from '../support/sip-message.ts';

void describe('Kamailio abuse limits (SQLite)', () => {
  let h: KamailioHarness;
  const { agent, closeAll } = udpAgentPool(() => h);

  before(async () => {
    h = await startKamailio({
      limits: {
        authFailLimit: 3,
        extensionFailLimit: 100,
        authFailTotalLimit: 6,
        pikeDensity: 10,
        pikeSamplingSeconds: 2,
        pikeBanSeconds: 600,
      },
    });
    await seedExtensions(h, [{ number: '2001' }, { number: '2002' }, { number: '2003' }]);
  });

  after(async () => {
    await closeAll();
    await h.stop();
  });

  void test('the unauthenticated first REGISTER (the 401 challenge) is not counted as a failure', async () => {
    for (let i = 0; i < 2; i += 1)
      assert.equal((await (await agent('2003', { password: 'nope' })).register()).status, 401);
    // 2 wrong passwords + 3 credential-less challenges so far: blocked only if challenges counted.
    assert.equal((await (await agent('2003')).register()).status, 200);
  });

  void test('past the cap on all failures in the window, unknown addresses are refused; known ones keep working', async () => {
    assert.equal((await (await agent('2002')).register()).status, 200, '127.0.0.1 becomes known for 2002');
    // 2 failures so far (the first test); 4 more from 4 addresses reach the cap of 6.
    for (let i = 1; i <= 4; i += 1) {
      const guess = await agent('2001', { localAddress: `127.0.3.${i}`, password: 'nope' });
      assert.equal((await guess.register()).status, 401);
    }
    const stranger = await (await agent('2002', { localAddress: '127.0.3.9' })).register();
    assert.deepEqual([stranger.status, stranger.reason], [403, 'Too many failed attempts']);
    assert.equal((await (await agent('2002')).register()).status, 200);
    assert.equal((await (await agent('2003')).register()).status, 200);
  });

  void test('a flood from one address gets that address banned; loopback 127.0.0.1 keeps working', async () => {
    const flooder = await agent('2002', { localAddress: '127.0.0.2', timeoutMs: 800 });
    const options = () =>
      flooder.request(
        'OPTIONS',
        { callId: token(), fromTag: token(), cseq: 0, uri: `sip:${TEST_REALM}`, to: `sip:${TEST_REALM}` },
        [],
      );
    const results = await Promise.all(Array.from({ length: 40 }, options));
    const answered = results.filter((result) => result.status === 200).length;
    assert.ok(answered > 0 && answered < 40, `expected some answers then silence, got ${answered}/40`);
    assert.equal((await flooder.register()).status, 0, 'banned address still answered');
    assert.equal((await (await agent('2002')).register()).status, 200);
  });
});
