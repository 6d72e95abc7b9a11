// The SIP trunk through the real Kamailio (SQLite): a fake carrier on 127.0.0.20 plays the phone
// network. Outbound calls reach it in E.164 with the caller ID and digest auth; forwarding to an
// outside number carries a Diversion; a DID from the carrier rings its extension; a request from
// elsewhere that claims to be the phone network is refused. Signalling only.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dialPlan, normaliseDialed } from '../../server/trunk/dial-plan.ts';
import type { KamailioTrunk } from '../../server/trunk/trunk-config.ts';
import { startKamailio, TEST_REALM, type KamailioHarness } from '../support/kamailio-harness.ts';
import { FakeCarrier } from '../support/sip-carrier.ts';
import { SipClient } from '../support/sip-client.ts';
import { header, type SipMessage } from '../support/sip-message.ts';
import { seedExtensions, udpAgentPool, wsAgent } from '../support/sip-agents.ts';
import { UdpTransport } from '../support/sip-transport.ts';

const CARRIER_ADDRESS = '127.0.0.20';
const IMPOSTOR_ADDRESS = '127.0.0.21';
const CREDENTIALS = { user: 'earshot-acct', password: 'trunk-secret-7', realm: 'carrier.test' };
const DEFAULT_CALLER_ID = '+15550100000';

const trunkFor = (carrier: FakeCarrier, withAuth: boolean): KamailioTrunk => ({
  host: CARRIER_ADDRESS,
  port: carrier.port,
  transport: 'udp',
  username: withAuth ? CREDENTIALS.user : null,
  password: withAuth ? CREDENTIALS.password : null,
  allowedIps: [`${CARRIER_ADDRESS}/32`],
  defaultCallerId: DEFAULT_CALLER_ID,
});

/** The user part of a SIP URI in a header (`<sip:user@host>;…`). */
const userOf = (value: string | undefined): string => /sip:([^@;>]+)@/.exec(value ?? '')?.[1] ?? '';
const hostOf = (value: string | undefined): string => /@([^;>:]+)/.exec(value ?? '')?.[1] ?? '';

/** $dlg_var(trunk) of every dialog Kamailio holds (the mark the media route reads). */
async function trunkMarks(h: KamailioHarness): Promise<string[]> {
  const dialogs = (await h.kamailio.rpc.call('dlg.list', [])) as { variables?: Record<string, string>[] }[];
  return dialogs.flatMap((dialog) => (dialog.variables ?? []).flatMap((v) => (v.trunk ? [v.trunk] : [])));
}

/** Somebody on the phone network calling in through the carrier (or pretending to, from elsewhere). */
async function outsideCaller(h: KamailioHarness, number: string, address: string): Promise<SipClient> {
  const transport = await UdpTransport.open(h.sip, address);
  return new SipClient({
    transport,
    user: number,
    domain: 'carrier.test',
    password: 'unused',
    timeoutMs: 4000,
  });
}

void describe('SIP trunk with digest auth, default country US', () => {
  let h: KamailioHarness;
  let carrier: FakeCarrier;
  const outside: SipClient[] = [];
  const { agent, registered, closeAll } = udpAgentPool(() => h);
  const caller = (number = '4001') => agent(number, { timeoutMs: 6000 });
  /** The INVITE that reached the carrier (with credentials) for `e164`. */
  const reached = (e164: string) =>
    carrier.waitFor(
      (m) =>
        m.method === 'INVITE' &&
        m.uri?.startsWith(`sip:${e164}@`) === true &&
        header(m, 'authorization') !== undefined,
    );

  before(async () => {
    carrier = await FakeCarrier.open(CARRIER_ADDRESS, { credentials: CREDENTIALS });
    h = await startKamailio({
      trunk: trunkFor(carrier, true),
      dialCountry: 'US',
      limits: { noAnswerSeconds: 1 },
    });
    await seedExtensions(h, [
      { number: '4001', manualDialing: true, callerId: '+15550104001' },
      { number: '4002', manualDialing: true, did: '+15550104002' },
      { number: '4003', manualDialing: false, callerId: '+15550104003' },
      { number: '4004', manualDialing: true },
      { number: '4005', did: '+15550104005', forwarding: '+14085550123' },
      { number: '4006', did: '+15550104006' },
      { number: '4007', did: '+15550104007', dnd: true },
      { number: '4008', did: '+15550104008', forwarding: '4085550188' },
    ]);
  });

  after(async () => {
    await closeAll();
    await Promise.all(outside.map((client) => client.close()));
    await h.stop();
    await carrier.close();
  });

  void test('an agent dials +1 (555) 010-9999: the carrier gets +15550109999 with the caller ID, after digest auth', async () => {
    const call = await (await caller()).call('+15550109999');
    try {
      assert.equal(call.status, 200, `${call.status} ${call.reason}`);
      const invite = await reached('+15550109999');
      assert.ok(invite, 'the carrier got no authenticated INVITE');
      assert.equal(invite.uri, `sip:+15550109999@${CARRIER_ADDRESS}:${carrier.port};transport=udp`);
      assert.equal(userOf(header(invite, 'from')), '+15550104001');
      assert.equal(hostOf(header(invite, 'from')), CARRIER_ADDRESS);
      assert.equal(header(invite, 'p-asserted-identity'), `<sip:+15550104001@${CARRIER_ADDRESS}>`);
      // The challenged INVITE went first; the answer to it counts one CSeq more.
      const challenged = carrier.invites().find((m) => header(m, 'call-id') === header(invite, 'call-id'));
      assert.ok(challenged && header(challenged, 'authorization') === undefined);
      const cseq = (m: SipMessage) => Number((header(m, 'cseq') ?? '').split(' ')[0]);
      assert.equal(cseq(invite), cseq(challenged) + 1);
      // The agent's side keeps its own From (restored by the dialog).
      assert.equal(userOf(header(call.response ?? { headers: [], body: '' }, 'from')), '4001');
      const activeCalls = await h.kamailio.rpc.call('dlg.profile_get_size', ['calls', '4001']);
      assert.equal(Number(activeCalls), 1);
      assert.deepEqual(await trunkMarks(h), ['out'], 'the media route reads $dlg_var(trunk)');
    } finally {
      await call.hangup();
    }
    const bye = await carrier.waitFor((m) => m.method === 'BYE');
    assert.ok(bye, 'the BYE did not reach the carrier');
    assert.equal(userOf(header(bye, 'from')), '+15550104001', 'in-dialog requests keep the caller ID');
  });

  void test('the dial plan Kamailio runs is the one unit-tested: same E.164 numbers, same refusals', async () => {
    const plan = dialPlan('US');
    const dialed = [
      '5550109997',
      '15550109996',
      '0044207946095',
      '011442079460958',
      '+81312345678',
      '555010999',
      '+2812345678',
      '+1555010999',
      '02079460958',
      '+442079460958123',
      '*21#',
    ];
    for (const number of dialed) {
      const expected = normaliseDialed(number, plan);
      const result = await (await caller()).invite(number);
      if (expected.kind === 'external') {
        assert.equal(result.status, 200, `${number}: ${result.status} ${result.reason}`);
        assert.ok(await reached(expected.e164), `${number}: the carrier did not get ${expected.e164}`);
      } else {
        assert.ok(expected.kind === 'refused', `${number} is an extension`);
        assert.equal(`${result.status} ${result.reason}`, `${expected.status} ${expected.message}`, number);
      }
    }
  });

  void test('manual dialing off: refused by Kamailio, nothing reaches the carrier', async () => {
    const before = carrier.invites().length;
    const result = await (await caller('4003')).invite('+15550109999');
    assert.equal(`${result.status} ${result.reason}`, '403 Manual dialing not allowed');
    assert.equal(carrier.invites().length, before);
  });

  void test("caller ID: the extension's own, else its DID, else the default", async () => {
    for (const [number, callerId, dialed] of [
      ['4002', '+15550104002', '+15550101002'],
      ['4004', DEFAULT_CALLER_ID, '+15550101004'],
    ] as const) {
      assert.equal((await (await caller(number)).invite(dialed)).status, 200);
      const invite = await reached(dialed);
      assert.equal(userOf(header(invite ?? { headers: [], body: '' }, 'from')), callerId, number);
    }
  });

  void test('forwarding to an outside number reaches the carrier with a Diversion naming the forwarding extension', async () => {
    const call = await (await caller()).call('4005');
    await call.hangup();
    assert.equal(call.status, 200, `${call.status} ${call.reason}`);
    const invite = await reached('+14085550123');
    assert.ok(invite, 'the forwarded call did not reach the carrier');
    assert.equal(
      header(invite, 'diversion'),
      `<sip:+15550104005@${CARRIER_ADDRESS}>;reason=unavailable;counter=1`,
    );
    assert.equal(userOf(header(invite, 'from')), '+15550104001', 'the caller is shown with its caller ID');
  });

  void test("the carrier calls a DID: the mapped extension rings with the caller's number", async () => {
    const callee = await registered('4006');
    const client = await outsideCaller(h, '+14085551234', CARRIER_ADDRESS);
    outside.push(client);
    const call = await client.call('+15550104006');
    try {
      assert.equal(call.status, 200, `${call.status} ${call.reason}`);
      const invite = await callee.waitForRequest('INVITE');
      assert.ok(invite, 'the extension did not ring');
      assert.equal(userOf(header(invite, 'from')), '+14085551234');
      assert.equal(invite.uri?.startsWith('sip:4006@'), true);
      assert.deepEqual(await trunkMarks(h), ['in']);
    } finally {
      await call.hangup();
    }
    assert.ok(await callee.waitForRequest('BYE'), 'the hang-up did not reach the extension');
  });

  void test('a DID in national format or without its + rings too; an unknown one is 404', async () => {
    const client = await outsideCaller(h, '+14085551235', CARRIER_ADDRESS);
    outside.push(client);
    const callee = await registered('4002');
    assert.equal((await client.invite('5550104002')).status, 200);
    assert.equal((await client.invite('15550104002')).status, 200);
    assert.equal(callee.received.filter((m) => m.method === 'INVITE').length, 2);
    assert.equal((await client.invite('+15550109876')).status, 404);
  });

  void test('inbound calls get DND and forwarding like internal ones', async () => {
    const client = await outsideCaller(h, '+14085551236', CARRIER_ADDRESS);
    outside.push(client);
    assert.equal(`${(await client.invite('+15550104007')).status}`, '486');
    // Unregistered, forwarding to a national number: back out through the trunk, the caller kept.
    assert.equal((await client.invite('+15550104008')).status, 200);
    const invite = await reached('+14085550188');
    assert.ok(invite, 'the forwarded inbound call did not reach the carrier');
    assert.equal(userOf(header(invite, 'from')), '+14085551236');
    assert.equal(
      header(invite, 'diversion'),
      `<sip:+15550104008@${CARRIER_ADDRESS}>;reason=unavailable;counter=1`,
    );
  });

  void test('a request claiming to be the phone network from another address is refused (403), nobody rings', async () => {
    const callee = await registered('4006');
    const impostor = await outsideCaller(h, '+14085551234', IMPOSTOR_ADDRESS);
    outside.push(impostor);
    const result = await impostor.invite('+15550104006');
    assert.equal(`${result.status} ${result.reason}`, '403 Forbidden');
    assert.equal(callee.received.filter((m) => m.method === 'INVITE').length, 0);
  });

  void test('the carrier hanging up reaches the agent, with its own URIs restored', async () => {
    const client = await caller();
    const call = await client.call('+15550107777');
    assert.equal(call.status, 200);
    const invite = await reached('+15550107777');
    assert.ok(invite);
    carrier.hangup(invite, FakeCarrier.TO_TAG);
    const bye = await client.waitForRequest('BYE');
    assert.ok(bye, 'the agent got no BYE');
    assert.equal(userOf(header(bye, 'to')), '4001');
    assert.equal(hostOf(header(bye, 'to')), TEST_REALM);
  });
});

void describe('SIP trunk without credentials, no default country', () => {
  let h: KamailioHarness;
  let open: FakeCarrier;
  const { agent, closeAll } = udpAgentPool(() => h);
  // Agents call from 127.0.0.3: this trunk also lists 127.0.0.1, where the WebSocket agent is.
  const udp = (number: string) => agent(number, { localAddress: '127.0.0.3' });

  before(async () => {
    open = await FakeCarrier.open(CARRIER_ADDRESS);
    const trunk = trunkFor(open, false);
    h = await startKamailio({
      trunk: { ...trunk, defaultCallerId: null, allowedIps: [...trunk.allowedIps, '127.0.0.1/32'] },
    });
    await seedExtensions(h, [{ number: '4101', manualDialing: true }]);
  });

  after(async () => {
    await closeAll();
    await h.stop();
    await open.close();
  });

  void test('the call goes out without Authorization; an extension without caller ID keeps its From', async () => {
    const result = await (await udp('4101')).invite('+442079460958');
    assert.equal(result.status, 200, `${result.status} ${result.reason}`);
    const invite = await open.waitFor((m) => m.method === 'INVITE');
    assert.ok(invite);
    assert.equal(header(invite, 'authorization'), undefined);
    assert.equal(userOf(header(invite, 'from')), '4101');
    assert.equal(header(invite, 'p-asserted-identity'), undefined);
  });

  void test("a browser on one of the carrier's addresses is still an agent, never the trunk", async () => {
    const { client, transport } = await wsAgent(h, '4101');
    try {
      const result = await client.invite('+15550109999');
      assert.equal(result.status, 200, `${result.status} ${result.reason}`);
      assert.ok(
        await open.waitFor((m) => m.method === 'INVITE' && m.uri?.startsWith('sip:+15550109999@') === true),
      );
    } finally {
      await transport.close();
    }
  });

  void test('national format needs the country code when no default country is set', async () => {
    const result = await (await udp('4101')).invite('02079460958');
    assert.equal(
      `${result.status} ${result.reason}`,
      '484 Dial the number with its country code, starting with +',
    );
  });
});

void describe('SIP trunk whose carrier refuses the login', () => {
  let h: KamailioHarness;
  let carrier: FakeCarrier;
  const { agent, closeAll } = udpAgentPool(() => h);

  before(async () => {
    carrier = await FakeCarrier.open(CARRIER_ADDRESS, { credentials: CREDENTIALS });
    h = await startKamailio({ trunk: { ...trunkFor(carrier, true), password: 'not-the-password' } });
    await seedExtensions(h, [{ number: '4201', manualDialing: true }]);
  });

  after(async () => {
    await closeAll();
    await h.stop();
    await carrier.close();
  });

  void test("the agent gets a plain 503, never the carrier's challenge; credentials are tried once", async () => {
    const result = await (await agent('4201')).invite('+15550109999');
    assert.equal(`${result.status} ${result.reason}`, '503 The phone network refused our trunk login');
    assert.equal(carrier.invites().length, 2);
    assert.equal(carrier.authorized.length, 0);
  });
});

void describe('no SIP trunk configured', () => {
  let h: KamailioHarness;
  const outside: SipClient[] = [];
  const { agent, registered, closeAll } = udpAgentPool(() => h);

  before(async () => {
    h = await startKamailio();
    await seedExtensions(h, [
      { number: '4301', manualDialing: true },
      { number: '4302', forwarding: '+14085550123' },
    ]);
  });

  after(async () => {
    await closeAll();
    await Promise.all(outside.map((client) => client.close()));
    await h.stop();
  });

  void test('an outside number gets the plain refusal, not "does not exist"', async () => {
    for (const dialed of ['+15550109999', '5550109999', '00442079460958']) {
      const result = await (await agent('4301')).invite(dialed);
      assert.equal(
        `${result.status} ${result.reason}`,
        '503 Outside calls are not set up on this system',
        dialed,
      );
    }
    assert.equal((await (await agent('4301')).invite('nobody')).status, 404);
  });

  void test('forwarding to an outside number: the same refusal', async () => {
    const result = await (await agent('4301')).invite('4302');
    assert.equal(`${result.status} ${result.reason}`, '503 Outside calls are not set up on this system');
  });

  void test('anyone claiming to call from the phone network is refused (403)', async () => {
    const callee = await registered('4301');
    const impostor = await outsideCaller(h, '+14085551234', CARRIER_ADDRESS);
    outside.push(impostor);
    const result = await impostor.invite('4301');
    assert.equal(`${result.status} ${result.reason}`, '403 Forbidden');
    assert.equal(callee.received.filter((m) => m.method === 'INVITE').length, 0);
  });
});

void describe('SIP trunk on PostgreSQL (caller ID and DID read per call)', () => {
  let h: KamailioHarness;
  let carrier: FakeCarrier;
  const outside: SipClient[] = [];
  const { agent, registered, closeAll } = udpAgentPool(() => h);

  before(async () => {
    carrier = await FakeCarrier.open(CARRIER_ADDRESS);
    h = await startKamailio({ engine: 'postgres', trunk: trunkFor(carrier, false), dialCountry: 'GB' });
    await seedExtensions(h, [
      { number: '4401', manualDialing: true, did: '+442079460001' },
      { number: '4402', did: '+442079460002' },
    ]);
  });

  after(async () => {
    await closeAll();
    await Promise.all(outside.map((client) => client.close()));
    await h.stop();
    await carrier.close();
  });

  void test('a national number goes out in E.164 with the DID as caller ID', async () => {
    // 020 7946 0958 after the softphone's cleanup.
    assert.equal((await (await agent('4401')).invite('02079460958')).status, 200);
    const invite = await carrier.waitFor((m) => m.method === 'INVITE');
    assert.ok(invite, 'the carrier got no INVITE');
    assert.ok(invite.uri?.startsWith('sip:+442079460958@'), invite.uri);
    assert.equal(userOf(header(invite, 'from')), '+442079460001');
  });

  void test('the carrier calls a DID in national format: its extension rings', async () => {
    const callee = await registered('4402');
    const client = await outsideCaller(h, '+15550109999', CARRIER_ADDRESS);
    outside.push(client);
    assert.equal((await client.invite('02079460002')).status, 200);
    const invite = await callee.waitForRequest('INVITE');
    assert.equal(userOf(header(invite ?? { headers: [], body: '' }, 'from')), '+15550109999');
  });
});
