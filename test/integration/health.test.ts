// /api/health against the real Kamailio: kill -9 its processes and health says so (503, naming the node);
// once it runs again, health is ok again.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/api/app.ts';
import { HEALTH_CACHE_MS } from '../../server/api/health.ts';
import type { ComponentHealth } from '../../server/api/schemas.ts';
import { loadConfig } from '../../server/config.ts';
import { KamailioRegistrarClient } from '../../server/kamailio/registrar-client.ts';
import { startKamailio, TEST_REALM, type KamailioHarness } from '../support/kamailio-harness.ts';

describe('health with the real Kamailio', () => {
  let h: KamailioHarness;
  let app: FastifyInstance;

  before(async () => {
    h = await startKamailio({ nodeName: 'kam-health' });
    const config = loadConfig({
      EARSHOT_SIP_REALM: TEST_REALM,
      EARSHOT_KAMAILIO_NODES: `kam-health=${h.rpcUrl}`,
      EARSHOT_LOG_LEVEL: 'silent',
    });
    const registrar = new KamailioRegistrarClient(config.kamailioNodes);
    app = await buildApp({ config, db: h.database.db, registrar, box: h.credentials.box });
  });

  after(async () => {
    await app.close();
    await h.stop();
  });

  /** Asks until the answer has `status` (probe rounds are cached for HEALTH_CACHE_MS). */
  async function healthUntil(status: number): Promise<ComponentHealth[]> {
    const deadline = Date.now() + HEALTH_CACHE_MS + 5000;
    for (;;) {
      const res = await app.inject({ url: '/api/health' });
      if (res.statusCode === status) return res.json<{ components: ComponentHealth[] }>().components;
      if (Date.now() > deadline) throw new Error(`health stayed ${String(res.statusCode)}: ${res.body}`);
      await sleep(100);
    }
  }

  test(
    'kill -9 of every Kamailio process: 503 naming the node; restarted: 200',
    { timeout: 30_000 },
    async () => {
      assert.deepEqual(await healthUntil(200), [
        { name: 'database', status: 'ok' },
        { name: 'kamailio', node: 'kam-health', status: 'ok' },
      ]);
      // The whole group: workers whose main process was killed alone keep answering JSON-RPC until
      // the stack's supervisor clears them (test/kamailio/supervision.test.ts).
      process.kill(-(h.kamailio.pid ?? 0), 'SIGKILL');
      const down = await healthUntil(503);
      assert.deepEqual(down[0], { name: 'database', status: 'ok' });
      assert.equal(down[1]?.node, 'kam-health');
      assert.equal(down[1].status, 'down');
      assert.match(down[1].message ?? '', /^Kamailio does not answer: JSON-RPC connection refused/);
      assert.doesNotMatch(
        down[1].message ?? '',
        /127\.0\.0\.1|RPC\b.*:\d+/,
        'health is public: no addresses',
      );
      await h.kamailio.restart();
      assert.equal((await healthUntil(200))[1]?.status, 'ok');
    },
  );
});
