// Two (and three) agents in Chromium with fake media against the real Kamailio and account
// service. Runs inside a network namespace that has only `lo` (scripts/test.ts sees to it).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { seedExtensions } from '../support/sip-agents.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { expectAudioFlowing, inboundAudio, openAgent, press } from './agent-page.ts';

describe('softphone calls end to end', () => {
  let stack: TestStack;
  let browser: Browser;
  let a: Page;
  let b: Page;

  before(async () => {
    stack = await startStack({ nodeName: 'e2e-node' });
    await seedExtensions(stack.kamailio, [
      { number: '5001', name: 'Alice Agent', manualDialing: true, callRecording: true },
      { number: '5002', name: 'Bob Agent', manualDialing: false },
      { number: '5003', name: 'Carol Agent', manualDialing: false },
    ]);
    browser = await launchChromium();
    a = await openAgent(browser, stack.origin, '5001', 'pw-5001');
    b = await openAgent(browser, stack.origin, '5002', 'pw-5002');
  });

  after(async () => {
    await browser.close();
    await stack.stop();
  });

  test('an agent without manual dialing sees no dialpad; one with it does', async () => {
    assert.equal(await b.locator('#number').count(), 0);
    await b.getByText('manual dialing is off').waitFor();
    assert.equal(await a.locator('#number').count(), 1);
  });

  test('A calls B, B answers, audio flows both ways; mute, hold, DTMF, hang up', async () => {
    await a.locator('#number').fill('5002');
    await press(a, 'Call');
    await b.getByText('Alice Agent').or(b.getByText('5001')).first().waitFor({ timeout: 10_000 });
    await press(b, 'Answer');
    await a.getByRole('button', { name: 'Hang up' }).waitFor();
    await expectAudioFlowing(a);
    await expectAudioFlowing(b);
    await a.getByText('● Recording').waitFor();

    await press(a, 'Mute');
    await a.getByRole('button', { name: 'Unmute' }).waitFor();
    await press(a, 'Unmute');

    await press(a, 'Hold');
    await a.getByText(/On hold/).waitFor({ timeout: 5000 });
    await b.waitForTimeout(1000);
    const heldBefore = await inboundAudio(b);
    await b.waitForTimeout(1500);
    const heldAfter = await inboundAudio(b);
    assert.ok(heldBefore && heldAfter);
    assert.ok(
      heldAfter.totalAudioEnergy - heldBefore.totalAudioEnergy < 1e-3,
      'no sound reaches B while A holds',
    );
    await press(a, 'Resume');
    await expectAudioFlowing(b);

    const tones = await a.evaluate(async () => {
      const phone = document.querySelector('earshot-softphone') as unknown as {
        phone: { sip: { calls: { session: { connection: RTCPeerConnection } }[] } };
      };
      const sender = phone.phone.sip.calls[0]?.session.connection
        .getSenders()
        .find((s) => s.track?.kind === 'audio');
      const played: string[] = [];
      sender?.dtmf?.addEventListener('tonechange', (event) => played.push(event.tone));
      return new Promise<string[]>((resolve) => {
        (window as unknown as { __tones: () => string[] }).__tones = () => played;
        resolve(played);
      });
    });
    assert.deepEqual(tones, []);
    await press(a, 'Keypad');
    await a.getByRole('group', { name: 'Send tones' }).getByRole('button', { name: '5' }).click();
    await a.waitForFunction(() => (window as unknown as { __tones: () => string[] }).__tones().includes('5'));

    await press(a, 'Hang up');
    await b.getByText('manual dialing is off').waitFor({ timeout: 5000 });
    await a.locator('#number').waitFor();
  });

  test('blind transfer: B sends A to C, who answers and hears A', async () => {
    const c = await openAgent(browser, stack.origin, '5003', 'pw-5003');
    await a.locator('#number').fill('5002');
    await press(a, 'Call');
    await press(b, 'Answer');
    await expectAudioFlowing(b);
    await b.getByPlaceholder('Transfer to…').fill('5003');
    await press(b, 'Transfer');
    await c.getByRole('button', { name: 'Answer' }).waitFor({ timeout: 10_000 });
    await press(c, 'Answer');
    await expectAudioFlowing(c);
    await b.getByText('manual dialing is off').waitFor({ timeout: 10_000 });
    await press(c, 'Hang up');
    await c.close();
  });
});
