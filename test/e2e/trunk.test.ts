// What an agent types in the real softphone reaches the phone network as E.164 (a fake carrier on
// 127.0.0.20 plays it, signalling only), and without a trunk the agent reads the plain refusal.
// Runs inside a network namespace that has only `lo` (scripts/test.ts sees to it).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { FakeCarrier } from '../support/sip-carrier.ts';
import { header } from '../support/sip-message.ts';
import { seedExtensions } from '../support/sip-agents.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { openAgent, press } from './agent-page.ts';

describe('outside calls from the softphone', () => {
  let browser: Browser;
  let carrier: FakeCarrier;
  let withTrunk: TestStack;
  let withoutTrunk: TestStack;

  before(async () => {
    // The carrier is busy: no media is needed to see the call reach it.
    carrier = await FakeCarrier.open('127.0.0.20', { answer: 'busy' });
    withTrunk = await startStack({
      nodeName: 'e2e-trunk',
      dialCountry: 'US',
      trunk: {
        host: '127.0.0.20',
        port: carrier.port,
        transport: 'udp',
        username: null,
        password: null,
        allowedIps: ['127.0.0.20/32'],
        defaultCallerId: '+15550100000',
      },
    });
    withoutTrunk = await startStack({ nodeName: 'e2e-no-trunk' });
    for (const stack of [withTrunk, withoutTrunk])
      await seedExtensions(stack.kamailio, [{ number: '5101', name: 'Dana Agent', manualDialing: true }]);
    browser = await launchChromium();
  });

  after(async () => {
    await browser.close();
    await withTrunk.stop();
    await withoutTrunk.stop();
    await carrier.close();
  });

  test('typed +1 (555) 010-9999: the carrier gets +15550109999 with the caller ID', async () => {
    const page = await openAgent(browser, withTrunk.origin, '5101', 'pw-5101');
    await page.locator('#number').fill('+1 (555) 010-9999');
    await press(page, 'Call');
    await page.getByText('The number is busy.').waitFor({ timeout: 10_000 });
    const invite = carrier.invites()[0];
    assert.ok(invite, 'the carrier got no INVITE');
    assert.ok(invite.uri?.startsWith('sip:+15550109999@127.0.0.20:'), invite.uri);
    assert.match(header(invite, 'from') ?? '', /<sip:\+15550100000@127\.0\.0\.20>/);
    await page.context().close();
  });

  test('without a trunk the agent reads "Outside calls are not set up on this system."', async () => {
    const page = await openAgent(browser, withoutTrunk.origin, '5101', 'pw-5101');
    await page.locator('#number').fill('555-010-9999');
    await press(page, 'Call');
    await page.getByText('Outside calls are not set up on this system.').waitFor({ timeout: 10_000 });
    assert.equal(await page.getByText('That number does not exist.').count(), 0);
    await page.context().close();
  });
});
