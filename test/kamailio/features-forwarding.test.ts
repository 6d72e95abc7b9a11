// Kamailio on a real SQLite file: do not disturb and call forwarding (unregistered, DND, busy,
// no answer), with a Diversion header for the target and never more than one forward.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startKamailio, type KamailioHarness } from '../support/kamailio-harness.ts';
import { header, type SipMessage } from '../support/sip-message.ts';
import { seedExtensions, udpAgentPool, type AgentOptions } from '../support/sip-agents.ts';
import type { SipClient } from '../support/sip-client.ts';

void describe('Kamailio DND and forwarding (SQLite)', () => {
  let h: KamailioHarness;
  const { agent, closeAll } = udpAgentPool(() => h);

  before(async () => {
    // A short no-answer timeout keeps the suite quick; production uses 20 s.
    h = await startKamailio({ limits: { noAnswerSeconds: 1 } });
    await seedExtensions(h, [
      { number: '3000', manualDialing: true, callLimit: 10 },
      { number: '3001', dnd: true },
      { number: '3002', dnd: true, forwarding: '3003' },
      { number: '3003' },
      { number: '3004', forwarding: '3005' },
      { number: '3005' },
      { number: '3006', forwarding: '+4930123456' },
      { number: '3007', forwarding: '3008' },
      { number: '3008', forwarding: '3007' },
      { number: '3009', forwarding: '3010' },
      { number: '3010' },
      { number: '3011', callLimit: 1, forwarding: '3012' },
      { number: '3012' },
      { number: '3013' },
    ]);
  });

  after(async () => {
    await closeAll();
    await h.stop();
  });

  const registered = async (number: string, options: AgentOptions = {}): Promise<SipClient> => {
    const client = await agent(number, options);
    assert.equal((await client.register()).status, 200, `${number} did not register`);
    return client;
  };
  const caller = () => agent('3000', { timeoutMs: 8000 });
  const invites = (client: SipClient): SipMessage[] =>
    client.received.filter((message) => message.method === 'INVITE');

  /** Calls Kamailio counts against each extension's call limit (dialog profile "calls"). */
  const activeCalls = async (numbers: string[]): Promise<number[]> => {
    const counts: number[] = [];
    for (const number of numbers)
      counts.push(Number(await h.kamailio.rpc.call('dlg.profile_get_size', ['calls', number])));
    return counts;
  };

  /** The target was rung once, with a Diversion naming `from` and `reason`. */
  const assertForwarded = (target: SipClient, from: string, reason: string) => {
    const [invite, ...more] = invites(target);
    assert.ok(invite, 'the forwarding target was not rung');
    assert.equal(more.length, 0);
    assert.equal(header(invite, 'diversion'), `<sip:${from}@earshot.test>;reason=${reason};counter=1`);
  };

  void test('a DND extension without forwarding is busy (486) and is not rung', async () => {
    const callee = await registered('3001');
    const result = await (await caller()).invite('3001');
    assert.equal(`${result.status} ${result.reason}`, '486 Busy Here');
    assert.equal(invites(callee).length, 0);
  });

  void test('a DND extension with forwarding: the target answers, with Diversion reason=user-busy', async () => {
    const dnd = await registered('3002');
    const target = await registered('3003');
    assert.equal((await (await caller()).invite('3002')).status, 200);
    assertForwarded(target, '3002', 'user-busy');
    assert.equal(invites(dnd).length, 0);
  });

  void test('an unregistered extension with forwarding: forwarded with reason=unavailable', async () => {
    const target = await registered('3005');
    assert.equal((await (await caller()).invite('3004')).status, 200);
    assertForwarded(target, '3004', 'unavailable');
  });

  void test('forwarding to a phone number without a trunk is refused like a dialed one: outside calls are not set up', async () => {
    const result = await (await caller()).invite('3006');
    assert.equal(`${result.status} ${result.reason}`, '503 Outside calls are not set up on this system');
  });

  void test('forwarding is followed once: two unregistered extensions forwarding to each other give 480', async () => {
    const result = await (await caller()).invite('3007');
    assert.equal(`${result.status} ${result.reason}`, '480 Temporarily Unavailable');
  });

  void test("a caller cannot fake a Diversion: only the proxy's own reaches the target", async () => {
    const target = await registered('3013');
    const fake = '<sip:9999@earshot.test>;reason=unconditional;counter=1';
    const call = await (await caller()).call('3013', [['Diversion', fake]]);
    await call.hangup();
    assert.equal(call.status, 200);
    const [invite] = invites(target);
    assert.ok(invite);
    assert.equal(header(invite, 'diversion'), undefined);
  });

  void test('no answer within the timeout: the ringing callee is cancelled and the target answers', async () => {
    const ringing = await registered('3009', { answer: 'ring' });
    const target = await registered('3010');
    const call = await (await caller()).call('3009');
    try {
      assert.equal(call.status, 200);
      assertForwarded(target, '3009', 'no-answer');
      assert.ok(await ringing.waitForRequest('CANCEL'), 'the ringing callee was not cancelled');
      // The call counts against the target's limit now, no longer against the one that rang.
      assert.deepEqual(await activeCalls(['3000', '3009', '3010']), [1, 0, 1]);
    } finally {
      await call.hangup();
    }
    assert.deepEqual(await activeCalls(['3000', '3009', '3010']), [0, 0, 0]);
  });

  void test('a callee at its call limit with forwarding: the next call goes to the target', async () => {
    await registered('3011');
    const target = await registered('3012');
    const first = await (await caller()).call('3011');
    assert.equal(first.status, 200);
    try {
      assert.equal((await (await caller()).invite('3011')).status, 200);
      assertForwarded(target, '3011', 'user-busy');
    } finally {
      await first.hangup();
    }
  });
});
