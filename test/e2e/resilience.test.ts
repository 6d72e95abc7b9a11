// Calls across a signalling outage, attended transfer, microphone switch and call quality, in
// Chromium against the real stack (loopback-only namespace).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { seedExtensions } from '../support/sip-agents.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { expectAudioFlowing, openAgent, press } from './agent-page.ts';

async function connect(caller: Page, callee: Page, number: string): Promise<void> {
  await caller.locator('#number').fill(number);
  await press(caller, 'Call');
  await callee.getByRole('button', { name: 'Answer' }).waitFor({ timeout: 10_000 });
  await press(callee, 'Answer');
  await expectAudioFlowing(caller);
  await expectAudioFlowing(callee);
}

/** The id of the audio track the first call is sending. */
function sentTrackId(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const el = document.querySelector('earshot-softphone') as unknown as {
      phone: { sip?: { calls: { session: { connection?: RTCPeerConnection } }[] } };
    };
    const sender = el.phone.sip?.calls[0]?.session.connection
      ?.getSenders()
      .find((s) => s.track?.kind === 'audio');
    return sender?.track?.id ?? null;
  });
}

describe('calls under stress end to end', () => {
  let stack: TestStack;
  let browser: Browser;
  let a: Page;
  let b: Page;

  before(async () => {
    stack = await startStack({ nodeName: 'e2e-resilience' });
    await seedExtensions(stack.kamailio, [
      { number: '8001', name: 'Hana Agent', manualDialing: true },
      { number: '8002', name: 'Ivan Agent', manualDialing: true },
      { number: '8003', name: 'Jana Agent' },
    ]);
    browser = await launchChromium();
    a = await openAgent(browser, stack.origin, '8001', 'pw-8001');
    b = await openAgent(browser, stack.origin, '8002', 'pw-8002');
  });

  after(async () => {
    await browser.close();
    await stack.stop();
  });

  test('a call keeps its audio while Kamailio restarts, and both agents re-register', async () => {
    await connect(a, b, '8002');
    await stack.kamailio.kamailio.restart();
    await expectAudioFlowing(a);
    await expectAudioFlowing(b);
    await a.getByText('8001 · Ready').waitFor({ timeout: 40_000 });
    await b.getByText('8002 · Ready').waitFor({ timeout: 40_000 });
    // Known limit: B's dialog still points at its old WebSocket, so A's BYE cannot reach it
    // (that needs SIP Outbound flow handling in Kamailio); each side hangs up for itself.
    await press(a, 'Hang up');
    await press(b, 'Hang up');
    await a.locator('#number').waitFor({ timeout: 10_000 });
    await b.locator('#number').waitFor({ timeout: 10_000 });
  });

  test('the microphone can be switched mid-call and the quality indicator shows', async () => {
    await connect(a, b, '8002');
    await a.getByText(/Quality: (good|fair|poor)/).waitFor({ timeout: 10_000 });
    const before = await sentTrackId(a);
    await a.getByText('Audio devices').click();
    const options = await a
      .locator('#microphone option')
      .evaluateAll((els) => els.map((o) => (o as HTMLOptionElement).value));
    const other = options.find((value) => value !== '');
    assert.ok(other, `a microphone to switch to: ${JSON.stringify(options)}`);
    await a.locator('#microphone').selectOption(other);
    await a.waitForFunction(
      (old) => {
        const el = document.querySelector('earshot-softphone') as unknown as {
          phone: { sip?: { calls: { session: { connection?: RTCPeerConnection } }[] } };
        };
        const s = el.phone.sip?.calls[0]?.session.connection
          ?.getSenders()
          .find((x) => x.track?.kind === 'audio');
        return Boolean(s?.track && s.track.id !== old && s.track.readyState === 'live');
      },
      before,
      { timeout: 5000 },
    );
    await expectAudioFlowing(b);
    await press(a, 'Hang up');
    await a.locator('#number').waitFor({ timeout: 10_000 });
  });

  test('attended transfer: A consults C, then hands the caller over', async () => {
    const c = await openAgent(browser, stack.origin, '8003', 'pw-8003');
    await connect(b, a, '8001');
    await a.getByPlaceholder('Transfer to…').fill('8003');
    await press(a, 'Consult first');
    await press(c, 'Answer');
    await expectAudioFlowing(c);
    await press(a, 'Complete transfer');
    // B's call is replaced by one to C; A is out of both calls.
    await a.locator('#number').waitFor({ timeout: 15_000 });
    await expectAudioFlowing(c);
    await expectAudioFlowing(b);
    await press(c, 'Hang up');
    await c.close();
  });
});
