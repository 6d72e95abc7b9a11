// KamailioProcess: start, restart, stop (the whole process group), and clear failures.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { KamailioProcess } from '../../server/kamailio/launcher.ts';
import { DEFAULT_LIMITS, renderKamailioConfig } from '../../server/kamailio/render.ts';
import { startKamailio, type KamailioHarness } from '../support/kamailio-harness.ts';
import { seedExtensions, udpAgent } from '../support/sip-agents.ts';

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

void describe('KamailioProcess', () => {
  let h: KamailioHarness;

  before(async () => {
    h = await startKamailio();
    await seedExtensions(h, [{ number: '6001' }]);
  });

  after(async () => {
    await h.stop();
  });

  void test('restart brings up a new process that answers, with registrations gone (usrloc in memory)', async () => {
    const client = await udpAgent(h, '6001');
    assert.equal((await client.register()).status, 200);
    assert.equal((await h.kamailio.rpc.ulLookup('6001')).length, 1);
    const oldPid = h.kamailio.pid ?? 0;
    await h.kamailio.restart();
    assert.notEqual(h.kamailio.pid, oldPid);
    assert.equal(groupAlive(oldPid), false, 'old Kamailio processes survived the restart');
    assert.match(await h.kamailio.rpc.coreVersion(), /kamailio 5\./);
    assert.deepEqual(await h.kamailio.rpc.ulLookup('6001'), []);
    assert.equal((await client.register()).status, 200);
    await client.close();
  });

  void test("a port already taken makes start fail with Kamailio's own words, and leaves no process", async () => {
    const blocker: Server = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const address = blocker.address();
    const busyPort = typeof address === 'object' && address ? address.port : 0;
    const dataDir = mkdtempSync(join(tmpdir(), 'earshot-busy-'));
    let pid = 0;
    const kamailio = new KamailioProcess({
      settings: { ...h.settings, wsPort: busyPort },
      dataDir,
      onLog: () => (pid ||= kamailio.pid ?? 0),
    });
    try {
      await assert.rejects(kamailio.start(), /Address already in use/);
      assert.ok(pid > 0, 'Kamailio never ran');
      assert.equal(groupAlive(pid), false, 'processes of the failed start survived');
    } finally {
      blocker.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  void test('render refuses values that could break out of the config', () => {
    const settings = { ...h.settings, runDir: '/tmp/x' };
    assert.throws(
      () => renderKamailioConfig({ ...settings, allowedOrigins: ['http://ok.example", "x'] }),
      /allowedOrigins/,
    );
    assert.throws(() => renderKamailioConfig({ ...settings, realm: 'a"b' }), /realm/);
    const wss = renderKamailioConfig({
      ...settings,
      wss: { port: 1, cert: '/c.pem', key: '/k.pem' },
      limits: DEFAULT_LIMITS,
    });
    assert.match(wss, /^#!define WITH_WSS$/m);
  });

  void test('SIP over TLS alone loads the tls module without a wss listener; two certificates are refused', () => {
    const settings = { ...h.settings, runDir: '/tmp/x', wss: null };
    const tls = { cert: '/c.pem', key: '/k.pem' };
    const config = renderKamailioConfig({ ...settings, sipTls: { port: 2, ...tls } });
    assert.match(config, /^#!define WITH_TLS$/m);
    assert.match(config, /^#!define WITH_SIP_TLS$/m);
    assert.doesNotMatch(config, /^#!define WITH_WSS$/m);
    assert.match(config, /^listen=tls:127\.0\.0\.1:2$/m);
    assert.throws(
      () =>
        renderKamailioConfig({
          ...settings,
          wss: { port: 1, ...tls },
          sipTls: { port: 2, cert: '/other.pem', key: '/k.pem' },
        }),
      /same one/,
    );
  });
});
