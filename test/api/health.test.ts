// GET /api/health lists every component with its status; 503 as soon as a required one is not ok.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { HEALTH_CACHE_MS, HealthMonitor, type HealthProbe } from '../../server/api/health.ts';
import type { ComponentHealth } from '../../server/api/schemas.ts';
import { startApi, type ApiHarness } from '../support/api-harness.ts';
import { ENGINES } from '../support/databases.ts';

interface Health {
  ok: boolean;
  components: ComponentHealth[];
}

/** Asks until the answer has `status` (the probe round is cached for HEALTH_CACHE_MS). */
async function healthUntil(h: ApiHarness, status: number): Promise<Health> {
  const deadline = Date.now() + HEALTH_CACHE_MS + 5000;
  for (;;) {
    const res = await h.app.inject({ url: '/api/health' });
    if (res.statusCode === status) return res.json<Health>();
    if (Date.now() > deadline) throw new Error(`health stayed ${String(res.statusCode)}: ${res.body}`);
    await sleep(100);
  }
}

for (const engine of ENGINES) {
  describe(`GET /api/health on ${engine}`, () => {
    let h: ApiHarness;
    before(async () => {
      h = await startApi(engine);
    });
    after(() => h.close());

    test('names every component: the database and each Kamailio node, all ok', async () => {
      const res = await h.app.inject({ url: '/api/health' });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), {
        ok: true,
        components: [
          { name: 'database', status: 'ok' },
          { name: 'kamailio', node: 'test-node', status: 'ok' },
        ],
      });
    });

    test('a Kamailio node that does not answer makes it 503, naming the node; back, 200 again', async () => {
      h.registrar.down = true;
      try {
        const down = await healthUntil(h, 503);
        assert.equal(down.ok, false);
        assert.deepEqual(down.components[0], { name: 'database', status: 'ok' });
        const kamailio = down.components[1];
        assert.equal(kamailio?.name, 'kamailio');
        assert.equal(kamailio.node, 'test-node');
        assert.equal(kamailio.status, 'down');
        assert.match(kamailio.message ?? '', /^Kamailio does not answer: /);
      } finally {
        h.registrar.down = false;
      }
      assert.equal((await healthUntil(h, 200)).ok, true);
    });
  });
}

describe('the health monitor', () => {
  const probe = (status: ComponentHealth['status'], required = true) => {
    const counted = { calls: 0 };
    const p: HealthProbe & { calls: () => number } = {
      required,
      check: () => {
        counted.calls += 1;
        return Promise.resolve([{ name: `c-${status}`, status }]);
      },
      calls: () => counted.calls,
    };
    return p;
  };

  test('a flood of requests costs one probe round per cache period', async () => {
    let now = 0;
    const database = probe('ok');
    const monitor = new HealthMonitor([database], () => now);
    await Promise.all(Array.from({ length: 100 }, () => monitor.report()));
    now += HEALTH_CACHE_MS - 1;
    await monitor.report();
    assert.equal(database.calls(), 1);
    now += 1;
    await monitor.report();
    assert.equal(database.calls(), 2);
  });

  test('only required components decide ok (the shape rtpengine and coturn will use)', async () => {
    const optionalDown = new HealthMonitor([probe('ok'), probe('down', false)]);
    assert.equal((await optionalDown.report()).ok, true);
    const requiredDown = new HealthMonitor([probe('ok'), probe('read-only')]);
    assert.deepEqual(await requiredDown.report(), {
      ok: false,
      components: [
        { name: 'c-ok', status: 'ok' },
        { name: 'c-read-only', status: 'read-only' },
      ],
    });
  });
});
