// A browser killed without logging out (crash, kill -9, power cut) must not stay "Registered":
// Kamailio drops the contact with its WebSocket, so the registrar and the admin list say so in seconds.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAdmin } from '../../server/admins/repository.ts';
import type { AdminExtension } from '../../server/api/routes/admin/schemas.ts';
import { launchChromiumServer } from '../support/browser.ts';
import { seedExtensions } from '../support/sip-agents.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { openAgent } from './agent-page.ts';

const ADMIN = { username: 'kim', password: 'orchid-lantern-basalt-52' };

describe('a killed browser end to end', () => {
  let stack: TestStack;
  let adminAuth: { authorization: string };

  /** The admin list's registration column for `number`, through the API. */
  const adminRow = async (number: string) => {
    const res = await stack.app.inject({
      method: 'GET',
      url: `/api/v1/admin/extensions?q=${number}`,
      headers: adminAuth,
    });
    assert.equal(res.statusCode, 200, res.body);
    const row = res.json<{ items: AdminExtension[] }>().items.find((item) => item.number === number);
    assert.ok(row, `${number} is not in the admin list`);
    return row.registration;
  };
  /** Whether Kamailio and the admin list both say `number` is registered. */
  const registeredEverywhere = async (number: string) => {
    const { registrations } = await stack.registrar.lookup(number);
    return { kamailio: registrations.length > 0, adminList: (await adminRow(number)).registered };
  };

  before(async () => {
    stack = await startStack({ nodeName: 'e2e-killed' });
    await seedExtensions(stack.kamailio, [{ number: '7001', name: 'Ivy Agent' }]);
    await createAdmin(stack.kamailio.database.db.kysely, { ...ADMIN, role: 'admin' });
    const res = await stack.app.inject({ method: 'POST', url: '/api/v1/admin/sessions', payload: ADMIN });
    assert.equal(res.statusCode, 201, res.body);
    adminAuth = { authorization: `Bearer ${res.json<{ token: string }>().token}` };
  });

  after(async () => {
    await stack.stop();
  });

  test('SIGKILL of Chromium: within 10 s neither Kamailio nor the admin list shows the agent registered', async () => {
    const { browser, server } = await launchChromiumServer();
    try {
      await openAgent(browser, stack.origin, '7001', 'pw-7001');
      assert.deepEqual(await registeredEverywhere('7001'), { kamailio: true, adminList: true });
      const pid = server.process().pid;
      assert.ok(pid, 'no Chromium process id');
      process.kill(pid, 'SIGKILL');
      const deadline = Date.now() + 10_000;
      let seen = await registeredEverywhere('7001');
      while ((seen.kamailio || seen.adminList) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        seen = await registeredEverywhere('7001');
      }
      assert.deepEqual(seen, { kamailio: false, adminList: false }, 'still registered 10 s after the kill');
    } finally {
      await server.kill();
    }
  });
});
