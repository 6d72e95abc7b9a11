// A desk phone (Debian's baresip, UDP, digest) and a browser agent (Chromium) talk through the real
// Kamailio and rtpengine: the call is anchored (ICE/DTLS-SRTP/Opus towards the browser, RTP/AVP
// G.711 towards the phone) and the audio is checked by content both ways: Chromium's microphone
// is a 1000 Hz wav, baresip's a 440 Hz sine; baresip's recording must be mostly 1000 Hz and the
// browser's inbound audio must peak at 440 Hz. Also DTMF from the browser, hold/resume from the
// browser, and a TLS device whose SRTP-SDES rtpengine bridges to DTLS-SRTP. Runs inside a network
// namespace that has only `lo` (scripts/test.ts sees to it).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ensureDevCertificate } from '../../server/stack/dev-certificate.ts';
import { startBaresip, type BaresipOptions, type BaresipPhone } from '../support/baresip.ts';
import { launchChromium } from '../support/browser.ts';
import { seedExtensions } from '../support/sip-agents.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { analyseTone, slice, writeToneWav, type Audio } from '../support/tone.ts';
import { expectAudioFlowing, inboundPeakHz, openAgent, press } from './agent-page.ts';

const BROWSER_HZ = 1000;
const PHONE_HZ = 440;
const AGENT = '7101';

/** baresip's recording carries the browser's tone for most of `seconds`, not its own. */
function assertPhoneHeardBrowser(audio: Audio, seconds: number): void {
  // The first second holds the call's setup (ICE, DTLS) before the browser's audio arrives.
  const heard = analyseTone(slice(audio, 1), BROWSER_HZ);
  const own = analyseTone(slice(audio, 1), PHONE_HZ);
  assert.ok(
    heard.toneSeconds >= seconds,
    `the desk phone heard ${BROWSER_HZ} Hz for ${heard.toneSeconds} s of ${heard.seconds} s, not ${seconds} s`,
  );
  assert.ok(
    heard.share > 0.7,
    `only ${(heard.share * 100).toFixed(1)} % of what the desk phone heard is ${BROWSER_HZ} Hz`,
  );
  assert.ok(
    own.share < 0.05,
    `the desk phone hears its own ${PHONE_HZ} Hz (${(own.share * 100).toFixed(1)} %)`,
  );
}

/** The browser receives sound (inbound-rtp bytes and energy rise) and it is the phone's tone. */
async function assertBrowserHearsPhone(page: Page): Promise<void> {
  await expectAudioFlowing(page);
  const peak = await inboundPeakHz(page);
  assert.ok(
    peak !== null && Math.abs(peak - PHONE_HZ) < 30,
    `the browser's inbound audio peaks at ${peak} Hz, not ${PHONE_HZ} Hz`,
  );
}

void describe('a desk phone and a browser agent, anchored through rtpengine', { timeout: 180_000 }, () => {
  let stack: TestStack;
  let browser: Browser;
  let agent: Page;
  let dir: string;
  let caFile: string;
  const phones: BaresipPhone[] = [];
  const phone = async (extension: string, options: Partial<BaresipOptions> = {}) => {
    const started = await startBaresip({
      extension,
      password: `pw-${extension}`,
      kamailio: stack.kamailio,
      toneHz: PHONE_HZ,
      timeoutMs: 15_000,
      ...options,
    });
    phones.push(started);
    return started;
  };
  /** The agent dials the desk phone (which answers by itself) and both see the call up. */
  const agentCalls = async (desk: BaresipPhone) => {
    await agent.locator('#number').fill(desk.options.extension);
    await press(agent, 'Call');
    await desk.waitFor('call established');
    await agent.getByRole('button', { name: 'Hang up' }).waitFor({ timeout: 10_000 });
  };
  const agentHangsUp = async (desk: BaresipPhone) => {
    await press(agent, 'Hang up');
    await desk.waitFor('call closed');
    await agent.locator('#number').waitFor({ timeout: 10_000 });
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'earshot-desk-phone-e2e-'));
    const microphone = join(dir, `browser-${BROWSER_HZ}.wav`);
    writeToneWav(microphone, BROWSER_HZ, { sampleRate: 48_000, seconds: 30 });
    // SIP over TLS on 5061's stand-in with the development certificate npm start would generate.
    const certificate = ensureDevCertificate(dir, ['127.0.0.1']);
    caFile = certificate.cert;
    stack = await startStack({ nodeName: 'e2e-desk', rtpengine: true, tls: certificate });
    await seedExtensions(stack.kamailio, [
      { number: AGENT, name: 'Erin Agent', manualDialing: true },
      ...['7001', '7002', '7003', '7004', '7005'].map((number) => ({ number, manualDialing: true })),
    ]);
    browser = await launchChromium([`--use-file-for-fake-audio-capture=${microphone}`]);
    agent = await openAgent(browser, stack.origin, AGENT, `pw-${AGENT}`);
  });

  // A failed test leaves its call up: end it so the next test starts with a ready agent.
  afterEach(async () => {
    await Promise.all(phones.splice(0).map((p) => p.stop()));
    const hangUp = agent.getByRole('button', { name: 'Hang up' });
    if (await hangUp.count()) await hangUp.first().click();
    await agent.locator('#number').waitFor({ timeout: 10_000 });
  });

  after(async () => {
    await browser.close();
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  void test('the desk phone calls the agent, who answers: each hears the other tone', async () => {
    const desk = await phone('7001');
    await desk.dial(AGENT);
    await press(agent, 'Answer');
    await desk.waitFor('call established');
    await assertBrowserHearsPhone(agent);
    await desk.waitForRecording(4);
    await desk.hangup();
    await desk.waitFor('call closed');
    await agent.locator('#number').waitFor({ timeout: 10_000 });
    assertPhoneHeardBrowser(await desk.stopAndReadRecording(), 2);
  });

  void test('the agent calls the desk phone (auto-answer): each hears the other tone', async () => {
    const desk = await phone('7002');
    await agentCalls(desk);
    await assertBrowserHearsPhone(agent);
    await desk.waitForRecording(4);
    await agentHangsUp(desk);
    assertPhoneHeardBrowser(await desk.stopAndReadRecording(), 2);
  });

  void test('DTMF the agent presses (RFC 4733) reaches the desk phone as digits', async () => {
    const desk = await phone('7003');
    await agentCalls(desk);
    await expectAudioFlowing(agent);
    await press(agent, 'Keypad');
    const keypad = agent.getByRole('group', { name: 'Send tones' });
    for (const key of ['1', '5', '9', '#']) {
      await keypad.getByRole('button', { name: key, exact: true }).click();
      await desk.waitForDigits(key);
    }
    assert.equal(desk.receivedDigits, '159#');
    await agentHangsUp(desk);
  });

  void test('the agent holds and resumes: RTP reaches the desk phone again and the agent hears it', async () => {
    const desk = await phone('7004');
    await agentCalls(desk);
    await assertBrowserHearsPhone(agent);
    await desk.waitForRecording(2);
    await press(agent, 'Hold');
    await agent.getByText(/On hold/).waitFor({ timeout: 5000 });
    await desk.waitForLog(/got re-INVITE/);
    await press(agent, 'Resume');
    await desk.waitForLog(/got re-INVITE/, { count: 2 });
    // baresip 1.0 stops recording at the first re-INVITE (support/baresip.ts): count RTP instead;
    // 20 ms packets: 1.5 s more of the browser's audio after the resume.
    const atResume = await desk.rtpReceived();
    await desk.waitForRtp(atResume + 75);
    await assertBrowserHearsPhone(agent);
    await agentHangsUp(desk);
    assertPhoneHeardBrowser(await desk.stopAndReadRecording(), 0.8);
  });

  void test('a TLS device (SRTP-SDES) calls the agent: each hears the other tone', async () => {
    const desk = await phone('7005', { transport: 'tls', caFile, srtp: true });
    await desk.dial(AGENT);
    await press(agent, 'Answer');
    await desk.waitFor('call established');
    await assertBrowserHearsPhone(agent);
    await desk.waitForRecording(4);
    assert.match(await desk.command('audio_debug'), /menc: srtp.*secure=yes/);
    await desk.hangup();
    await desk.waitFor('call closed');
    await agent.locator('#number').waitFor({ timeout: 10_000 });
    assertPhoneHeardBrowser(await desk.stopAndReadRecording(), 2);
  });
});
