// rtpengine as the stack runs it: the config it is given, a start that is ready when ng answers,
// and a stop, a killed parent, a dead earlier run or a crash that leaves no rtpengine behind.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../server/config.ts';
import { NgClient } from '../../server/media/ng-client.ts';
import {
  renderRtpengineConfig,
  rtpengineArgs,
  rtpengineSettingsFromConfig,
  RtpengineProcess,
  RTPENGINE_RUN_DIR_PREFIX,
  type RtpengineSettings,
} from '../../server/media/rtpengine.ts';
import { groupAlive } from '../../server/stack/daemon.ts';
import { OWNER_FILE } from '../../server/stack/run-dir.ts';
import { Supervisor } from '../../server/stack/supervisor.ts';
import { testRtpengineSettings } from '../support/kamailio-harness.ts';
import { until } from '../support/poll.ts';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'rtpengine-parent.ts');

/** A pid no process has any more. */
function deadPid(): number {
  return spawnSync('true').pid;
}

/** True when an rtpengine answers ng ping on `settings.ngPort`. */
async function answers(settings: RtpengineSettings): Promise<boolean> {
  const ng = new NgClient({ port: settings.ngPort, timeoutMs: 300 });
  try {
    return await ng.ping().then(
      () => true,
      () => false,
    );
  } finally {
    ng.close();
  }
}

void describe('rtpengine config rendering', () => {
  const settings: RtpengineSettings = {
    ngPort: 2223,
    interfaces: ['192.0.2.10', '10.0.0.5!203.0.113.7'],
    portMin: 30000,
    portMax: 31999,
    logLevel: 5,
    mediaTimeoutSeconds: 60,
  };

  void test('userspace, one interface per address, ng on loopback only, the port range and the pid file in the run dir', () => {
    const config = renderRtpengineConfig(settings, '/data/rtpengine-run-x');
    for (const line of [
      '[rtpengine]',
      'table = -1',
      'interface = 192.0.2.10;10.0.0.5!203.0.113.7',
      'listen-ng = 127.0.0.1:2223',
      'port-min = 30000',
      'port-max = 31999',
      'foreground = true',
      'log-stderr = true',
      'log-level = 5',
      'pidfile = /data/rtpengine-run-x/rtpengine.pid',
    ])
      assert.ok(config.split('\n').includes(line), `missing "${line}" in:\n${config}`);
    // Nothing else listens: no CLI, HTTP or TCP control port.
    assert.doesNotMatch(config, /^listen-(cli|http|https|tcp|udp|tcp-ng)\b/m);
    assert.deepEqual(rtpengineArgs('/d/r.conf'), ['--config-file=/d/r.conf', '--config-section=rtpengine']);
  });

  void test('refuses what devices could not send audio to, and port ranges that cannot work', () => {
    const refuse = (change: Partial<RtpengineSettings>, message: RegExp) => {
      assert.throws(() => renderRtpengineConfig({ ...settings, ...change }, '/r'), message);
    };
    refuse({ interfaces: ['0.0.0.0'] }, /not one a phone can send audio to: set EARSHOT_MEDIA_LISTEN/);
    refuse({ interfaces: ['eth0'] }, /is not an IP address/);
    refuse({ interfaces: ['1.2.3.4!5.6.7.8!9.9.9.9'] }, /more than one "!"/);
    refuse({ interfaces: ['1.2.3.4;listen-cli=1'] }, /is not an IP address/);
    refuse({ interfaces: [] }, /at least one media address/);
    refuse({ portMin: 30000, portMax: 30001 }, /port range 30000-30001 is not usable/);
    refuse({ ngPort: 30500 }, /control port 30500 lies inside its RTP port range/);
  });

  void test('npm start: media addresses default to the SIP listen address (EARSHOT_HOST for 0.0.0.0); env overrides', () => {
    const fromEnv = (env: Record<string, string>) => rtpengineSettingsFromConfig(loadConfig(env));
    assert.deepEqual(fromEnv({}), {
      ngPort: 2223,
      interfaces: ['127.0.0.1'],
      portMin: 30000,
      portMax: 31999,
      logLevel: 5,
      mediaTimeoutSeconds: 60,
    });
    assert.deepEqual(fromEnv({ EARSHOT_SIP_LISTEN: '192.0.2.1' }).interfaces, ['192.0.2.1']);
    assert.deepEqual(fromEnv({ EARSHOT_SIP_LISTEN: '0.0.0.0', EARSHOT_HOST: '192.0.2.2' }).interfaces, [
      '192.0.2.2',
    ]);
    const custom = fromEnv({
      EARSHOT_MEDIA_LISTEN: '10.0.0.5!203.0.113.7, 192.0.2.9',
      EARSHOT_RTP_PORT_MIN: '40000',
      EARSHOT_RTP_PORT_MAX: '40999',
      EARSHOT_RTPENGINE_NG_PORT: '2299',
      EARSHOT_RTPENGINE_LOG_LEVEL: '7',
    });
    assert.deepEqual(custom, {
      ngPort: 2299,
      interfaces: ['10.0.0.5!203.0.113.7', '192.0.2.9'],
      portMin: 40000,
      portMax: 40999,
      logLevel: 7,
      mediaTimeoutSeconds: 60,
    });
    assert.throws(
      () => loadConfig({ EARSHOT_RTP_PORT_MIN: '40000', EARSHOT_RTP_PORT_MAX: '40002' }),
      /EARSHOT_RTP_PORT_MAX must be at least EARSHOT_RTP_PORT_MIN \+ 3/,
    );
  });
});

void describe('rtpengine supervision', () => {
  let dataDir: string;
  const cleanups: (() => Promise<void> | void)[] = [];

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'earshot-rtpengine-'));
  });

  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const killOnCleanup = (pid: number) => {
    cleanups.push(() => {
      if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
    });
  };

  void test(
    'start is ready when ng answers; stop leaves no process and no run dir',
    { timeout: 20_000 },
    async () => {
      const settings = await testRtpengineSettings();
      const dir = join(dataDir, 'plain');
      const rtpengine = new RtpengineProcess({ settings, dataDir: dir });
      cleanups.push(() => rtpengine.stop());
      await rtpengine.start();
      const pid = rtpengine.pid ?? 0;
      killOnCleanup(pid);
      assert.ok(await answers(settings));
      await rtpengine.stop();
      assert.equal(groupAlive(pid), false);
      assert.deepEqual(readdirSync(dir), []);
    },
  );

  void test('a SIGKILLed parent takes its rtpengine with it', { timeout: 30_000 }, async () => {
    const settings = await testRtpengineSettings();
    const parent: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', FIXTURE, JSON.stringify(settings), join(dataDir, 'parent')],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    cleanups.push(() => {
      parent.kill('SIGKILL');
    });
    const lines = createInterface({ input: parent.stdout ?? process.stdin });
    const [line] = (await once(lines, 'line')) as [string];
    const pid = Number(/^rtpengine (\d+)$/.exec(line)?.[1]);
    assert.ok(pid > 0 && groupAlive(pid), line);
    killOnCleanup(pid);
    parent.kill('SIGKILL');
    await until(() => !groupAlive(pid), 'the rtpengine of the killed parent is gone');
  });

  void test(
    'a start stops the rtpengine a dead run left (pid file and command line), then starts on the same port',
    { timeout: 30_000 },
    async () => {
      const settings = await testRtpengineSettings();
      const dir = join(dataDir, 'stale');
      mkdirSync(dir, { recursive: true });
      const runDir = mkdtempSync(join(dir, RTPENGINE_RUN_DIR_PREFIX));
      const config = join(runDir, 'rtpengine.conf');
      writeFileSync(config, renderRtpengineConfig(settings, runDir));
      writeFileSync(join(runDir, OWNER_FILE), `${String(deadPid())}\n`);
      // Spawned directly: no parent-death signal, as a crashed start would leave it.
      const stale = spawn('rtpengine', rtpengineArgs(config), { detached: true, stdio: 'ignore' });
      const stalePid = stale.pid ?? 0;
      killOnCleanup(stalePid);
      await until(() => answers(settings), 'the left-over rtpengine answers');
      await until(
        () => existsSync(join(runDir, 'rtpengine.pid')),
        'the left-over rtpengine wrote its pid file',
      );

      const notices: string[] = [];
      const rtpengine = new RtpengineProcess({ settings, dataDir: dir, onNotice: (n) => notices.push(n) });
      cleanups.push(() => rtpengine.stop());
      await rtpengine.start();
      assert.equal(groupAlive(stalePid), false, 'the left-over rtpengine still runs');
      assert.match(notices.join('\n'), new RegExp(`earlier start that died \\(pid ${String(stalePid)}\\)`));
      assert.equal(existsSync(runDir), false, 'the stale run dir was kept');
      assert.ok(await answers(settings));
      await rtpengine.stop();
    },
  );

  void test(
    'a control port another program holds is refused in words (rtpengine would share it silently)',
    { timeout: 20_000 },
    async () => {
      const settings = await testRtpengineSettings();
      const holder = createSocket('udp4');
      holder.bind(settings.ngPort, '127.0.0.1');
      await once(holder, 'listening');
      const rtpengine = new RtpengineProcess({ settings, dataDir: join(dataDir, 'busy') });
      try {
        await assert.rejects(
          rtpengine.start(),
          new RegExp(
            `control port 127\\.0\\.0\\.1:${String(settings.ngPort)} \\(UDP\\) is in use by another program`,
          ),
        );
        assert.equal(rtpengine.pid, undefined, 'rtpengine was started anyway');
      } finally {
        holder.close();
      }
    },
  );

  void test('a media address this machine does not have is refused at start, in words', async () => {
    const settings = { ...(await testRtpengineSettings()), interfaces: ['192.0.2.10'] };
    const rtpengine = new RtpengineProcess({ settings, dataDir: join(dataDir, 'foreign') });
    cleanups.push(() => rtpengine.stop());
    await assert.rejects(
      rtpengine.start(),
      /Media address 192\.0\.2\.10 is not an address of this machine: set EARSHOT_MEDIA_LISTEN/,
    );
    assert.equal(rtpengine.pid, undefined);
  });

  void test(
    'kill -9 of rtpengine: the supervisor restarts it and logs the signal',
    { timeout: 30_000 },
    async () => {
      const settings = await testRtpengineSettings();
      const rtpengine = new RtpengineProcess({ settings, dataDir: join(dataDir, 'restart') });
      const logs: string[] = [];
      const supervisor = new Supervisor(rtpengine, {
        name: 'rtpengine',
        log: (line) => logs.push(line),
        backoff: { initialMs: 20, factor: 2, maxMs: 1000, resetAfterMs: 60_000 },
      });
      cleanups.push(() => supervisor.stop());
      await supervisor.start();
      const first = rtpengine.pid ?? 0;
      process.kill(first, 'SIGKILL');
      await until(async () => rtpengine.pid !== first && (await answers(settings)), 'rtpengine runs again');
      assert.equal(
        logs[0],
        'rtpengine stopped unexpectedly (signal SIGKILL); restarting in 20 ms (attempt 1).',
      );
      await until(() => logs.includes('rtpengine is running again.'), 'the restart is logged');
      const second = rtpengine.pid ?? 0;
      await supervisor.stop();
      assert.equal(groupAlive(second), false);
    },
  );
});
