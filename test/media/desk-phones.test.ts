// Real desk phones (baresip) registered to the real Kamailio call each other peer to peer, plain
// RTP on loopback (no media relay): each side's recording carries the other's tone, DTMF arrives
// as RFC 4733 events, the audio flows again after hold and resume, and TLS devices (SRTP) do the same.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { KamailioRegistrarClient } from '../../server/kamailio/registrar-client.ts';
import { ensureDevCertificate } from '../../server/stack/dev-certificate.ts';
import { startBaresip, type BaresipOptions, type BaresipPhone } from '../support/baresip.ts';
import { startKamailio, type KamailioHarness } from '../support/kamailio-harness.ts';
import { seedExtensions } from '../support/sip-agents.ts';
import { analyseTone, type Audio } from '../support/tone.ts';

const A_HZ = 440;
const B_HZ = 1000;

/** The recording carries `hz` for most of `seconds` and not the phone's own tone (`ownHz`). */
function assertCarries(audio: Audio, hz: number, ownHz: number, seconds: number, who: string): void {
  const heard = analyseTone(audio, hz);
  const own = analyseTone(audio, ownHz);
  assert.ok(
    heard.toneSeconds >= seconds,
    `${who} heard ${hz} Hz for ${heard.toneSeconds} s, not ${seconds} s`,
  );
  assert.ok(heard.share > 0.8, `${who}: only ${(heard.share * 100).toFixed(1)} % of the audio is ${hz} Hz`);
  assert.ok(own.share < 0.05, `${who} hears its own ${ownHz} Hz (${(own.share * 100).toFixed(1)} %)`);
}

void describe('desk phones (baresip) through Kamailio, peer to peer', { timeout: 120_000 }, () => {
  let h: KamailioHarness;
  let dir: string;
  let caFile: string;
  const phones: BaresipPhone[] = [];
  const phone = async (extension: string, options: Partial<BaresipOptions> = {}) => {
    const started = await startBaresip({ extension, password: `pw-${extension}`, kamailio: h, ...options });
    phones.push(started);
    return started;
  };
  /** A calls B (B answers by itself unless manual) and both report the call established. */
  const connect = async (a: BaresipPhone, b: BaresipPhone) => {
    await a.dial(b.options.extension);
    if (b.options.answer === 'manual') {
      await b.waitFor('incoming call');
      await b.answer();
    }
    await Promise.all([a.waitFor('call established'), b.waitFor('call established')]);
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'earshot-desk-phones-'));
    const certificate = ensureDevCertificate(dir, ['127.0.0.1']);
    caFile = certificate.cert;
    h = await startKamailio({ nodeName: 'kam-media', tls: certificate });
    await seedExtensions(
      h,
      ['8001', '8002', '8003', '8004', '8005', '8006'].map((number) => ({ number, manualDialing: true })),
    );
  });

  after(async () => {
    await Promise.all(phones.map((p) => p.stop()));
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  void test('two UDP desk phones call each other: each hears the other tone, DTMF arrives', async () => {
    const a = await phone('8001', { toneHz: A_HZ });
    const b = await phone('8002', { toneHz: B_HZ });
    await connect(a, b);
    await Promise.all([a.waitForRecording(2), b.waitForRecording(2)]);
    await a.sendDtmf('159#');
    assert.equal(await b.waitForDigits('159#'), '159#');
    await a.hangup();
    await Promise.all([a.waitFor('call closed'), b.waitFor('call closed')]);
    assertCarries(await a.stopAndReadRecording(), B_HZ, A_HZ, 1.5, 'A');
    assertCarries(await b.stopAndReadRecording(), A_HZ, B_HZ, 1.5, 'B');
  });

  void test('hold and resume: the audio flows both ways again after the resume', async () => {
    const a = await phone('8003', { toneHz: A_HZ });
    const b = await phone('8004', { toneHz: B_HZ });
    await connect(a, b);
    await Promise.all([a.waitForRecording(1.5), b.waitForRecording(1.5)]);
    await a.hold();
    await b.waitForLog(/got re-INVITE/);
    await a.resume();
    await b.waitForLog(/got re-INVITE/, { count: 2 });
    // baresip 1.0 stops recording at the first re-INVITE (see support/baresip.ts): count RTP instead.
    const [atA, atB] = await Promise.all([a.rtpReceived(), b.rtpReceived()]);
    // 20 ms packets: 1.5 s more of each other's audio after the resume.
    await Promise.all([a.waitForRtp(atA + 75), b.waitForRtp(atB + 75)]);
    await a.hangup();
    await Promise.all([a.waitFor('call closed'), b.waitFor('call closed')]);
    assertCarries(await a.stopAndReadRecording(), B_HZ, A_HZ, 1.2, 'A before the hold');
    assertCarries(await b.stopAndReadRecording(), A_HZ, B_HZ, 1.2, 'B before the hold');
  });

  void test('two TLS devices (the development certificate, SRTP) register, call and hear each other', async () => {
    const tls = { transport: 'tls', caFile, srtp: true } as const;
    const a = await phone('8005', { ...tls, toneHz: A_HZ });
    const b = await phone('8006', { ...tls, toneHz: B_HZ, answer: 'manual' });
    const registrar = new KamailioRegistrarClient([{ name: h.nodeName, rpcUrl: h.rpcUrl }]);
    const [binding] = (await registrar.lookup('8005')).registrations;
    assert.equal(binding?.transport, 'tls');
    assert.match(binding.userAgent, /baresip/);
    await connect(a, b);
    await Promise.all([a.waitForRecording(2), b.waitForRecording(2)]);
    for (const p of [a, b]) assert.match(await p.command('audio_debug'), /menc: srtp.*secure=yes/);
    await b.hangup();
    await Promise.all([a.waitFor('call closed'), b.waitFor('call closed')]);
    assertCarries(await a.stopAndReadRecording(), B_HZ, A_HZ, 1.5, 'A');
    assertCarries(await b.stopAndReadRecording(), A_HZ, B_HZ, 1.5, 'B');
  });
});
