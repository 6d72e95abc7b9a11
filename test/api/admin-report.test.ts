import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RegistrationWatcher } from '../../server/extensions/registration-watcher.ts';
import type { Registration } from '../../server/kamailio/types.ts';
import { ENGINES } from '../support/databases.ts';
import { adminHeaders, loginAs, PASSWORD_1001, startApi, type ApiHarness } from '../support/api-harness.ts';

const URL = '/api/v1/admin/reports/stale-registrations';

const device = (number: string): Registration => ({
  node: 'test-node',
  contact: `sip:${number}@192.0.2.10:51234;transport=ws`,
  registeredAt: null,
  expiresAt: '2026-11-23T09:05:00.000Z',
  clientIp: '192.0.2.10',
  clientPort: 51234,
  transport: 'ws',
  userAgent: 'Earshot/0.1 (JsSIP)',
  instance: null,
});

interface Report {
  items: {
    number: string;
    name: string;
    enabled: boolean;
    lastRegisteredAt: string | null;
    reason: string;
  }[];
}

for (const engine of ENGINES) {
  describe(`stale registrations report and watcher on ${engine}`, () => {
    let h: ApiHarness;
    let viewer: { authorization: string };
    const lastRegistered = async (number: string) =>
      await h.database.db.kysely
        .selectFrom('extensions')
        .select(['last_registered_at', 'revision'])
        .where('number', '=', number)
        .executeTakeFirstOrThrow();

    before(async () => {
      h = await startApi(engine);
      viewer = await adminHeaders(h, 'viewer');
    });
    after(() => h.close());

    test('before any registration every extension is never-registered', async () => {
      const res = await h.app.inject({ url: URL, headers: viewer });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json<Report>().items, [
        {
          number: '1001',
          name: 'Ada Agent',
          enabled: true,
          lastRegisteredAt: null,
          reason: 'never-registered',
        },
        {
          number: '1002',
          name: 'Bob Agent',
          enabled: true,
          lastRegisteredAt: null,
          reason: 'never-registered',
        },
        {
          number: '1003',
          name: 'Off Agent',
          enabled: false,
          lastRegisteredAt: null,
          reason: 'never-registered',
        },
      ]);
    });

    test('the watcher stamps registered extensions without touching their revision', async () => {
      h.registrar.registrations.set('1001', [device('1001')]);
      h.registrar.registrations.set('1002', [device('1002'), device('1002')]);
      const before1001 = await lastRegistered('1001');
      const watcher = new RegistrationWatcher({
        db: h.database.db.kysely,
        registrar: h.registrar,
        now: h.clock.now,
      });
      assert.equal(await watcher.pollOnce(), 2);
      const after1001 = await lastRegistered('1001');
      assert.equal(after1001.last_registered_at, h.clock.now().toISOString());
      assert.equal(after1001.revision, before1001.revision, 'an open edit keeps its ETag');
      assert.equal((await lastRegistered('1003')).last_registered_at, null);
    });

    test('an extension not seen for more than ?hours is reported as not registered recently', async () => {
      const stamped = h.clock.now().toISOString();
      h.registrar.registrations.delete('1002');
      h.clock.advance(25 * 3600);
      viewer = await adminHeaders(h, 'viewer'); // the earlier session has expired meanwhile
      const watcher = new RegistrationWatcher({
        db: h.database.db.kysely,
        registrar: h.registrar,
        now: h.clock.now,
      });
      await watcher.pollOnce();
      const stale = (await h.app.inject({ url: URL, headers: viewer })).json<Report>().items;
      assert.deepEqual(
        stale.map((i) => [i.number, i.reason, i.lastRegisteredAt]),
        [
          ['1002', 'not-registered-recently', stamped],
          ['1003', 'never-registered', null],
        ],
      );
      const wider = (await h.app.inject({ url: `${URL}?hours=48`, headers: viewer })).json<Report>().items;
      assert.deepEqual(
        wider.map((i) => i.number),
        ['1003'],
      );
    });

    test('start() polls on a timer and stop() ends it; a failing registrar is reported, not thrown', async () => {
      h.registrar.registrations.set('1003', [device('1003')]);
      const errors: unknown[] = [];
      const watcher = new RegistrationWatcher({
        db: h.database.db.kysely,
        registrar: h.registrar,
        now: h.clock.now,
        intervalMs: 10,
        onError: (error) => errors.push(error),
      });
      watcher.start();
      for (let i = 0; i < 200 && (await lastRegistered('1003')).last_registered_at === null; i += 1)
        await new Promise((resolve) => setTimeout(resolve, 10));
      h.registrar.down = true;
      for (let i = 0; i < 200 && errors.length === 0; i += 1)
        await new Promise((resolve) => setTimeout(resolve, 10));
      await watcher.stop();
      h.registrar.down = false;
      assert.equal((await lastRegistered('1003')).last_registered_at, h.clock.now().toISOString());
      assert.ok(errors.length > 0, 'the failed poll was reported');
    });

    test('bad hours are a 400; agents and strangers are refused', async () => {
      const bad = await h.app.inject({ url: `${URL}?hours=0`, headers: viewer });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json<{ field: string }>().field, 'hours');
      const agent = await h.app.inject({ url: URL, headers: await loginAs(h, '1001', PASSWORD_1001) });
      assert.equal(agent.statusCode, 403);
      assert.equal((await h.app.inject({ url: URL })).statusCode, 401);
    });
  });
}
