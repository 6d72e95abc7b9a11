// Alerts by webhook, on both engines, with a real HTTP receiver on loopback: admins subscribe an
// address to events; disabling or deleting an extension, a blocked login guesser and an extension
// silent for too long each reach it as a signed POST; failures are retried with backoff and end
// as failed; viewers read without seeing the address's path; nothing secret reaches the audit log.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { DEFAULT_THROTTLE } from '../../server/api/throttle.ts';
import { SIGNATURE_HEADER, verifyDelivery } from '../../server/alerts/signature.ts';
import { adminHeaders, startApi, type ApiHarness } from '../support/api-harness.ts';
import { ENGINES } from '../support/databases.ts';
import { until } from '../support/poll.ts';
import { startWebhookReceiver, type Received, type WebhookReceiver } from '../support/webhook-receiver.ts';

const FIRST_RETRY_MS = 60_000;
const SECOND_RETRY_MS = 120_000;
const RETRY_MS = [FIRST_RETRY_MS, SECOND_RETRY_MS];

interface Created {
  id: string;
  secret: string;
  url: string;
}
interface Delivery {
  event: string;
  status: string;
  attempts: number;
  lastResult: string | null;
}

for (const engine of ENGINES) {
  describe(`webhook alerts on ${engine}`, () => {
    let h: ApiHarness;
    let admin: { authorization: string };
    let receiver: WebhookReceiver;
    let hook: Created;

    before(async () => {
      h = await startApi(
        engine,
        { ...DEFAULT_THROTTLE, pair: { limit: 2, windowSeconds: 300, blockSeconds: 900 } },
        {},
        {
          alerts: { everyMs: 25, retryDelaysMs: RETRY_MS, staleEveryMs: 25 },
        },
      );
      admin = await adminHeaders(h, 'admin');
      receiver = await startWebhookReceiver('/hooks/T0KEN-in-the-path');
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/admin/webhooks',
        headers: admin,
        payload: {
          url: receiver.url,
          events: ['extension.disabled', 'extension.deleted', 'login.blocked', 'registration.stale'],
        },
      });
      assert.equal(res.statusCode, 201, res.body);
      hook = res.json<Created>();
    });
    afterEach(() => {
      receiver.received.length = 0;
    });
    after(async () => {
      await h.close();
      await receiver.close();
    });

    /** Waits for a POST of `event` about `target`; checks its signature with the webhook's secret. */
    async function delivered(
      event: string,
      target: string,
    ): Promise<Received & { json: { event: string; target: string; data: Record<string, unknown> } }> {
      const find = () =>
        receiver.received.find(
          (r) => r.headers['x-earshot-event'] === event && r.body.includes(`"target":"${target}"`),
        );
      await until(() => find() !== undefined, `${event} for ${target} reaches the receiver`);
      const r = find();
      assert.ok(r);
      const signature = String(r.headers[SIGNATURE_HEADER]);
      assert.ok(verifyDelivery(hook.secret, r.body, signature, h.clock.now()), 'signature verifies');
      assert.ok(!verifyDelivery('another-secret-entirely', r.body, signature, h.clock.now()));
      assert.ok(
        !verifyDelivery(hook.secret, r.body.replace(target, '9999'), signature, h.clock.now()),
        'a changed body fails',
      );
      return {
        ...r,
        json: JSON.parse(r.body) as { event: string; target: string; data: Record<string, unknown> },
      };
    }

    const deliveries = async (): Promise<Delivery[]> =>
      (await h.app.inject({ url: `/api/v1/admin/webhooks/${hook.id}/deliveries`, headers: admin })).json<{
        items: Delivery[];
      }>().items;

    test('the secret is shown once; admins see the address, viewers only its origin; viewers cannot add one', async () => {
      assert.match(hook.secret, /^whsec_[A-Za-z0-9_-]{40,}$/);
      const list = (await h.app.inject({ url: '/api/v1/admin/webhooks', headers: admin })).json<{
        items: Record<string, unknown>[];
      }>();
      assert.equal(list.items[0]?.url, receiver.url);
      assert.ok(!JSON.stringify(list).includes(hook.secret));
      const viewer = await adminHeaders(h, 'viewer');
      const seen = (await h.app.inject({ url: '/api/v1/admin/webhooks', headers: viewer })).json<{
        items: { url: string }[];
      }>();
      assert.equal(seen.items[0]?.url, `${new URL(receiver.url).origin}/…`);
      const refused = await h.app.inject({
        method: 'POST',
        url: '/api/v1/admin/webhooks',
        headers: viewer,
        payload: { url: receiver.url, events: ['login.blocked'] },
      });
      assert.equal(refused.statusCode, 403);
    });

    test('bad addresses and events are refused in words', async () => {
      const cases: [unknown, RegExp][] = [
        [
          { url: 'ftp://example.com/x', events: ['login.blocked'] },
          /^URL must be an http:\/\/ or https:\/\/ address/,
        ],
        [{ url: receiver.url, events: [] }, /choose at least one event/],
        [{ url: receiver.url, events: ['coffee.ready'] }, /each event is one of registration\.stale/],
      ];
      for (const [payload, message] of cases) {
        const res = await h.app.inject({
          method: 'POST',
          url: '/api/v1/admin/webhooks',
          headers: admin,
          payload: payload as object,
        });
        assert.equal(res.statusCode, 400);
        assert.match(res.json<{ message: string }>().message, message);
        assert.doesNotMatch(res.json<{ message: string }>().message, /events\.0|\.0/);
      }
    });

    test('disabling and deleting an extension each reach the receiver, signed, with who did it', async () => {
      const disable = await h.app.inject({
        method: 'POST',
        url: '/api/v1/admin/extensions/1002/disable',
        headers: admin,
      });
      assert.equal(disable.statusCode, 200);
      const got = await delivered('extension.disabled', '1002');
      assert.equal(got.json.event, 'extension.disabled');
      assert.match(String(got.json.data.actor), /^admin:/);
      assert.equal(got.path, '/hooks/T0KEN-in-the-path');
      const one = await h.app.inject({ url: '/api/v1/admin/extensions/1002', headers: admin });
      const removed = await h.app.inject({
        method: 'DELETE',
        url: '/api/v1/admin/extensions/1002',
        headers: { ...admin, 'if-match': String(one.headers.etag) },
      });
      assert.equal(removed.statusCode, 204);
      await delivered('extension.deleted', '1002');
    });

    test('a guesser blocked on an extension raises login.blocked', async () => {
      for (let i = 0; i < 4; i += 1)
        await h.app.inject({
          method: 'POST',
          url: '/api/v1/sessions',
          payload: { extension: '1001', password: `wrong-guess-${String(i)}` },
        });
      const got = await delivered('login.blocked', '1001');
      assert.equal(got.json.data.limit, 'pair');
    });

    test('the scheduled check alerts an extension silent for 24 h once per silence', async () => {
      const set = (hoursAgo: number) => {
        const at = new Date(h.clock.ms - hoursAgo * 3_600_000).toISOString();
        return h.database.db.kysely
          .updateTable('extensions')
          .set({ last_registered_at: at })
          .where('number', '=', '1001')
          .execute()
          .then(() => at);
      };
      const first = await set(30);
      assert.equal((await delivered('registration.stale', '1001')).json.data.lastRegisteredAt, first);
      // Registered again, then silent again: a new silence, alerted again by a later round…
      const second = await set(25);
      await until(
        () => receiver.received.some((r) => r.body.includes(second)),
        'the second silence is alerted',
      );
      // …and every round in between saw the first silence without alerting it twice.
      assert.equal(receiver.received.filter((r) => r.body.includes(first)).length, 1);
    });

    test('a receiver failing is retried after the backoff delays, then the delivery is marked failed', async () => {
      const failures = [500, 503, 500];
      receiver.respond = (r) => (r.headers['x-earshot-event'] === 'ping' ? (failures.shift() ?? 200) : 200);
      const ping = await h.app.inject({
        method: 'POST',
        url: `/api/v1/admin/webhooks/${hook.id}/test`,
        headers: admin,
      });
      assert.equal(ping.statusCode, 202);
      const pingOf = async () => (await deliveries()).find((d) => d.event === 'ping');
      await until(async () => (await pingOf())?.lastResult === 'HTTP 500', 'the first attempt fails');
      const pings = () => receiver.received.filter((r) => r.headers['x-earshot-event'] === 'ping').length;
      assert.equal(pings(), 1);
      h.clock.advance(FIRST_RETRY_MS / 1000);
      await until(async () => (await pingOf())?.lastResult === 'HTTP 503', 'retried after the first delay');
      h.clock.advance(SECOND_RETRY_MS / 1000);
      await until(async () => (await pingOf())?.status === 'failed', 'failed after the last attempt');
      assert.deepEqual(await pingOf(), {
        ...(await pingOf()),
        attempts: 3,
        lastResult: 'HTTP 500',
        status: 'failed',
      });
      assert.equal(pings(), 3);
    });

    test('the audit log names the webhook by origin only: no path token, no secret', async () => {
      const rows = await h.database.db.kysely
        .selectFrom('audit_log')
        .selectAll()
        .where('action', 'like', 'webhook.%')
        .execute();
      assert.ok(rows.some((r) => r.action === 'webhook.create'));
      for (const row of rows) {
        const text = JSON.stringify(row);
        assert.ok(!text.includes('T0KEN') && !text.includes(hook.secret), text);
      }
    });
  });
}
