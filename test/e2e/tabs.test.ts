// One registration per browser: two pages of the example portal in one browser context share one
// SIP registration, a call is answered from the tab that does not hold it, and the other tab takes
// over within two seconds when the leader's page closes. Real Kamailio (checked over JSON-RPC),
// account service and Chromium in the loopback-only namespace.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { KamailioRpc, type UlContact } from '../../server/kamailio/rpc.ts';
import { launchChromium } from '../support/browser.ts';
import { seedExtensions } from '../support/sip-agents.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { expectAudioFlowing, expectSilence, openAgent, press, submitLogin } from './agent-page.ts';

/** The registration status of the page's own SIP service, or null when the page has none (a follower). */
function ownRegistration(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const el = document.querySelector('earshot-softphone') as unknown as {
      phone: { sip?: { registration: { status: string } } };
    };
    return el.phone.sip?.registration.status ?? null;
  });
}

/** Polls Kamailio until `number` has exactly `count` contacts (a leaving tab's binding may need a moment). */
async function waitForContacts(rpc: KamailioRpc, number: string, count: number): Promise<UlContact[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const contacts = await rpc.ulLookup(number);
    if (contacts.length === count) return contacts;
    if (Date.now() > deadline) throw new Error(`${number} has ${contacts.length} contacts, not ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Waits until the Web Lock of `extension`'s line is held by one tab and `queued` others wait in
 * line for it: every tab has decided whether it leads or follows.
 */
async function waitForLineLock(page: Page, extension: string, queued: number): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const locks = await page.evaluate(async (suffix) => {
      const { held = [], pending = [] } = await navigator.locks.query();
      // No named helper in here: the test's transpiler would wrap it in a function the page lacks.
      const [holders = 0, waiting = 0] = [held, pending].map(
        (list) =>
          list.filter((lock) => lock.name?.startsWith('earshot-line:') && lock.name.endsWith(suffix)).length,
      );
      return { held: holders, pending: waiting };
    }, `|${extension}`);
    if (locks.held === 1 && locks.pending === queued) return;
    if (Date.now() > deadline) throw new Error(`line lock of ${extension}: ${JSON.stringify(locks)}`);
    await page.waitForTimeout(50);
  }
}

/** Dials `number` from the caller's softphone and waits until the page `at` shows the ringing call. */
async function ring(caller: Page, number: string, at: Page): Promise<void> {
  await caller.locator('#number').fill(number);
  await press(caller, 'Call');
  await at.getByRole('button', { name: 'Answer' }).waitFor({ timeout: 10_000 });
}

describe('several tabs of one portal share one registration', () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let rpc: KamailioRpc;
  let leader: Page;
  let follower: Page;
  let caller: Page;

  before(async () => {
    stack = await startStack({ nodeName: 'e2e-tabs', portal: true });
    await seedExtensions(stack.kamailio, [
      { number: '1001', name: 'Portal Agent', manualDialing: true },
      { number: '1002', name: 'Grace Hopper', manualDialing: true },
      { number: '1003', name: 'Restored Tabs', manualDialing: true },
    ]);
    rpc = new KamailioRpc(stack.kamailio.rpcUrl);
    browser = await launchChromium();
    context = await browser.newContext();
  });

  after(async () => {
    await browser.close();
    await stack.stop();
  });

  test('a second tab shows the line without registering again: one contact, one WebSocket', async () => {
    const portal = stack.portalOrigin ?? '';
    leader = await context.newPage();
    await leader.goto(portal);
    await submitLogin(leader, '1001', 'pw-1001');
    await leader.getByText('1001 · Ready').waitFor({ timeout: 10_000 });

    follower = await context.newPage();
    await follower.goto(portal);
    // No login form to fill: the tab joins the one that is logged in.
    await follower.getByText('1001 · Ready').waitFor({ timeout: 10_000 });
    await follower.getByText('earshot-registered 1001').waitFor();
    // The follower has made its choice: it waits in line for the leader's lock, so it had every
    // chance to register on its own by now.
    await waitForLineLock(follower, '1001', 1);

    assert.equal(await ownRegistration(leader), 'registered');
    assert.equal(await ownRegistration(follower), null, 'the second tab has no SIP user agent');
    assert.equal((await waitForContacts(rpc, '1001', 1)).length, 1);
    assert.equal((await rpc.wsDump()).length, 1, 'only the leader tab is connected to Kamailio');
  });

  test('a call rings in both tabs, is answered in the follower, and the leader plays the audio', async () => {
    caller = await openAgent(browser, stack.origin, '1002', 'pw-1002');
    await ring(caller, '1001', follower);
    await leader.getByRole('button', { name: 'Answer' }).waitFor();
    // The portal's caller lookup names the caller in the follower tab too.
    await follower.getByText(/earshot-incoming-call .*"number":"1002"/).waitFor();
    await follower.getByText('Grace Hopper').first().waitFor();

    await press(follower, 'Answer');
    await follower.getByRole('button', { name: 'Hang up' }).waitFor({ timeout: 10_000 });
    await follower.getByText(/earshot-call-started .*"number":"1002"/).waitFor({ timeout: 10_000 });
    // Media lives in the leader tab: its peer connection receives the caller's sound, and vice versa.
    await expectAudioFlowing(leader);
    await expectAudioFlowing(caller);

    // Mute pressed in the follower silences the leader's microphone: the caller hears nothing, then again.
    await press(follower, 'Mute');
    await follower.getByRole('button', { name: 'Unmute' }).waitFor();
    await expectSilence(caller);
    await press(follower, 'Unmute');
    await expectAudioFlowing(caller);

    await press(follower, 'Hang up');
    await follower.getByText(/earshot-call-ended .*"outcome":"completed"/).waitFor({ timeout: 10_000 });
    await leader.getByText(/earshot-call-ended .*"outcome":"completed"/).waitFor();
    await caller.locator('#number').waitFor({ timeout: 10_000 });
  });

  test('closing the leader tab: the other one registers within two seconds and takes calls', async () => {
    const before = await waitForContacts(rpc, '1001', 1);
    const closedAt = Date.now();
    await leader.close();
    await follower.waitForFunction(
      () => {
        const el = document.querySelector('earshot-softphone') as unknown as {
          phone: { sip?: { registration: { status: string } } };
        };
        return el.phone.sip?.registration.status === 'registered';
      },
      undefined,
      { timeout: 5000, polling: 20 },
    );
    const tookMs = Date.now() - closedAt;
    console.log(`takeover registered in ${tookMs} ms`);
    assert.ok(tookMs < 2000, `took over in ${tookMs} ms`);

    const [contact] = await waitForContacts(rpc, '1001', 1);
    assert.notEqual(contact?.['Call-ID'], before[0]?.['Call-ID'], 'the binding is the new tab’s');
    await follower.getByText('1001 · Ready').waitFor();

    await ring(caller, '1001', follower);
    await press(follower, 'Answer');
    await expectAudioFlowing(follower);
    await expectAudioFlowing(caller);
    await press(follower, 'Hang up');
    await caller.locator('#number').waitFor({ timeout: 10_000 });
  });

  test('two tabs logging in at the same moment (a CRM restoring its tabs): one binding, the leader’s', async () => {
    // A fresh profile: no tab is known to lead, so both send a REGISTER before the Web Lock decides.
    const restored = await browser.newContext();
    const pages = [await restored.newPage(), await restored.newPage()];
    await Promise.all(pages.map((page) => page.goto(stack.origin)));
    // Both logins must be under way before the lock is decided: hold it for 200 ms from the page
    // (as a tab that just logged out does), so neither login can win it before the other starts.
    const lockName = `earshot-line:${stack.origin}|${stack.kamailio.wsUrl}|1003`;
    await pages[0]?.evaluate((name) => {
      void navigator.locks.request(name, () => new Promise((resolve) => setTimeout(resolve, 200)));
    }, lockName);
    await Promise.all(
      pages.map((page) =>
        page.evaluate(() => {
          const el = document.querySelector('earshot-softphone') as unknown as {
            login(extension: string, password: string): Promise<void>;
          };
          return el.login('1003', 'pw-1003');
        }),
      ),
    );
    // The other tab registered too, then gives its binding back (its login returned before that):
    // it ends with a SIP service of its own, logged out.
    const statuses = async () => Promise.all(pages.map((page) => ownRegistration(page)));
    const settled = (seen: (string | null)[]) => [...seen].sort().join() === 'logged-out,registered';
    const deadline = Date.now() + 5000;
    while (!settled(await statuses())) {
      if (Date.now() > deadline) throw new Error(`registrations: ${(await statuses()).join(', ')}`);
      await pages[0]?.waitForTimeout(100);
    }
    const owner = (await statuses()).indexOf('registered');
    const [leaderPage, otherPage] = owner === 0 ? pages : [pages[1], pages[0]];
    if (!leaderPage || !otherPage) throw new Error('two pages expected');
    await otherPage.getByText('1003 · Ready').waitFor({ timeout: 5000 });
    assert.equal((await waitForContacts(rpc, '1003', 1)).length, 1);

    await caller.locator('#number').fill('1003');
    await press(caller, 'Call');
    await leaderPage.waitForFunction(
      () => {
        const el = document.querySelector('earshot-softphone') as unknown as {
          phone: { sip?: { calls: unknown[] } };
        };
        return el.phone.sip?.calls.length === 1;
      },
      undefined,
      { timeout: 10_000 },
    );
    await otherPage.getByRole('button', { name: 'Answer' }).waitFor({ timeout: 10_000 });
    await press(otherPage, 'Answer');
    await expectAudioFlowing(leaderPage);
    await press(otherPage, 'Hang up');
    await caller.locator('#number').waitFor({ timeout: 10_000 });
    await restored.close();
  });
});
