// SIP brute-force lockout stops the guesser, not the victim: failures count per extension +
// source address and per extension; addresses that logged in as the extension keep working.
// Production limits (5 per pair, 20 per extension, 300 s window); pike is raised out of the way.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startKamailio, type KamailioHarness } from '../support/kamailio-harness.ts';
import { seedExtensions, udpAgentPool } from '../support/sip-agents.ts';
import type { SipResult } from '../support/sip-client.ts';
import { header } from '../support/sip-message.ts';

const REFUSED = { status: 403, reason: 'Too many failed attempts' };
const outcome = ({ status, reason }: SipResult) => ({ status, reason });
/** The CSeq number the answer is for: 1 is the first request (challenged), 2 the one with credentials. */
const cseqOf = ({ response }: SipResult) =>
  Number.parseInt(response ? (header(response, 'cseq') ?? '') : '', 10);

void describe('Kamailio SIP lockout (SQLite, production limits)', () => {
  let h: KamailioHarness;
  const { agent, closeAll } = udpAgentPool(() => h);
  /** One REGISTER of `number` from `address`, with its password or a wrong one. */
  const registerFrom = async (number: string, address: string, password?: string) =>
    (await agent(number, { localAddress: address, ...(password ? { password } : {}) })).register();

  before(async () => {
    h = await startKamailio();
    await seedExtensions(h, [{ number: '4101' }, { number: '4102' }, { number: '4103' }, { number: '4104' }]);
  });

  after(async () => {
    await closeAll();
    await h.stop();
  });

  void test('200 guesses from one address: the guesser is refused, the agent and the neighbours are not', async () => {
    assert.equal((await registerFrom('4101', '127.0.0.1')).status, 200, 'the agent registers first');
    const statuses = new Map<number, number>();
    for (let i = 0; i < 200; i += 1) {
      const { status } = await registerFrom('4101', '127.0.0.3', `guess-${i}`);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    assert.deepEqual(Object.fromEntries(statuses), { 401: 5, 403: 195 }, 'only 5 guesses were checked');
    const withPassword = await registerFrom('4101', '127.0.0.3');
    assert.deepEqual(outcome(withPassword), REFUSED, 'even with the password');
    assert.equal(cseqOf(withPassword), 2, 'refused when it sends credentials, not challenged again');
    assert.equal((await registerFrom('4101', '127.0.0.1')).status, 200, 'the agent refreshes');
    assert.equal((await registerFrom('4102', '127.0.0.4')).status, 200, 'a neighbour registers');
    assert.equal((await registerFrom('4102', '127.0.0.3')).status, 200, 'other extensions from there too');
  });

  void test('failures spread over many addresses close the extension to unknown addresses only', async () => {
    assert.equal((await registerFrom('4103', '127.0.0.1')).status, 200);
    for (let i = 1; i <= 19; i += 1) {
      assert.equal((await registerFrom('4103', `127.0.1.${i}`, 'wrong')).status, 401);
    }
    // 19 failures: a new address still logs in, and is known from then on.
    assert.equal((await registerFrom('4103', '127.0.2.2')).status, 200);
    assert.equal((await registerFrom('4103', '127.0.1.20', 'wrong')).status, 401);
    assert.deepEqual(outcome(await registerFrom('4103', '127.0.2.1')), REFUSED, 'unknown address');
    assert.deepEqual(outcome(await registerFrom('4103', '127.0.1.21', 'wrong')), REFUSED);
    assert.equal((await registerFrom('4103', '127.0.0.1')).status, 200, 'the usual address');
    assert.equal((await registerFrom('4103', '127.0.2.2')).status, 200, 'the address known since');
    assert.equal((await registerFrom('4104', '127.0.2.1')).status, 200, 'other extensions stay open');
  });
});

// Workers wait on PostgreSQL during the password check: the window a check-then-count limit loses.
void describe('Kamailio SIP lockout under parallel guesses (PostgreSQL, 8 workers)', () => {
  let h: KamailioHarness;
  const { agent, closeAll } = udpAgentPool(() => h);

  before(async () => {
    h = await startKamailio({ engine: 'postgres', children: 8 });
    await seedExtensions(h, [{ number: '4201' }]);
  });

  after(async () => {
    await closeAll();
    await h.stop();
  });

  void test('parallel guesses cannot slip past the limit: 5 are checked, the rest refused', async () => {
    const guess = async (i: number) =>
      (await agent('4201', { localAddress: '127.0.0.5', password: `parallel-${i}` })).register();
    const guesses = await Promise.all(Array.from({ length: 100 }, (_, i) => guess(i)));
    const checked = guesses.filter(({ status }) => status === 401).length;
    const refused = guesses.filter(({ status }) => status === 403).length;
    assert.equal(checked + refused, 100);
    assert.equal(checked, 5, `${checked} of 100 parallel guesses were checked`);
  });
});

// Failures are counted per period of authFailWindowSeconds; a count covers this period and the last.
void describe('Kamailio SIP lockout across counting periods (SQLite, 2 s periods)', () => {
  const PERIOD_S = 2;
  let h: KamailioHarness;
  const { agent, closeAll } = udpAgentPool(() => h);
  const registerFrom = async (address: string, password?: string) =>
    (await agent('4301', { localAddress: address, ...(password ? { password } : {}) })).register();
  const fail = async (address: string, times: number) => {
    for (let i = 0; i < times; i += 1) assert.equal((await registerFrom(address, 'wrong')).status, 401);
  };
  const period = () => Math.floor(Date.now() / 1000 / PERIOD_S);
  /** Waits for the start of the period `ahead` periods after the current one (Kamailio's clock is ours). */
  const nextPeriod = async (ahead = 1) => {
    const target = (period() + ahead) * PERIOD_S * 1000;
    await sleep(target - Date.now() + 20);
  };

  before(async () => {
    h = await startKamailio({ limits: { authFailWindowSeconds: PERIOD_S } });
    await seedExtensions(h, [{ number: '4301' }]);
  });

  after(async () => {
    await closeAll();
    await h.stop();
  });

  void test('failures either side of a period boundary add up', async () => {
    await nextPeriod();
    await fail('127.0.0.6', 3);
    await nextPeriod();
    await fail('127.0.0.6', 2);
    assert.deepEqual(outcome(await registerFrom('127.0.0.6')), REFUSED);
  });

  void test('failures two periods old are forgotten, and counting starts again', async () => {
    await fail('127.0.0.7', 4);
    await nextPeriod(2);
    await fail('127.0.0.7', 4);
    assert.equal((await registerFrom('127.0.0.7')).status, 200, 'the first 4 were forgotten');
    await fail('127.0.0.7', 1);
    assert.deepEqual(outcome(await registerFrom('127.0.0.7')), REFUSED, 'the next 5 count');
  });
});
