// The stack's supervisor over a real (fake) daemon command: it restarts a child that dies, says
// why, and waits longer after each crash in a row. The waits are recorded, not slept, so no
// assertion depends on wall time.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DaemonCommand, describeExit, groupAlive } from '../../server/stack/daemon.ts';
import {
  backoffDelay,
  DEFAULT_BACKOFF,
  Supervisor,
  type Backoff,
  type Supervisable,
} from '../../server/stack/supervisor.ts';

interface Run {
  delays: number[];
  logs: string[];
}

/** Supervises `child` until `restarts` waits were asked for; `clock` is read at every (re)start. */
async function supervise(
  child: Supervisable,
  restarts: number,
  clock: () => number = () => 0,
  backoff: Backoff = DEFAULT_BACKOFF,
): Promise<Run> {
  const run: Run = { delays: [], logs: [] };
  let stopped: Promise<void> = Promise.resolve();
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const supervisor = new Supervisor(child, {
    name: 'fake',
    log: (line) => run.logs.push(line),
    backoff,
    now: clock,
    wait: (ms) => {
      run.delays.push(ms);
      if (run.delays.length === restarts) {
        stopped = supervisor.stop();
        done();
      }
      return Promise.resolve();
    },
  });
  await supervisor.start();
  await finished;
  await stopped;
  return run;
}

describe('the stack supervisor', () => {
  test('backoff doubles from 1 s up to 30 s', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 20].map((attempt) => backoffDelay(DEFAULT_BACKOFF, attempt));
    assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  test(
    'a child that keeps dying is restarted with growing delays, each crash logged with its exit code',
    { timeout: 20_000 },
    async () => {
      const child = new DaemonCommand('sh', ['-c', 'exit 3']);
      const run = await supervise(child, 7);
      assert.deepEqual(run.delays, [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
      const crashes = run.logs.filter((line) => line.includes('stopped unexpectedly (exit code 3)'));
      assert.equal(crashes.length, 7, run.logs.join('\n'));
      assert.match(
        run.logs[0] ?? '',
        /^fake stopped unexpectedly \(exit code 3\); restarting in 1 s \(attempt 1\)\.$/,
      );
      assert.equal(run.logs.filter((line) => line === 'fake is running again.').length, 6);
      assert.equal(child.pid, undefined, 'stop() left a child behind');
    },
  );

  test('a child killed by a signal is logged with the signal', { timeout: 20_000 }, async () => {
    const child = new DaemonCommand('sh', ['-c', 'kill -KILL $$']);
    const run = await supervise(child, 2);
    assert.match(run.logs[0] ?? '', /stopped unexpectedly \(signal SIGKILL\)/);
  });

  test(
    'a child that ran longer than a minute starts the delays again at 1 s',
    { timeout: 20_000 },
    async () => {
      let now = 0;
      // The clock is read at each start and each exit: every reading is 61 s after the last.
      const clock = () => (now += 61_000);
      const run = await supervise(new DaemonCommand('sh', ['-c', 'exit 1']), 4, clock);
      assert.deepEqual(run.delays, [1000, 1000, 1000, 1000]);
    },
  );

  test(
    'a restart that fails to start counts as another crash and is logged',
    { timeout: 20_000 },
    async () => {
      // Starts once, dies at once, then cannot start again (as Kamailio with its port taken).
      let starts = 0;
      const child = {
        start: () =>
          (starts += 1) === 1 ? Promise.resolve() : Promise.reject(new Error('Address already in use\nlog…')),
        stop: () => Promise.resolve(),
        exited: Promise.resolve({ code: 1, signal: null }),
      };
      const run = await supervise(child, 3);
      assert.deepEqual(run.delays, [1000, 2000, 4000]);
      assert.deepEqual(run.logs, [
        'fake stopped unexpectedly (exit code 1); restarting in 1 s (attempt 1).',
        'fake could not start: Address already in use; restarting in 2 s (attempt 2).',
        'fake could not start: Address already in use; restarting in 4 s (attempt 3).',
      ]);
    },
  );

  test('stop() ends a running child and its whole process group', { timeout: 20_000 }, async () => {
    const child = new DaemonCommand('sh', ['-c', 'sleep 300 & sleep 300']);
    const supervisor = new Supervisor(child, { name: 'sleeper', log: () => undefined });
    await supervisor.start();
    const pid = child.pid ?? 0;
    assert.ok(groupAlive(pid));
    await supervisor.stop();
    assert.equal(groupAlive(pid), false);
  });

  test('exits are described in plain words', () => {
    assert.equal(describeExit({ code: 2, signal: null }), 'exit code 2');
    assert.equal(describeExit({ code: null, signal: 'SIGSEGV' }), 'signal SIGSEGV');
  });
});
