// The stack never leaves Kamailio behind: it dies with its parent, a start stops one a dead run
// left running (and nothing else), and a Kamailio that dies is restarted, the crash logged.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import {
  foregroundArgs,
  groupAlive,
  KamailioProcess,
  OWNER_FILE,
  RUN_DIR_PREFIX,
} from '../../server/kamailio/launcher.ts';
import { renderKamailioConfig, type KamailioSettings } from '../../server/kamailio/render.ts';
import { KamailioRpc } from '../../server/kamailio/rpc.ts';
import { Supervisor } from '../../server/stack/supervisor.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { testKamailioSettings } from '../support/kamailio-harness.ts';
import { until } from '../support/poll.ts';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'kamailio-parent.ts');

/** True when the node's JSON-RPC answers and lists `pid` as its main process. */
async function answers(settings: Omit<KamailioSettings, 'runDir'>, pid: number): Promise<boolean> {
  const rpc = new KamailioRpc(`http://127.0.0.1:${String(settings.rpcPort)}/RPC`, 500);
  return (await rpc.processIds().catch((): number[] => []))[0] === pid;
}

/** A pid no process has any more. */
function deadPid(): number {
  return spawnSync('true').pid;
}

/** A Kamailio as a crashed earlier start leaves it: its run dir, pid file and owner file in `dataDir`, no parent watching. */
async function leftOverKamailio(
  dataDir: string,
  settings: Omit<KamailioSettings, 'runDir'>,
  owner: number,
): Promise<{ pid: number; runDir: string }> {
  mkdirSync(dataDir, { recursive: true });
  const runDir = mkdtempSync(join(dataDir, RUN_DIR_PREFIX));
  const config = join(runDir, 'kamailio.cfg');
  writeFileSync(config, renderKamailioConfig({ ...settings, runDir }));
  writeFileSync(join(runDir, OWNER_FILE), `${String(owner)}\n`);
  // Spawned directly: no parent-death signal, as before this fix.
  const child = spawn('kamailio', foregroundArgs(config, runDir), { detached: true, stdio: 'ignore' });
  const pid = child.pid ?? 0;
  await until(() => answers(settings, pid), 'the left-over Kamailio answers');
  return { pid, runDir };
}

void describe('Kamailio supervision', () => {
  let database: TestDatabase;
  let dataDir: string;
  const cleanups: (() => Promise<void> | void)[] = [];

  before(async () => {
    database = await createTestDatabase('sqlite');
    dataDir = mkdtempSync(join(tmpdir(), 'earshot-supervision-'));
  });

  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  void test(
    'a SIGKILLed parent takes its Kamailio, workers included, with it',
    { timeout: 30_000 },
    async () => {
      const settings = await testKamailioSettings(database.url);
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
      const pid = Number(/^kamailio (\d+)$/.exec(line)?.[1]);
      assert.ok(pid > 0 && groupAlive(pid), line);
      cleanups.push(() => {
        if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
      });
      parent.kill('SIGKILL');
      await until(() => !groupAlive(pid), 'every Kamailio process of the killed parent is gone');
    },
  );

  void test(
    'a start stops the Kamailio a dead run left (found by pid file and command line), then starts',
    { timeout: 30_000 },
    async () => {
      const settings = await testKamailioSettings(database.url);
      const dir = join(dataDir, 'stale');
      const stale = await leftOverKamailio(dir, settings, deadPid());
      cleanups.push(() => {
        if (groupAlive(stale.pid)) process.kill(-stale.pid, 'SIGKILL');
      });
      const notices: string[] = [];
      // The same ports: without the clean-up this start fails with "Address already in use".
      const kamailio = new KamailioProcess({
        settings,
        dataDir: dir,
        onNotice: (line) => notices.push(line),
      });
      cleanups.push(() => kamailio.stop());
      await kamailio.start();
      assert.equal(groupAlive(stale.pid), false, 'the left-over Kamailio still runs');
      assert.ok(await answers(settings, kamailio.pid ?? 0), 'the new Kamailio does not answer');
      assert.match(
        notices.join('\n'),
        new RegExp(`left running by an earlier start that died \\(pid ${String(stale.pid)}\\b`),
      );
      assert.equal(existsSync(stale.runDir), false, 'the stale run dir was kept');
      await kamailio.stop();
      assert.deepEqual(readdirSync(dir), []);
    },
  );

  void test(
    "never stops what is not its own: a live owner's Kamailio, or a stranger whose pid a stale pid file names",
    { timeout: 30_000 },
    async () => {
      const dir = join(dataDir, 'strangers');
      // Another live stack's Kamailio in the same data dir (its owner: a process that runs).
      const owner = spawn('sleep', ['300'], { stdio: 'ignore' });
      cleanups.push(() => {
        owner.kill('SIGKILL');
      });
      const otherSettings = await testKamailioSettings(database.url);
      const other = await leftOverKamailio(dir, otherSettings, owner.pid ?? 0);
      cleanups.push(() => {
        if (groupAlive(other.pid)) process.kill(-other.pid, 'SIGKILL');
      });
      // A dead run whose pid file names a process that is not Kamailio.
      const stranger = spawn('sleep', ['300'], { stdio: 'ignore' });
      cleanups.push(() => {
        stranger.kill('SIGKILL');
      });
      const deadRun = mkdtempSync(join(dir, RUN_DIR_PREFIX));
      writeFileSync(join(deadRun, 'kamailio.pid'), `${String(stranger.pid)}\n`);
      writeFileSync(join(deadRun, OWNER_FILE), `${String(deadPid())}\n`);

      const kamailio = new KamailioProcess({
        settings: await testKamailioSettings(database.url),
        dataDir: dir,
      });
      cleanups.push(() => kamailio.stop());
      await kamailio.start();
      assert.ok(await answers(otherSettings, other.pid), "the live owner's Kamailio was stopped");
      assert.equal(stranger.exitCode ?? stranger.signalCode, null, 'the stranger was signalled');
      assert.equal(existsSync(deadRun), false, 'the dead run dir was kept');
      assert.ok(existsSync(other.runDir), "the live owner's run dir was removed");
      await kamailio.stop();
    },
  );

  void test(
    'kill -9 of Kamailio: the supervisor restarts it and logs the signal',
    { timeout: 30_000 },
    async () => {
      const settings = await testKamailioSettings(database.url);
      const kamailio = new KamailioProcess({ settings, dataDir: join(dataDir, 'restart') });
      const logs: string[] = [];
      const supervisor = new Supervisor(kamailio, {
        name: 'Kamailio',
        log: (line) => logs.push(line),
        backoff: { initialMs: 20, factor: 2, maxMs: 1000, resetAfterMs: 60_000 },
      });
      cleanups.push(() => supervisor.stop());
      await supervisor.start();
      const first = kamailio.pid ?? 0;
      process.kill(first, 'SIGKILL');
      await until(
        async () => kamailio.pid !== first && (await answers(settings, kamailio.pid ?? 0)),
        'Kamailio runs again',
      );
      assert.equal(groupAlive(first), false, 'workers of the killed Kamailio survived');
      assert.equal(
        logs[0],
        'Kamailio stopped unexpectedly (signal SIGKILL); restarting in 20 ms (attempt 1).',
      );
      await until(() => logs.includes('Kamailio is running again.'), 'the restart is logged');
      await supervisor.stop();
      assert.equal(groupAlive(kamailio.pid ?? first), false);
    },
  );
});
