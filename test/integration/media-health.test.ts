// /api/health with the real rtpengine under the stack's supervisor: kill -9 it and health says so
// (503, naming rtpengine); once the supervisor has started it again, health is ok again.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/api/app.ts';
import { HEALTH_CACHE_MS } from '../../server/api/health.ts';
import type { ComponentHealth } from '../../server/api/schemas.ts';
import { loadConfig } from '../../server/config.ts';
import type { NgClient } from '../../server/media/ng-client.ts';
import { RtpengineProcess } from '../../server/media/rtpengine.ts';
import { Supervisor } from '../../server/stack/supervisor.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { testRtpengineSettings } from '../support/kamailio-harness.ts';
import { RegistrarDouble } from '../support/registrar-double.ts';
import { SecretBox } from '../../server/security/secret-box.ts';

void describe('health with the real rtpengine', () => {
  let database: TestDatabase;
  let dataDir: string;
  let rtpengine: RtpengineProcess;
  let supervisor: Supervisor;
  let ng: NgClient;
  let app: FastifyInstance;
  const logs: string[] = [];
  /** The supervisor's restart waits until the test lets it go. */
  let releaseRestart: () => void = () => undefined;

  before(async () => {
    database = await createTestDatabase('sqlite');
    dataDir = mkdtempSync(join(tmpdir(), 'earshot-media-health-'));
    rtpengine = new RtpengineProcess({ settings: await testRtpengineSettings(), dataDir });
    supervisor = new Supervisor(rtpengine, {
      name: 'rtpengine',
      log: (line) => logs.push(line),
      wait: (_ms, signal) =>
        new Promise((resolve, reject) => {
          releaseRestart = resolve;
          signal.addEventListener('abort', () => {
            reject(new Error('stopped'));
          });
        }),
    });
    await supervisor.start();
    ng = rtpengine.ngClient(300);
    const config = loadConfig({ EARSHOT_LOG_LEVEL: 'silent' });
    const registrar = new RegistrarDouble();
    app = await buildApp({
      config,
      db: database.db,
      registrar,
      rtpengine: ng,
      box: new SecretBox(Buffer.alloc(32, 1)),
    });
  });

  after(async () => {
    await app.close();
    ng.close();
    await supervisor.stop();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
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

  void test(
    'kill -9 of rtpengine: 503 naming rtpengine in words; restarted by the supervisor: 200',
    { timeout: 30_000 },
    async () => {
      assert.deepEqual((await healthUntil(200)).at(-1), { name: 'rtpengine', status: 'ok' });
      const first = rtpengine.pid ?? 0;
      process.kill(first, 'SIGKILL');
      const down = (await healthUntil(503)).find((component) => component.name === 'rtpengine');
      assert.deepEqual(down, {
        name: 'rtpengine',
        status: 'down',
        message:
          'The media relay (rtpengine) does not answer (ETIMEDOUT): calls with desk phones and the phone network fail.',
      });
      assert.match(logs[0] ?? '', /^rtpengine stopped unexpectedly \(signal SIGKILL\)/);
      releaseRestart();
      assert.deepEqual((await healthUntil(200)).at(-1), { name: 'rtpengine', status: 'ok' });
      assert.notEqual(rtpengine.pid, first);
    },
  );
});
