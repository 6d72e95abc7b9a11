// coturn as the stack runs it, with the real turnserver and coturn's own test client
// (turnutils_uclient) as the independent judge: fresh per-agent credentials relay audio-sized
// packets, expired or forged ones are refused, the secret never reaches a log or a command line,
// and a stop leaves no turnserver behind. Inside the loopback-only namespace (it relays UDP).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { groupAlive } from '../../server/stack/daemon.ts';
import { COTURN_RUN_DIR_PREFIX } from '../../server/turn/coturn.ts';
import { mintTurnCredentials } from '../../server/turn/credentials.ts';
import { stunPing } from '../../server/turn/stun-ping.ts';
import { startTestTurn, type TestTurn } from '../support/turn.ts';

interface ClientRun {
  output: string;
  relayed: boolean;
  refused: boolean;
}

/**
 * turnutils_uclient allocates a relay with these credentials and sends 5 packets of 170 bytes
 * (a 20 ms G.711 frame) through it to a second allocation of its own (-y), then reports loss.
 */
function uclient(turn: TestTurn, username: string, password: string): Promise<ClientRun> {
  const { listen, port } = turn.settings;
  const args = [
    '-u',
    username,
    '-w',
    password,
    '-p',
    String(port),
    '-y',
    '-n',
    '5',
    '-m',
    '1',
    '-l',
    '170',
    listen,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('turnutils_uclient', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('error', reject);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve({
        output,
        relayed: /Total lost packets 0 \(0\.000000%\)/.test(output) && /tot_recv_bytes ~ [1-9]/.test(output),
        refused: /Cannot complete Allocation/.test(output),
      });
    });
  });
}

void describe('coturn, the TURN server of the stack', () => {
  let turn: TestTurn;
  before(async () => {
    turn = await startTestTurn();
  });
  after(() => turn.stop());

  void test('answers STUN once started; the secret is in a 0600 config file, never on its command line', () => {
    const pid = turn.coturn.pid;
    assert.ok(pid);
    const argv = readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8');
    assert.ok(!argv.includes(turn.settings.secret), 'the secret is on the command line');
    const dataDir = turn.coturn.options.dataDir;
    const runDir = readdirSync(dataDir).find((name) => name.startsWith(COTURN_RUN_DIR_PREFIX));
    assert.ok(runDir);
    const config = join(dataDir, runDir, 'turnserver.conf');
    assert.equal(statSync(config).mode & 0o777, 0o600);
    assert.ok(readFileSync(config, 'utf8').includes(`static-auth-secret=${turn.settings.secret}`));
    return stunPing(turn.settings.listen, turn.settings.port);
  });

  void test("an agent's fresh credentials relay packets with no loss", async () => {
    const { username, credential } = mintTurnCredentials(turn.settings.secret, '1001', 600, new Date());
    const run = await uclient(turn, username, credential);
    assert.ok(run.relayed, run.output);
  });

  void test('expired credentials and credentials minted with another secret are refused', async () => {
    const expired = mintTurnCredentials(turn.settings.secret, '1001', -10, new Date());
    const forged = mintTurnCredentials('not-the-shared-secret', '1001', 600, new Date());
    for (const { username, credential } of [expired, forged]) {
      const run = await uclient(turn, username, credential);
      assert.ok(run.refused && !run.relayed, run.output);
    }
  });

  void test('neither the secret nor a credential reaches its log', async () => {
    const fresh = mintTurnCredentials(turn.settings.secret, '1002', 600, new Date());
    const expired = mintTurnCredentials(turn.settings.secret, '1002', -10, new Date());
    await uclient(turn, fresh.username, fresh.credential);
    await uclient(turn, expired.username, expired.credential);
    const log = turn.logs.join('\n');
    // coturn logs the refused attempt by username: proof it wrote about these sessions.
    assert.ok(log.includes(expired.username), 'coturn logged nothing about the sessions');
    for (const secret of [turn.settings.secret, fresh.credential, expired.credential])
      assert.ok(!log.includes(secret), 'a secret is in the coturn log');
  });
});

void describe('coturn stop', () => {
  test('leaves no turnserver process and no run dir behind', async () => {
    const turn = await startTestTurn();
    const pid = turn.coturn.pid;
    assert.ok(pid && groupAlive(pid));
    const dataDir = turn.coturn.options.dataDir;
    await turn.coturn.stop();
    assert.ok(!groupAlive(pid), 'turnserver still runs');
    assert.deepEqual(
      readdirSync(dataDir).filter((name) => name.startsWith(COTURN_RUN_DIR_PREFIX)),
      [],
    );
    await turn.stop();
    await assert.rejects(stunPing(turn.settings.listen, turn.settings.port, 500));
  });
});
