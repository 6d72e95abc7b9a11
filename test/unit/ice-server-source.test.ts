// The softphone keeps its TURN credentials fresh: fetched at login, again halfway to their expiry,
// soon again after a failed fetch (keeping the old ones meanwhile), and never after logout.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { IceServerSource } from '../../src/services/account-api/ice-servers.ts';
import type { IceServers } from '../../src/services/account-api/types.ts';

const MIN_REFRESH = 30_000;
const HOUR = 3_600_000;

/** An account API whose answers the test queues; counts the fetches. */
function fakeApi(answers: (IceServers | Error)[]) {
  const api = {
    calls: 0,
    iceServers: () => {
      api.calls += 1;
      const next = answers.shift();
      return next instanceof Error || !next
        ? Promise.reject(next ?? new Error('none left'))
        : Promise.resolve(next);
    },
  };
  return api;
}

const servers = (user: string, expiresInMs: number): IceServers => ({
  iceServers: [{ urls: ['turn:turn.example.test:3478'], username: user, credential: `pw-${user}` }],
  expiresAt: new Date(Date.now() + expiresInMs).toISOString(),
});

/** Whose credentials the source holds now. */
const userOf = (source: IceServerSource): string => source.current.map((s) => s.username).join(',');

/** Lets the fetch's promise chain settle (no timers involved). */
const settle = async () => {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
};

describe('IceServerSource', () => {
  beforeEach(() =>
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.parse('2026-12-03T08:00:00Z') }),
  );
  afterEach(() => mock.timers.reset());

  test('fetches at start and again halfway to the expiry', async () => {
    const api = fakeApi([servers('first', 4 * HOUR), servers('second', 4 * HOUR)]);
    const source = new IceServerSource(MIN_REFRESH);
    source.start(api, new AbortController().signal);
    await settle();
    assert.equal(userOf(source), 'first');
    mock.timers.tick(2 * HOUR - 1);
    await settle();
    assert.equal(api.calls, 1);
    mock.timers.tick(1);
    await settle();
    assert.equal(api.calls, 2);
    assert.equal(userOf(source), 'second');
  });

  test('a failed fetch keeps the servers it had and tries again after the shortest wait', async () => {
    const api = fakeApi([servers('first', 60_000), new Error('offline'), servers('third', 4 * HOUR)]);
    const source = new IceServerSource(MIN_REFRESH);
    source.start(api, new AbortController().signal);
    await settle();
    mock.timers.tick(MIN_REFRESH);
    await settle();
    assert.equal(api.calls, 2);
    assert.equal(userOf(source), 'first');
    mock.timers.tick(MIN_REFRESH);
    await settle();
    assert.equal(userOf(source), 'third');
  });

  test('after stop (logout) or an aborted page nothing is fetched again, even by a fetch in flight', async () => {
    const api = fakeApi([servers('first', 60_000), servers('second', 60_000)]);
    const source = new IceServerSource(MIN_REFRESH);
    source.start(api, new AbortController().signal);
    source.stop();
    await settle();
    mock.timers.tick(10 * HOUR);
    await settle();
    assert.equal(api.calls, 1);

    const page = new AbortController();
    source.start(api, page.signal);
    await settle();
    page.abort();
    mock.timers.tick(10 * HOUR);
    await settle();
    assert.equal(api.calls, 2);
  });
});
