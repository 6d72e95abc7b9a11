// The administrator console in Chromium against the real stack (account service, Kamailio,
// SQLite): an admin disables an agent who is logged in on the softphone, and the agent is told.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createAdmin } from '../../server/admins/repository.ts';
import { launchChromium } from '../support/browser.ts';
import { seedExtensions } from '../support/sip-agents.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { openAgent } from './agent-page.ts';

const ADMIN = { username: 'alice', password: 'tangerine-harbor-quartz-71' };
const VIEWER = { username: 'vic', password: 'lantern-meadow-cobalt-38' };

/** Opens /admin.html in a fresh context and signs in. */
async function openConsole(browser: Browser, origin: string, who: typeof ADMIN): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${origin}/admin.html`);
  await page.locator('#username').fill(who.username);
  await page.locator('#password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`Signed in as ${who.username}`).waitFor({ timeout: 10_000 });
  return page;
}

describe('administrator console end to end', () => {
  let stack: TestStack;
  let browser: Browser;

  before(async () => {
    stack = await startStack({ nodeName: 'e2e-admin' });
    await seedExtensions(stack.kamailio, [
      { number: '1001', name: 'Ada Agent' },
      { number: '1002', name: 'Bob Agent' },
    ]);
    const db = stack.kamailio.database.db.kysely;
    await createAdmin(db, { ...ADMIN, role: 'admin' });
    await createAdmin(db, { ...VIEWER, role: 'viewer' });
    browser = await launchChromium();
  });

  after(async () => {
    await browser.close();
    await stack.stop();
  });

  test('an admin disables an agent who is logged in; the softphone says so within seconds', async () => {
    const agent = await openAgent(browser, stack.origin, '1001', 'pw-1001');
    const admin = await openConsole(browser, stack.origin, ADMIN);
    await admin.locator('#search').fill('1001');
    await admin.getByText('Showing 1–1 of 1').waitFor({ timeout: 10_000 });
    const row = admin.locator('tbody tr', { hasText: 'Ada Agent' });
    // The live registration of the agent's browser is in the row.
    await row.getByText('Registered', { exact: true }).waitFor({ timeout: 10_000 });
    await row.getByText('e2e-admin').waitFor({ timeout: 2000 });
    const toggle = admin.getByRole('switch', { name: 'Extension 1001 enabled' });
    assert.equal(await toggle.getAttribute('aria-checked'), 'true');
    await toggle.click();
    await admin.getByText('Extension 1001 disabled').waitFor({ timeout: 10_000 });
    assert.equal(await toggle.getAttribute('aria-checked'), 'false');
    await agent
      .getByText('This extension has been disabled by your administrator.')
      .waitFor({ timeout: 15_000 });
    await agent.close();
    await admin.close();
  });

  test('two admins edit the same extension: the second save shows the saved values, overwrites nothing', async () => {
    const first = await openConsole(browser, stack.origin, ADMIN);
    const second = await openConsole(browser, stack.origin, ADMIN);
    await first.getByRole('button', { name: 'Edit 1002' }).click();
    const edit = first.locator('earshot-admin-edit-dialog');
    await edit.locator('#callLimit').fill('5');
    await second.getByRole('switch', { name: 'Extension 1002 enabled' }).click();
    await second.getByText('Extension 1002 disabled').waitFor({ timeout: 10_000 });
    await edit.getByRole('button', { name: 'Save' }).click();
    await first.getByText('Someone else changed extension 1002').waitFor({ timeout: 10_000 });
    const status = edit.locator('table.conflict tr', { hasText: 'Status' });
    assert.match(await status.innerText(), /Disabled\s+Enabled \(differs\)/);
    const limit = edit.locator('table.conflict tr', { hasText: 'Call limit' });
    assert.match(await limit.innerText(), /2\s+5 \(differs\)/);
    await edit.getByRole('button', { name: 'Reload' }).click();
    assert.equal(await edit.locator('#callLimit').inputValue(), '2');
    await edit.locator('#callLimit').fill('5');
    await edit.getByRole('button', { name: 'Save' }).click();
    await first.getByText('Extension 1002 saved.').waitFor({ timeout: 10_000 });
    const saved = first.locator('tbody tr', { hasText: 'Bob Agent' });
    assert.equal(await saved.getByRole('switch').getAttribute('aria-checked'), 'false');
    await first.close();
    await second.close();
  });

  test('a CSV dry run reports bad rows from the real service; a viewer gets a read-only page', async () => {
    const admin = await openConsole(browser, stack.origin, ADMIN);
    await admin.getByRole('button', { name: 'Import CSV' }).click();
    await admin.locator('#file').setInputFiles({
      name: 'agents.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('number,name\n3001,Cleo\nabc,Bad Code\n1002,Taken\n'),
    });
    await admin.getByText(/problems? found in agents\.csv/).waitFor({ timeout: 10_000 });
    const problems = admin.locator('earshot-admin-import-dialog tbody tr');
    assert.equal(await problems.count(), 2);
    assert.match(await problems.nth(0).innerText(), /^3\s/);
    assert.match(await problems.nth(1).innerText(), /^4\s/);
    await admin.close();

    const viewer = await openConsole(browser, stack.origin, VIEWER);
    await viewer.getByText('Viewer (read-only)').waitFor();
    await viewer.getByText('Bob Agent').waitFor({ timeout: 10_000 });
    for (const name of ['Create extension', 'Import CSV', 'Edit 1002', 'Delete 1002']) {
      assert.equal(await viewer.getByRole('button', { name }).count(), 0, name);
    }
    assert.equal(await viewer.getByRole('switch').count(), 0);
    await viewer.close();
  });
});
