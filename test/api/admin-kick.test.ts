// Admin API, Kamailio not answering a kick: the change still applies, the answer tells the admin
// in plain words that the devices could not be disconnected yet, and the kick is retried until
// Kamailio answers again (then the devices really lose their registration).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AdminExtension } from '../../server/api/routes/admin/schemas.ts';
import type { KickReport } from '../../server/kamailio/kick-queue.ts';
import { assertAudited, call, EXTENSIONS, registration, type Headers } from '../support/admin-api.ts';
import { createTestAdmin, loginAdmin, startApi, type ApiHarness } from '../support/api-harness.ts';
import { ENGINES } from '../support/databases.ts';
import { until } from '../support/poll.ts';

const undelivered = (number: string): KickReport => ({
  delivered: false,
  message: `The phone server (node test-node) did not answer, so devices still signed in as extension ${number} could not be disconnected yet. Earshot keeps trying and disconnects them as soon as it answers again.`,
  unreachableNodes: ['test-node'],
});

for (const engine of ENGINES)
  describe(`kicks Kamailio does not answer, on ${engine}`, { timeout: 60_000 }, () => {
    let h: ApiHarness;
    let ann: Headers;
    const create = async (number: string) =>
      assert.equal((await call(h, 'POST', EXTENSIONS, ann, { number, name: `N ${number}` })).statusCode, 201);

    before(async () => {
      h = await startApi(engine);
      ann = await loginAdmin(h, await createTestAdmin(h, 'admin', 'ann'));
    });
    after(() => h.close());

    test('a disable while Kamailio is down answers 200 with kick.delivered false, then retries it', async () => {
      await create('4500');
      h.registrar.registrations.set('4500', [registration()]);
      h.registrar.kicked = [];
      h.registrar.down = true;
      const res = await call(h, 'POST', `${EXTENSIONS}/4500/disable`, ann);
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json<AdminExtension & { kick: KickReport }>();
      assert.equal(body.enabled, false);
      assert.deepEqual(body.kick, undelivered('4500'));
      assert.deepEqual([body.registration.status, body.registration.registered], ['unknown', null]);
      assert.equal((await assertAudited(h, 'extension.disable', '4500', 'ann')).details.kicked, false);
      assert.deepEqual(h.registrar.kicked, []);
      // Kamailio is back: the retry disconnects the devices without anyone asking again.
      h.registrar.down = false;
      await until(() => h.registrar.kicked.includes('4500'), 'the kick was retried');
      assert.equal(h.registrar.registrations.has('4500'), false);
    });

    test('a disable that reached Kamailio says so; an enable kicks nobody and says nothing', async () => {
      await create('4501');
      const off = await call(h, 'POST', `${EXTENSIONS}/4501/disable`, ann);
      assert.equal(off.json<{ kick: KickReport }>().kick.delivered, true);
      const on = await call(h, 'POST', `${EXTENSIONS}/4501/enable`, ann);
      assert.equal('kick' in on.json<object>(), false);
    });

    test('PATCH enabled=false and a regenerated secret report an undelivered kick too', async () => {
      await create('4502');
      await create('4503');
      const etag = String((await call(h, 'GET', `${EXTENSIONS}/4502`, ann)).headers.etag);
      h.registrar.kicked = [];
      h.registrar.down = true;
      const [patched, secret] = await Promise.all([
        call(
          h,
          'PATCH',
          `${EXTENSIONS}/4502`,
          { ...ann, 'content-type': 'application/json', 'if-match': etag },
          { enabled: false },
        ),
        call(h, 'POST', `${EXTENSIONS}/4503/secret/regenerate`, ann),
      ]).finally(() => (h.registrar.down = false));
      assert.deepEqual([patched.statusCode, secret.statusCode], [200, 200]);
      assert.deepEqual(patched.json<{ kick: KickReport }>().kick, undelivered('4502'));
      assert.deepEqual(secret.json<{ kick: KickReport }>().kick, undelivered('4503'));
      await until(
        () => ['4502', '4503'].every((number) => h.registrar.kicked.includes(number)),
        'both kicks were retried',
      );
    });
  });
