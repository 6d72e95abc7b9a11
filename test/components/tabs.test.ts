// The tabs service with two (or three) instances in one page: BroadcastChannel and Web Locks work
// between instances of the same page exactly as between tabs of one browser.
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { TabRole, type TabCredentials } from '../../src/services/tabs/messages.ts';
import { TabsService, type TabsHandlers } from '../../src/services/tabs/tabs-service.ts';
import { lineLocks } from './line-locks.ts';

interface State {
  status: string;
}
type Command = { kind: 'answer'; callId: string } | { kind: 'fail' } | { kind: 'stall' };

const LOGIN: TabCredentials = { extension: '1001', password: 'correct horse battery staple' };
const opened: TabsService<State, Command>[] = [];

/** A tab's service; `executed` collects the commands it ran as leader. */
function tab(
  key: string,
  options: { credentials?: TabCredentials | null; commandTimeoutMs?: number } = {},
): { service: TabsService<State, Command>; executed: Command[]; rebinds: () => number } {
  const executed: Command[] = [];
  let rebinds = 0;
  const handlers: TabsHandlers<State, Command> = {
    snapshot: () => ({ status: 'registered' }),
    credentials: () => (options.credentials === undefined ? LOGIN : options.credentials),
    execute: async (command) => {
      executed.push(command);
      if (command.kind === 'fail') throw new Error('That call has already ended.');
      if (command.kind === 'stall') await new Promise(() => undefined);
    },
    rebind: () => {
      rebinds += 1;
    },
  };
  const service = new TabsService<State, Command>(key, handlers, {
    commandTimeoutMs: options.commandTimeoutMs ?? 2000,
  });
  opened.push(service);
  return { service, executed, rebinds: () => rebinds };
}

const uniqueKey = (): string => `http://api.test|ws://sip.test|${Math.random().toString(36).slice(2)}`;

describe('TabsService: one leader per browser', () => {
  afterEach(() => {
    for (const service of opened.splice(0)) service.close();
  });

  it('lets exactly one tab claim the line; the other follows and gets the state', async () => {
    const key = uniqueKey();
    const leader = tab(key).service;
    const follower = tab(key).service;
    expect(await leader.claim()).to.equal(true);
    expect(await follower.claim()).to.equal(false);
    expect(follower.role).to.equal(TabRole.Alone);
    const state = oneEvent<CustomEvent<State>>(follower, 'state');
    follower.follow();
    expect((await state).detail).to.deep.equal({ status: 'registered' });
    expect(leader.role).to.equal(TabRole.Leader);
    expect(follower.role).to.equal(TabRole.Follower);
  });

  it('sends what the leader publishes to followers', async () => {
    const key = uniqueKey();
    const leader = tab(key).service;
    const follower = tab(key).service;
    await leader.claim();
    follower.follow();
    await oneEvent(follower, 'state');
    const next = oneEvent<CustomEvent<State>>(follower, 'state');
    leader.publish({ status: 'reconnecting' });
    expect((await next).detail.status).to.equal('reconnecting');
  });

  it('runs a follower command in the leader and sends back success or the error message', async () => {
    const key = uniqueKey();
    const leader = tab(key);
    const follower = tab(key).service;
    await leader.service.claim();
    follower.follow();
    await follower.send({ kind: 'answer', callId: 'call-1' });
    expect(leader.executed).to.deep.equal([{ kind: 'answer', callId: 'call-1' }]);
    let message = '';
    await follower.send({ kind: 'fail' }).catch((error: unknown) => (message = (error as Error).message));
    expect(message).to.equal('That call has already ended.');
  });

  it('gives up on a command the leader never answers, in plain words', async () => {
    const key = uniqueKey();
    const leader = tab(key).service;
    const follower = tab(key, { commandTimeoutMs: 200 }).service;
    await leader.claim();
    follower.follow();
    let message = '';
    await follower.send({ kind: 'stall' }).catch((error: unknown) => (message = (error as Error).message));
    expect(message).to.equal('The tab that holds the phone line did not answer. Try again.');
  });

  it('refuses commands from a tab that is not following', async () => {
    const loner = tab(uniqueKey()).service;
    let message = '';
    await loner.send({ kind: 'fail' }).catch((error: unknown) => (message = (error as Error).message));
    expect(message).to.equal('This tab is not connected to the phone line.');
  });

  it('hands the leader login to a follower that takes over when the leader tab closes', async () => {
    const key = uniqueKey();
    const leader = tab(key).service;
    const follower = tab(key, { credentials: null }).service;
    await leader.claim();
    // The leader answers hello (state) and then handover (credentials); wait for both.
    const handedOver = oneEvent<CustomEvent<TabCredentials>>(follower, 'credentials');
    follower.follow();
    expect((await handedOver).detail).to.deep.equal(LOGIN);
    const takeover = oneEvent<CustomEvent<TabCredentials>>(follower, 'takeover');
    const closedAt = performance.now();
    leader.close();
    expect((await takeover).detail).to.deep.equal(LOGIN);
    expect(performance.now() - closedAt).to.be.below(500);
    expect(follower.role).to.equal(TabRole.Leader);
  });

  it('passes the lead on to the next follower, one at a time', async () => {
    const key = uniqueKey();
    const first = tab(key).service;
    const second = tab(key).service;
    const third = tab(key).service;
    await first.claim();
    second.follow();
    third.follow();
    await waitUntil(() => second.role === TabRole.Follower && third.role === TabRole.Follower);
    await oneEvent(third, 'state');
    first.close();
    await waitUntil(() => second.role === TabRole.Leader || third.role === TabRole.Leader, 'no takeover');
    // The other one still waits in line for the lock the new leader holds: it cannot lead as well.
    await waitUntil(async () => {
      const locks = await lineLocks(key);
      return locks.held === 1 && locks.pending === 1;
    }, 'the other follower does not wait for the lock');
    const leaders = [second, third].filter((s) => s.role === TabRole.Leader);
    expect(leaders.length).to.equal(1);
  });

  it('ends the session everywhere on logout: no follower takes over', async () => {
    const key = uniqueKey();
    const leader = tab(key).service;
    const follower = tab(key).service;
    await leader.claim();
    follower.follow();
    await oneEvent(follower, 'state');
    let tookOver = false;
    follower.addEventListener('takeover', () => (tookOver = true));
    const loggedOut = oneEvent(follower, 'logout');
    leader.resign(true);
    await loggedOut;
    // The grace period is over and the lock is free: a follower still in line would hold it now.
    await waitUntil(async () => {
      const locks = await lineLocks(key);
      return locks.held === 0 && locks.pending === 0;
    }, 'the line is still locked');
    expect(tookOver).to.equal(false);
    expect(follower.role).to.equal(TabRole.Alone);
    // The line is free again: whichever tab logs in next leads.
    expect(await follower.claim()).to.equal(true);
  });

  it('keeps extensions apart: another key has its own leader', async () => {
    const mine = tab(uniqueKey()).service;
    const other = tab(uniqueKey()).service;
    expect(await mine.claim()).to.equal(true);
    expect(await other.claim()).to.equal(true);
  });

  it('does not take over without a login to register with', async () => {
    const key = uniqueKey();
    const leader = tab(key, { credentials: null }).service;
    const follower = tab(key).service;
    await leader.claim();
    follower.follow();
    await oneEvent(follower, 'state');
    leader.close();
    await waitUntil(() => follower.role === TabRole.Alone, 'the follower should step back');
  });

  it('notes the leader in localStorage while it leads, so a login knows whether to wait for the lock', async () => {
    const key = uniqueKey();
    const first = tab(key).service;
    const second = tab(key).service;
    expect(first.leaderKnown).to.equal(false);
    await first.claim();
    expect(second.leaderKnown).to.equal(true);
    expect(localStorage.getItem(`earshot-line:${key}`))
      .to.be.a('string')
      .and.not.include('1001');
    first.close();
    await waitUntil(() => !second.leaderKnown, 'the hint should go with the leader');
    expect(localStorage.getItem(`earshot-line:${key}`)).to.equal(null);
  });

  it('passes the hint on at a takeover and never clears another tab’s', async () => {
    const key = uniqueKey();
    const leader = tab(key).service;
    const follower = tab(key).service;
    await leader.claim();
    const before = localStorage.getItem(`earshot-line:${key}`);
    follower.follow();
    await oneEvent(follower, 'state');
    const tookOver = oneEvent(follower, 'takeover');
    leader.close();
    await tookOver;
    const after = localStorage.getItem(`earshot-line:${key}`);
    expect(after).to.be.a('string').and.not.equal(before);
    follower.resign();
    expect(localStorage.getItem(`earshot-line:${key}`)).to.equal(null);
  });

  it('says a leader may exist when storage cannot be read (the careful way: wait for the lock)', () => {
    const blocked = {
      getItem: () => {
        throw new DOMException('blocked', 'SecurityError');
      },
      setItem: () => undefined,
      removeItem: () => undefined,
    };
    const handlers: TabsHandlers<State, Command> = {
      snapshot: () => ({ status: 'registered' }),
      credentials: () => null,
      execute: () => Promise.resolve(),
      rebind: () => undefined,
    };
    const service = new TabsService<State, Command>(uniqueKey(), handlers, { storage: blocked });
    opened.push(service);
    expect(service.leaderKnown).to.equal(true);
  });

  it('has the leader register again when a tab that lost the race gave its binding back', async () => {
    const key = uniqueKey();
    const leader = tab(key);
    const loser = tab(key);
    await leader.service.claim();
    expect(await loser.service.claim()).to.equal(false);
    loser.service.rebind();
    await waitUntil(() => leader.rebinds() === 1, 'the leader should be asked to register again');
    // A leader never asks itself, nor do followers react.
    leader.service.rebind();
    // A round trip from the loser to the leader and back: whatever either posted before has arrived.
    const answered = oneEvent(loser.service, 'state');
    loser.service.hello();
    await answered;
    expect(leader.rebinds()).to.equal(1);
    expect(loser.rebinds()).to.equal(0);
  });

  it('waits, when asked to, for a lock a logged-out leader keeps for a moment', async () => {
    const key = uniqueKey();
    const leaving = tab(key).service;
    const next = tab(key).service;
    await leaving.claim();
    leaving.resign(true);
    // At once: still held (the grace period); with a wait: granted when the grace period ends.
    expect(await tab(key).service.claim()).to.equal(false);
    expect(await next.claim(1000)).to.equal(true);
    expect(next.role).to.equal(TabRole.Leader);
  });

  it('gives up waiting for a lock a live leader holds', async () => {
    const key = uniqueKey();
    await tab(key).service.claim();
    const started = performance.now();
    expect(await tab(key).service.claim(200)).to.equal(false);
    expect(performance.now() - started).to.be.at.least(190);
  });

  it('lets go of a lock granted after the tab closed, leaving no hint behind', async () => {
    const key = uniqueKey();
    const holder = tab(key).service;
    await holder.claim();
    const closing = tab(key).service;
    const claimed = closing.claim(1000);
    closing.close();
    holder.close();
    expect(await claimed).to.equal(false);
    expect(closing.role).to.equal(TabRole.Alone);
    expect(localStorage.getItem(`earshot-line:${key}`)).to.equal(null);
    // Freed: another tab gets it (the release reaches the lock manager a moment later).
    expect(await tab(key).service.claim(1000)).to.equal(true);
  });
});
