// Kamailio enforcing the per-extension settings on a real SQLite file: allowed IPs and call limit.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startKamailio, type KamailioHarness } from '../support/kamailio-harness.ts';
import { seedExtensions, udpAgentPool, type AgentOptions } from '../support/sip-agents.ts';
import type { SipClient, SipResult } from '../support/sip-client.ts';

const outcome = (result: SipResult): string => `${result.status} ${result.reason}`;

void describe('Kamailio allowed IPs (SQLite)', () => {
  let h: KamailioHarness;
  const { agent, closeAll } = udpAgentPool(() => h);

  before(async () => {
    h = await startKamailio();
    await seedExtensions(h, [
      { number: '2001', allowedIps: ['127.0.0.1/32'] },
      { number: '2002', allowedIps: ['10.0.0.0/8', '127.0.0.0/30'] },
      { number: '2003', allowedIps: ['2001:db8::/32', '127.0.0.2/32'], manualDialing: true },
      { number: '2004', allowedIps: ['127.0.0.3'] },
      { number: '2005' },
      { number: '2006', allowedIps: ['10.0.0.0/8', ' 127.0.0.6/32 '] },
    ]);
  });

  after(async () => {
    await closeAll();
    await h.stop();
  });

  const registerFrom = async (number: string, localAddress: string, options: AgentOptions = {}) =>
    (await agent(number, { localAddress, ...options })).register();

  void test('REGISTER from an address in the list is accepted', async () => {
    assert.equal(outcome(await registerFrom('2001', '127.0.0.1')), '200 OK');
  });

  void test('REGISTER from outside the list gets 403 "Address not allowed"', async () => {
    assert.equal(outcome(await registerFrom('2001', '127.0.0.2')), '403 Address not allowed');
  });

  void test('a wrong password from outside the list is challenged (401): nothing is revealed', async () => {
    const result = await registerFrom('2001', '127.0.0.2', { password: 'wrong' });
    assert.equal(result.status, 401);
  });

  void test('every entry of a list counts: a /30 admits 127.0.0.2 and not 127.0.0.5', async () => {
    assert.equal((await registerFrom('2002', '127.0.0.2')).status, 200);
    assert.equal(outcome(await registerFrom('2002', '127.0.0.5')), '403 Address not allowed');
  });

  void test('an IPv6 range in the list is understood and does not admit IPv4 sources', async () => {
    assert.equal((await registerFrom('2003', '127.0.0.2')).status, 200);
    assert.equal(outcome(await registerFrom('2003', '127.0.0.1')), '403 Address not allowed');
  });

  void test('a bare address means that one host', async () => {
    assert.equal((await registerFrom('2004', '127.0.0.3')).status, 200);
    assert.equal(outcome(await registerFrom('2004', '127.0.0.4')), '403 Address not allowed');
  });

  void test('spaces around entries (a hand-edited row) do not matter', async () => {
    assert.equal((await registerFrom('2006', '127.0.0.6')).status, 200);
    assert.equal(outcome(await registerFrom('2006', '127.0.0.7')), '403 Address not allowed');
  });

  void test('an empty list allows any address', async () => {
    assert.equal((await registerFrom('2005', '127.0.0.9')).status, 200);
  });

  void test('an INVITE from outside the caller\'s list is refused with 403 "Address not allowed"', async () => {
    const callee = await agent('2005');
    assert.equal((await callee.register()).status, 200);
    const outside = await agent('2003', { localAddress: '127.0.0.1' });
    assert.equal(outcome(await outside.invite('2005')), '403 Address not allowed');
    const inside = await agent('2003', { localAddress: '127.0.0.2' });
    assert.equal((await inside.invite('2005')).status, 200);
  });
});

void describe('Kamailio call limit (SQLite)', () => {
  let h: KamailioHarness;
  const { agent, registered, closeAll } = udpAgentPool(() => h);
  const calls: { hangup: () => Promise<unknown> }[] = [];

  before(async () => {
    h = await startKamailio();
    await seedExtensions(h, [
      { number: '2101', callLimit: 1, manualDialing: true },
      { number: '2102' },
      { number: '2103' },
      { number: '2104', callLimit: 1 },
      { number: '2105', manualDialing: true },
      { number: '2106', manualDialing: true },
      { number: '2107', callLimit: 1, manualDialing: true },
    ]);
  });

  after(async () => {
    await Promise.all(calls.map((call) => call.hangup()));
    await closeAll();
    await h.stop();
  });

  /** A call that stays up until the suite ends (or the test hangs it up). */
  const heldCall = async (from: SipClient, to: string) => {
    const call = await from.call(to);
    assert.equal(call.status, 200, `the call from ${from.options.user} to ${to} was not answered`);
    calls.push(call);
    return call;
  };

  void test('a caller at its limit gets 403 "Call limit reached"; after hanging up it can call again', async () => {
    await Promise.all([registered('2102'), registered('2103')]);
    const caller = await agent('2101');
    const first = await heldCall(caller, '2102');
    assert.equal(outcome(await caller.invite('2103')), '403 Call limit reached');
    assert.equal((await first.hangup())?.status, 200);
    assert.equal((await caller.invite('2103')).status, 200);
  });

  void test('a callee at its limit is busy: 486, and its device is not rung', async () => {
    const callee = await registered('2104');
    await heldCall(await agent('2105'), '2104');
    const late = await agent('2106');
    assert.equal((await late.invite('2104')).status, 486);
    const invites = callee.received.filter((message) => message.method === 'INVITE');
    assert.equal(invites.length, 1);
  });

  void test('calls received count too: an extension in one incoming call cannot call out at limit 1', async () => {
    await registered('2107');
    await heldCall(await agent('2105'), '2107');
    const busy = await agent('2107');
    assert.equal(outcome(await busy.invite('2102')), '403 Call limit reached');
  });
});
