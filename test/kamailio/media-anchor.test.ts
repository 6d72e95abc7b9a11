// Kamailio anchoring media in the real rtpengine: a call with a desk-phone leg (SIP over UDP) and a
// browser leg (SIP over WebSocket, WebRTC SDP) is bridged for the whole dialog — each side sees
// rtpengine's address with the SDP it understands — and browser-to-browser SDP is left alone.
// Nobody sends RTP here (SDP and rtpengine's own view only): loopback addresses, no namespace needed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { NgClient, NgReply } from '../../server/media/ng-client.ts';
import { startKamailio, type KamailioHarness } from '../support/kamailio-harness.ts';
import { deviceSdp, summarizeSdp, webrtcSdp, type SdpSummary } from '../support/sdp.ts';
import { seedExtensions, udpAgent, wsAgent, type AgentOptions } from '../support/sip-agents.ts';
import type { SipClient } from '../support/sip-client.ts';
import type { SipMessage } from '../support/sip-message.ts';
import { until } from '../support/poll.ts';

/** Where rtpengine sends each leg's audio, by SIP tag: `address:port` of its first stream. */
function endpoints(query: NgReply): string[] {
  const tags = Object.values((query.tags ?? {}) as Record<string, { medias?: unknown[] }>);
  return tags
    .map((tag) => {
      const media = tag.medias?.[0] as { streams?: { endpoint?: { address?: string; port?: number } }[] };
      const endpoint = media.streams?.[0]?.endpoint;
      return `${endpoint?.address ?? ''}:${String(endpoint?.port ?? '')}`;
    })
    .sort();
}

const lastInvite = (client: SipClient): SipMessage | undefined =>
  client.received.filter((message) => message.method === 'INVITE').at(-1);

void describe('Kamailio anchors calls with a non-WebRTC leg in rtpengine', () => {
  let h: KamailioHarness;
  let ng: NgClient;
  const clients: SipClient[] = [];

  /** An SDP summary whose address and port are rtpengine's. */
  const relayed = (sdp: string | undefined): SdpSummary => {
    const summary = summarizeSdp(sdp ?? '');
    const { portMin, portMax } = h.rtpengine?.options.settings ?? { portMin: 0, portMax: 0 };
    assert.equal(summary.address, '127.0.0.1', `not rtpengine's address:\n${sdp ?? ''}`);
    assert.ok(
      summary.port >= portMin && summary.port <= portMax,
      `port ${String(summary.port)} is not rtpengine's`,
    );
    return summary;
  };
  const assertTowardsDevice = (sdp: string | undefined, direction = 'sendrecv') => {
    const summary = relayed(sdp);
    assert.deepEqual(
      {
        protocol: summary.protocol,
        ice: summary.ice,
        fingerprint: summary.fingerprint,
        direction: summary.direction,
      },
      { protocol: 'RTP/AVP', ice: false, fingerprint: false, direction },
    );
    assert.ok(
      summary.codecs.every((codec) => ['PCMU', 'PCMA', 'telephone-event'].includes(codec)),
      summary.codecs.join(),
    );
  };
  const assertTowardsBrowser = (sdp: string | undefined, direction = 'sendrecv') => {
    const summary = relayed(sdp);
    assert.deepEqual(
      {
        protocol: summary.protocol,
        ice: summary.ice,
        fingerprint: summary.fingerprint,
        rtcpMux: summary.rtcpMux,
        direction: summary.direction,
      },
      { protocol: 'UDP/TLS/RTP/SAVPF', ice: true, fingerprint: true, rtcpMux: true, direction },
    );
  };

  const device = async (number: string, options: AgentOptions = {}) => {
    const client = await udpAgent(h, number, { sdp: () => deviceSdp(), timeoutMs: 5000, ...options });
    clients.push(client);
    assert.equal((await client.register()).status, 200);
    return client;
  };
  const browser = async (number: string, options: AgentOptions = {}) => {
    const { client } = await wsAgent(h, number, {
      sdp: () => webrtcSdp({ answer: true }),
      timeoutMs: 5000,
      ...options,
    });
    clients.push(client);
    assert.equal((await client.register()).status, 200);
    return client;
  };
  const held = async (callId: string) => (await ng.list()).includes(callId);

  before(async () => {
    h = await startKamailio({ rtpengine: true, limits: { noAnswerSeconds: 1 } });
    ng = h.rtpengine?.ngClient() ?? assert.fail('no rtpengine');
    // Every test has its own extensions: a contact registered by an earlier test is never rung.
    await seedExtensions(h, [
      ...Array.from({ length: 22 }, (_, i) => ({ number: String(4001 + i), manualDialing: true })),
      { number: '4090', forwarding: '4091' },
      { number: '4091' },
    ]);
  });

  after(async () => {
    ng.close();
    await Promise.all(clients.map((client) => client.close()));
    await h.stop();
  });

  void test('a desk phone calls a browser: each gets rtpengine SDP it understands; BYE ends it in rtpengine', async () => {
    const phone = await device('4001');
    const agent = await browser('4002');
    const call = await phone.call('4002');
    assert.equal(call.status, 200);
    assertTowardsBrowser(lastInvite(agent)?.body);
    assertTowardsDevice(call.response?.body);
    const callId = call.dialog?.callId ?? '';
    // rtpengine holds the call and sends each leg's audio where that leg's own SDP said.
    assert.deepEqual(endpoints(await ng.query(callId)), ['127.0.0.7:40000', '127.0.0.8:50000']);
    assert.equal((await call.hangup())?.status, 200);
    await until(async () => !(await held(callId)), 'rtpengine forgets the call');
  });

  void test('a browser calls a desk phone: plain RTP/AVP G.711 without ICE to the phone, DTLS-SRTP with ICE back', async () => {
    const phone = await device('4003');
    const agent = await browser('4004', { sdp: () => webrtcSdp() });
    const call = await agent.call('4003');
    assert.equal(call.status, 200);
    assertTowardsDevice(lastInvite(phone)?.body);
    assertTowardsBrowser(call.response?.body);
    assert.ok(await held(call.dialog?.callId ?? ''));
    await call.hangup();
  });

  void test('browser to browser stays peer to peer: the SDP arrives as sent, rtpengine never hears of it', async () => {
    const offer = webrtcSdp();
    const caller = await browser('4005', { sdp: () => offer });
    const callee = await browser('4006');
    const call = await caller.call('4006');
    assert.equal(call.status, 200);
    assert.equal(lastInvite(callee)?.body, offer);
    assert.equal(summarizeSdp(call.response?.body ?? '').address, '127.0.0.8');
    assert.equal(await held(call.dialog?.callId ?? ''), false);
    await call.hangup();
  });

  void test('hold and resume by re-INVITE from either side: each offer is rewritten for the leg that receives it', async () => {
    const phone = await device('4007');
    const agent = await browser('4008', { sdp: () => webrtcSdp() });
    const call = await agent.call('4007');
    const dialog = call.dialog ?? assert.fail('no dialog');
    // The browser (caller) holds, then resumes.
    const hold = await agent.reoffer(dialog, webrtcSdp({ direction: 'sendonly' }));
    assert.equal(hold.status, 200);
    assertTowardsDevice(lastInvite(phone)?.body, 'sendonly');
    assertTowardsBrowser(hold.response?.body);
    assert.equal((await agent.reoffer(dialog, webrtcSdp())).status, 200);
    assertTowardsDevice(lastInvite(phone)?.body);
    // The desk phone (callee) holds.
    const phoneDialog = phone.answered.at(-1) ?? assert.fail('the phone kept no dialog');
    const phoneHold = await phone.reoffer(phoneDialog, deviceSdp({ direction: 'sendonly' }));
    assert.equal(phoneHold.status, 200);
    assertTowardsBrowser(lastInvite(agent)?.body, 'sendonly');
    assertTowardsDevice(phoneHold.response?.body);
    assert.ok(await held(dialog.callId));
    await call.hangup();
  });

  void test('an UPDATE with SDP from the desk phone is anchored like a re-INVITE', async () => {
    const phone = await device('4009');
    const agent = await browser('4010');
    const call = await phone.call('4010');
    const update = await phone.reoffer(
      call.dialog ?? assert.fail('no dialog'),
      deviceSdp({ port: 40200 }),
      'UPDATE',
    );
    assert.equal(update.status, 200);
    const received = agent.received.filter((message) => message.method === 'UPDATE').at(-1);
    assertTowardsBrowser(received?.body);
    assertTowardsDevice(update.response?.body);
    assert.ok(endpoints(await ng.query(call.dialog?.callId ?? '')).includes('127.0.0.7:40200'));
    await call.hangup();
  });

  void test("late offer: an INVITE without SDP gets rtpengine's offer in the 200, and the answer in the ACK reaches it", async () => {
    const phone = await device('4011');
    await browser('4012', { sdp: () => webrtcSdp() });
    const call = await phone.call('4012', [], { offer: '', ackSdp: deviceSdp({ port: 40300 }) });
    assert.equal(call.status, 200);
    assertTowardsDevice(call.response?.body);
    const callId = call.dialog?.callId ?? '';
    await until(
      async () => endpoints(await ng.query(callId)).includes('127.0.0.7:40300'),
      "rtpengine has the ACK's answer",
    );
    await call.hangup();
  });

  void test('a busy browser: the refused call leaves nothing in rtpengine', async () => {
    const phone = await device('4013');
    await browser('4014', { answer: 'busy' });
    const call = await phone.call('4014');
    assert.equal(call.status, 486);
    const callId = call.response?.headers.find(([name]) => name === 'call-id')?.[1] ?? '';
    await until(async () => !(await held(callId)), 'rtpengine forgets the refused call');
  });

  void test('a call cancelled while ringing leaves nothing in rtpengine', async () => {
    const phone = await device('4021');
    const agent = await browser('4022', { answer: 'ring' });
    const result = await phone.cancelledCall('4022', () => agent.waitForRequest('INVITE'));
    assert.equal(result.status, 487);
    assertTowardsBrowser(lastInvite(agent)?.body);
    const callId = result.response?.headers.find(([name]) => name === 'call-id')?.[1] ?? '';
    await until(async () => !(await held(callId)), 'rtpengine forgets the cancelled call');
  });

  void test('forwarded on busy: the forwarding target gets rtpengine SDP and the call is held', async () => {
    const phone = await device('4015');
    await browser('4090', { answer: 'busy' });
    const target = await browser('4091');
    const call = await phone.call('4090');
    assert.equal(call.status, 200);
    assertTowardsBrowser(lastInvite(target)?.body);
    assertTowardsDevice(call.response?.body);
    assert.ok(await held(call.dialog?.callId ?? ''));
    await call.hangup();
  });

  void test('a browser offering Opus only: the desk phone is offered G.711 (rtpengine transcodes)', async () => {
    const phone = await device('4017');
    const opusOnly = webrtcSdp()
      .replace(/(m=audio \d+ \S+) .*/, '$1 111 101')
      .replace(/a=rtpmap:(0|8) .*\r\n/g, '');
    const agent = await browser('4018', { sdp: () => opusOnly });
    const call = await agent.call('4017');
    assert.equal(call.status, 200);
    assert.deepEqual(summarizeSdp(lastInvite(phone)?.body ?? '').codecs, ['PCMU', 'PCMA', 'telephone-event']);
    assert.deepEqual(summarizeSdp(call.response?.body ?? '').codecs.slice(0, 1), ['opus']);
    await call.hangup();
  });

  void test("a device's own SRTP (SDES) offer is answered with SRTP, not downgraded to plain RTP", async () => {
    const srtp = deviceSdp()
      .replace('RTP/AVP', 'RTP/SAVP')
      .replace(
        'a=sendrecv',
        'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\na=sendrecv',
      );
    const phone = await device('4019', { sdp: () => srtp });
    const agent = await browser('4020');
    const call = await phone.call('4020');
    assert.equal(call.status, 200);
    assertTowardsBrowser(lastInvite(agent)?.body);
    const answer = call.response?.body ?? '';
    assert.equal(relayed(answer).protocol, 'RTP/SAVP');
    assert.match(answer, /^a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:/m);
    await call.hangup();
  });

  void test("all of the above went without a single rtpengine error in Kamailio's log", () => {
    assert.deepEqual(
      h.logs.filter((line) => /ERROR|WARNING/.test(line) && /rtpengine/i.test(line)),
      [],
    );
  });
});

void describe('Kamailio without a running rtpengine', () => {
  let h: KamailioHarness;
  const clients: SipClient[] = [];

  before(async () => {
    h = await startKamailio({ rtpengine: true });
    await seedExtensions(
      h,
      Array.from({ length: 4 }, (_, i) => ({ number: String(4101 + i), manualDialing: true })),
    );
  });

  after(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await h.stop();
  });

  const register = async (client: SipClient) => {
    clients.push(client);
    assert.equal((await client.register()).status, 200);
    return client;
  };
  const outcome = (result: { status: number; reason: string }) => `${String(result.status)} ${result.reason}`;
  /** What Kamailio and rtpengine said about media, for a failure message. */
  const mediaLog = () => h.logs.filter((line) => /rtpengine|<script>/.test(line)).join('\n');

  void test('an anchored call gets 503 "Media relay unavailable", browser to browser still connects; once rtpengine is back, calls are anchored again', async () => {
    const timeoutMs = 8000;
    const phone = await register(await udpAgent(h, '4101', { sdp: () => deviceSdp(), timeoutMs }));
    const agent = await register((await wsAgent(h, '4102', { sdp: () => webrtcSdp(), timeoutMs })).client);
    const other = await register(
      (await wsAgent(h, '4103', { sdp: () => webrtcSdp({ answer: true }), timeoutMs })).client,
    );
    const rtpengine = h.rtpengine ?? assert.fail('no rtpengine');
    const ng = rtpengine.ngClient();
    after(() => {
      ng.close();
    });
    await rtpengine.stop();

    // Several calls each way, so that every Kamailio worker meets the missing rtpengine.
    for (let i = 0; i < 3; i += 1) {
      assert.equal(outcome(await phone.invite('4102')), '503 Media relay unavailable');
      assert.equal(outcome(await agent.invite('4101')), '503 Media relay unavailable');
      assert.equal(outcome(await agent.invite('4103')), '200 OK');
    }
    assert.equal(phone.received.filter((m) => m.method === 'INVITE').length, 0, 'the phone was rung');
    assert.equal(other.received.filter((m) => m.method === 'INVITE').length, 3);

    await rtpengine.start();
    for (let i = 0; i < 3; i += 1) {
      for (const [from, to] of [
        [phone, '4102'],
        [agent, '4101'],
      ] as const) {
        const call = await from.call(to);
        assert.equal(outcome(call), '200 OK');
        assert.equal(summarizeSdp(call.response?.body ?? '').address, '127.0.0.1', mediaLog());
        await call.hangup();
      }
    }
    assert.deepEqual(await ng.list(), [], mediaLog());
  });
});
