// The example portal (another origin) embeds the widget, registers and places a call with audio,
// in Chromium against the real stack (loopback-only namespace).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { EarshotSoftphone } from '../../src/components/softphone/softphone.ts';
import { launchChromium } from '../support/browser.ts';
import { seedExtensions } from '../support/sip-agents.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { expectAudioFlowing, expectSilence, openAgent, press, submitLogin } from './agent-page.ts';

/** Calls the widget's public `mute()` the way the host page's own script would. */
function muteThroughApi(portal: Page, on: boolean): Promise<void> {
  return portal.locator('earshot-softphone').evaluate((el, value) => {
    (el as EarshotSoftphone).mute(value);
  }, on);
}

describe('embedding the widget in a portal of another origin', () => {
  let stack: TestStack;
  let browser: Browser;

  before(async () => {
    stack = await startStack({ nodeName: 'e2e-embed', portal: true });
    await seedExtensions(stack.kamailio, [
      { number: '1001', name: 'Portal Agent', manualDialing: true },
      { number: '1002', name: 'Grace Hopper' },
    ]);
    browser = await launchChromium();
  });

  after(async () => {
    await browser.close();
    await stack.stop();
  });

  test('registers, click-to-calls with audio, and reports events to the host page', async () => {
    const portalOrigin = stack.portalOrigin;
    assert.ok(portalOrigin && new URL(portalOrigin).origin !== new URL(stack.origin).origin);
    const callee = await openAgent(browser, stack.origin, '1002', 'pw-1002');
    const portal = await (await browser.newContext()).newPage();
    const errors: string[] = [];
    portal.on('pageerror', (error) => errors.push(error.message));
    await portal.goto(portalOrigin);
    await submitLogin(portal, '1001', 'pw-1001');
    await portal.getByText('earshot-registered 1001').waitFor({ timeout: 10_000 });
    await portal.getByText('1001 · Ready').waitFor();

    await portal.locator('a[data-call-to="1002"]').click();
    await callee.getByText('Portal Agent').or(callee.getByText('1001')).first().waitFor({ timeout: 10_000 });
    await press(callee, 'Answer');
    await portal.getByText(/earshot-call-started .*"number":"1002"/).waitFor({ timeout: 10_000 });
    await expectAudioFlowing(portal);
    await expectAudioFlowing(callee);

    // The host mutes through the widget API: the callee's packets keep coming without sound, until unmute.
    await muteThroughApi(portal, true);
    await expectSilence(callee);
    await muteThroughApi(portal, false);
    await expectAudioFlowing(callee);

    // The portal's loud button styles stay outside the widget's shadow root.
    const hangup = portal.getByRole('button', { name: 'Hang up' });
    assert.notEqual(await hangup.evaluate((b) => getComputedStyle(b).backgroundColor), 'rgb(255, 105, 180)');
    await hangup.click();
    await portal.getByText(/earshot-call-ended .*"outcome":"completed"/).waitFor({ timeout: 10_000 });
    assert.deepEqual(errors, []);
  });

  test('the callee sees the caller name the portal resolved (screen-pop)', async () => {
    const portal = await (await browser.newContext()).newPage();
    await portal.goto(stack.portalOrigin ?? '');
    await submitLogin(portal, '1002', 'pw-1002');
    await portal.getByText('1002 · Ready').waitFor({ timeout: 10_000 });
    const caller = await openAgent(browser, stack.origin, '1001', 'pw-1001');
    await caller.locator('#number').fill('1002');
    await press(caller, 'Call');
    await portal.getByText(/earshot-incoming-call .*"number":"1001"/).waitFor({ timeout: 10_000 });
    await press(portal, 'Decline');
    await caller.getByText('The other party declined the call.').waitFor({ timeout: 10_000 });
  });
});
