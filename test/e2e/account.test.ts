// Login outcomes, the account page and resilience, in Chromium against the real stack
// (loopback-only namespace).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { setExtensionEnabled } from '../../server/extensions/status.ts';
import { launchChromium } from '../support/browser.ts';
import { seedExtensions } from '../support/sip-agents.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { openAgent, press, submitLogin } from './agent-page.ts';

describe('login, account page and resilience end to end', () => {
  let stack: TestStack;
  let browser: Browser;

  before(async () => {
    stack = await startStack({ nodeName: 'e2e-account' });
    await seedExtensions(stack.kamailio, [
      { number: '6001', name: 'Dora Agent', manualDialing: true },
      { number: '6002', name: 'Eve Agent' },
      { number: '6003', name: 'Finn Agent' },
      { number: '6004', name: 'Gus Agent', enabled: false },
    ]);
    browser = await launchChromium();
  });

  after(async () => {
    await browser.close();
    await stack.stop();
  });

  const freshPage = async () => (await browser.newContext()).newPage();

  test('a wrong password and a disabled extension are told apart in plain language', async () => {
    const page = await freshPage();
    await page.goto(stack.origin);
    await submitLogin(page, '6002', 'not-the-password');
    await page.getByText('The extension number or password is not correct.').waitFor({ timeout: 10_000 });
    await submitLogin(page, '6004', 'pw-6004');
    await page
      .getByText('This extension has been disabled by your administrator.')
      .waitFor({ timeout: 10_000 });
    assert.doesNotMatch(await page.getByRole('alert').innerText(), /\b40[13]\b/);
    await page.close();
  });

  test('the account page shows the live registration; a password change keeps the agent registered', async () => {
    const page = await openAgent(browser, stack.origin, '6001', 'pw-6001');
    await page.getByRole('tab', { name: 'My account' }).click();
    await page.getByText('Registration node').waitFor({ timeout: 10_000 });
    for (const expected of [
      'Dora Agent',
      'e2e-account',
      '127.0.0.1',
      'Earshot/0.1 (JsSIP)',
      'Yes, 1 device',
    ]) {
      await page.getByText(expected, { exact: true }).first().waitFor({ timeout: 2000 });
    }
    await page.locator('input[name=current]').fill('pw-6001');
    await page.locator('input[name=next]').fill('juniper-orbit-cascade-204');
    await page.locator('input[name=confirm]').fill('juniper-orbit-cascade-204');
    await press(page, 'Change password');
    await page.getByText('Password changed.').waitFor({ timeout: 10_000 });
    // The service kicked the old binding; the softphone re-registers with the new password by itself.
    await waitRegistered(stack, '6001');
    await page.getByText('6001 · Ready').waitFor({ timeout: 15_000 });

    const old = await freshPage();
    await old.goto(stack.origin);
    await submitLogin(old, '6001', 'pw-6001');
    await old.getByText('The extension number or password is not correct.').waitFor({ timeout: 10_000 });
    await old.close();
    await page.close();
  });

  test('Kamailio restarted mid-session: the agent is registered again without touching anything', async () => {
    const page = await openAgent(browser, stack.origin, '6002', 'pw-6002');
    await stack.kamailio.kamailio.restart();
    await waitRegistered(stack, '6002', 40_000);
    await page.getByText('6002 · Ready').waitFor({ timeout: 10_000 });
    await page.close();
  });

  test('an agent disabled while logged in is told so within seconds', async () => {
    const page = await openAgent(browser, stack.origin, '6003', 'pw-6003');
    await setExtensionEnabled(stack.kamailio.database.db.kysely, stack.registrar, '6003', false);
    await page
      .getByText('This extension has been disabled by your administrator.')
      .waitFor({ timeout: 15_000 });
    await page.close();
  });
});

/** Polls Kamailio (JSON-RPC) until `number` has a live binding. */
async function waitRegistered(stack: TestStack, number: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { registrations } = await stack.registrar.lookup(number);
    if (registrations.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${number} did not register again within ${timeoutMs} ms`);
}
