// Two (and three) agents in Chromium with fake media against the real Kamailio and account
// service. Runs inside a network namespace that has only `lo` (scripts/test.ts sees to it).
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { seedExtensions } from '../support/sip-agents.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import {
  endCalls,
  expectAudioFlowing,
  expectSilence,
  openAgent,
  press,
  recordReceivedDtmf,
  waitForReceivedDtmf,
} from './agent-page.ts';

/** Presses the in-call keypad's keys one by one (the keypad opened). */
async function pressKeys(page: Page, keys: string): Promise<void> {
  const keypad = page.getByRole('group', { name: 'Send tones' });
  if (!(await keypad.isVisible())) await press(page, 'Keypad');
  for (const key of keys) await keypad.getByRole('button', { name: key, exact: true }).click();
}

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
      { number: '5004', name: 'Dave Agent', manualDialing: true },
    ]);
    browser = await launchChromium();
    a = await openAgent(browser, stack.origin, '5001', 'pw-5001');
    // B is the far end that checks what arrives, DTMF included (see recordReceivedDtmf).
    b = await openAgent(browser, stack.origin, '5002', 'pw-5002', { context: { bypassCSP: true } });
  });

  // A failed test leaves no call behind for the next one.
  afterEach(async () => {
    await Promise.all(
      browser
        .contexts()
        .flatMap((context) => context.pages())
        .map(endCalls),
    );
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
    await recordReceivedDtmf(b);
    await press(b, 'Answer');
    await a.getByRole('button', { name: 'Hang up' }).waitFor();
    await expectAudioFlowing(a);
    await expectAudioFlowing(b);
    await a.getByText('● Recording').waitFor();

    // Mute and hold are heard at the far end: B's packets keep coming but carry no sound, then do again.
    await press(a, 'Mute');
    await a.getByRole('button', { name: 'Unmute' }).waitFor();
    await expectSilence(b);
    await press(a, 'Unmute');
    await expectAudioFlowing(b);

    await press(a, 'Hold');
    await a.getByText(/On hold/).waitFor({ timeout: 5000 });
    await expectSilence(b);
    await press(a, 'Resume');
    await expectAudioFlowing(b);

    // RFC 4733 (the default): B decodes the telephone-events in the RTP it receives.
    await pressKeys(a, '5#0');
    assert.equal(await waitForReceivedDtmf(b, 'rtp', '5#0'), '5#0');

    await press(a, 'Hang up');
    await b.getByText('manual dialing is off').waitFor({ timeout: 5000 });
    await a.locator('#number').waitFor();
  });

  test('DTMF as SIP INFO: the far end receives the digits through Kamailio', async () => {
    const d = await openAgent(browser, stack.origin, '5004', 'pw-5004', {
      attributes: { 'dtmf-transport': 'info' },
    });
    await d.locator('#number').fill('5002');
    await press(d, 'Call');
    await b.getByRole('button', { name: 'Answer' }).waitFor({ timeout: 10_000 });
    await recordReceivedDtmf(b);
    await press(b, 'Answer');
    await d.getByRole('button', { name: 'Hang up' }).waitFor();
    await pressKeys(d, '1*9');
    assert.equal(await waitForReceivedDtmf(b, 'info', '1*9'), '1*9');
    await press(d, 'Hang up');
    await b.getByText('manual dialing is off').waitFor({ timeout: 5000 });
    await d.close();
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
