// sipp registers a batch of extensions with digest auth against the real Kamailio.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { KamailioRegistrarClient } from '../../server/kamailio/registrar-client.ts';
import { TEST_REALM, startKamailio, type KamailioHarness } from '../support/kamailio-harness.ts';
import { seedExtensions } from '../support/sip-agents.ts';
import { REGISTER_SCENARIO, registerRow, runSipp } from '../support/sipp.ts';

const NUMBERS = Array.from({ length: 20 }, (_, index) => String(4001 + index));

void describe('sipp against Kamailio (SQLite)', () => {
  let h: KamailioHarness;

  before(async () => {
    h = await startKamailio();
    await seedExtensions(
      h,
      NUMBERS.map((number) => ({ number })),
    );
  });

  after(async () => {
    await h.stop();
  });

  void test('20 extensions register with digest auth, and Kamailio holds them all', async () => {
    const result = await runSipp({
      scenario: REGISTER_SCENARIO,
      rows: NUMBERS.map((n) => registerRow(n, `pw-${n}`, TEST_REALM)),
      target: h.sip,
      calls: NUMBERS.length,
    });
    assert.equal(result.code, 0, result.output.slice(-2000));
    const registrar = new KamailioRegistrarClient([{ name: h.nodeName, rpcUrl: h.rpcUrl }]);
    for (const number of NUMBERS) {
      const { registrations } = await registrar.lookup(number);
      assert.equal(registrations.length, 1, `extension ${number}`);
      assert.equal(registrations[0]?.userAgent, 'sipp-earshot');
    }
  });

  void test('sipp fails when the passwords are wrong (the scenario expects 200)', async () => {
    const result = await runSipp({
      scenario: REGISTER_SCENARIO,
      rows: [registerRow('4001', 'wrong', TEST_REALM)],
      target: h.sip,
      calls: 1,
      timeoutSeconds: 10,
    });
    assert.notEqual(result.code, 0);
  });
});
