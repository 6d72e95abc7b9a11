// Two <earshot-softphone> elements in one page stand for two tabs of one browser: the same
// IndexedDB, BroadcastChannel and Web Locks. Against the msw SIP server and account service.
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { EarshotSoftphone } from '../../src/components/softphone/softphone.ts';
import type { EarshotCallEndedEvent } from '../../src/events/call-ended.ts';
import type { EarshotIncomingCallEvent } from '../../src/events/public-events.ts';
import { registersAnswered, ringRegisteredSoftphone } from '../support/msw/sip-server.ts';
import { lineLocks } from './line-locks.ts';
import type { SetupWorker } from 'msw/browser';
import { useScenario } from '../support/msw/worker.ts';
import { http, HttpResponse } from 'msw';
import { API_TEST_URL } from '../support/msw/scenarios.ts';
import {
  fill,
  loggedInPhone,
  mountSoftphone,
  openAccountTab,
  passwordForm,
  shadowButton,
  shadowText,
  submit,
  submitLogin,
} from './helpers.ts';

const statusOf = (phone: EarshotSoftphone): string =>
  phone.shadowRoot?.querySelector('.state')?.textContent.replace(/\s+/g, ' ').trim() ?? '';

const panelOf = (phone: EarshotSoftphone) => phone.shadowRoot?.querySelector('earshot-call-panel');

/** A logged-in leader and a second "tab" opened afterwards, showing the leader's line. */
async function leaderAndFollower(
  setup: (worker: SetupWorker) => void = () => undefined,
): Promise<{ leader: EarshotSoftphone; follower: EarshotSoftphone }> {
  setup(await useScenario('default'));
  const leader = await loggedInPhone();
  const follower = await mountSoftphone(true);
  await waitUntil(() => statusOf(follower) === '1001 · Ready', 'the second tab never showed the line', {
    timeout: 5000,
  });
  return { leader, follower };
}

describe('one registration per browser (two softphones in one page)', () => {
  it('shows the leader line in a tab opened later, without a second registration', async () => {
    const { leader, follower } = await leaderAndFollower();
    expect(follower.phone.sip).to.equal(undefined);
    expect(leader.phone.sip?.registration.status).to.equal('registered');
    expect(follower.registration.status).to.equal('registered');
    // Manual dialing comes from the leader's account details: the dialpad shows here too.
    await waitUntil(() => follower.shadowRoot?.querySelector('earshot-dialpad'), 'no dialpad');
    await expect(follower).to.be.accessible();
  });

  it('rings in both tabs, is answered from the follower, and the leader carries the call', async () => {
    const { leader, follower } = await leaderAndFollower();
    const incoming = oneEvent<EarshotIncomingCallEvent>(follower, 'earshot-incoming-call');
    await ringRegisteredSoftphone('5551234', 'Grace Customer');
    expect((await incoming).call.name).to.equal('Grace Customer');
    await waitUntil(() => shadowText(panelOf(follower)).includes('Grace Customer'), 'no caller shown');
    shadowButton(panelOf(follower), 'Answer').click();
    await waitUntil(
      () => leader.phone.sip?.calls[0]?.state.status === 'active',
      'the leader never answered',
      {
        timeout: 5000,
      },
    );
    await waitUntil(() => shadowText(panelOf(follower)).includes('Hang up'), 'the follower shows no call');
    const endedHere = oneEvent<EarshotCallEndedEvent>(follower, 'earshot-call-ended');
    const endedThere = oneEvent<EarshotCallEndedEvent>(leader, 'earshot-call-ended');
    shadowButton(panelOf(follower), 'Hang up').click();
    expect((await endedHere).detail.outcome).to.equal('completed');
    expect((await endedThere).detail.outcome).to.equal('completed');
    // One history entry for the browser, not one per tab.
    expect((await follower.phone.storage.calls()).length).to.equal(1);
  });

  it('mutes and holds through the public API of the follower', async () => {
    const { leader, follower } = await leaderAndFollower();
    await follower.call('1002');
    await waitUntil(() => follower.currentCall?.number === '1002', 'no call in the follower', {
      timeout: 5000,
    });
    await waitUntil(() => leader.phone.sip?.calls[0]?.state.status === 'active', 'not up', { timeout: 5000 });
    follower.mute();
    await waitUntil(() => leader.phone.sip?.calls[0]?.state.muted, 'not muted in the leader');
    follower.hold();
    await waitUntil(() => follower.phone.line.calls[0]?.held, 'not held', { timeout: 5000 });
    follower.hangup();
    await waitUntil(() => leader.phone.sip?.calls.length === 0, 'not hung up', { timeout: 5000 });
  });

  it('registers the follower when the leader tab goes, within two seconds', async () => {
    const { leader, follower } = await leaderAndFollower();
    const goneAt = performance.now();
    leader.remove();
    await waitUntil(() => follower.phone.sip?.registration.status === 'registered', 'no takeover', {
      timeout: 2000,
    });
    expect(performance.now() - goneAt).to.be.below(2000);
    expect(statusOf(follower)).to.equal('1001 · Ready');
  });

  it('leaves the line free after a refused login; a tab that logs in then leads, the other follows', async () => {
    await useScenario('wrong-password');
    const refused = await mountSoftphone();
    await submitLogin(refused, '1001', 'not my password');
    await waitUntil(() => refused.registration.status === 'failed', 'never refused', { timeout: 5000 });
    await useScenario('default');
    const second = await mountSoftphone(true);
    await submitLogin(second, '1001', 'correct horse battery staple');
    await waitUntil(() => statusOf(second) === '1001 · Ready', 'the second tab never registered', {
      timeout: 5000,
    });
    expect(second.phone.sip?.registration.status).to.equal('registered');
    // The first tab was listening for this extension: it now shows the line it could not open.
    await waitUntil(() => statusOf(refused) === '1001 · Ready', 'the first tab did not follow');
    expect(refused.phone.sip?.registration.status).to.equal('failed');
  });

  it('two tabs logging in at the same moment: both register at once, one keeps the line, calls reach it', async () => {
    await useScenario('default');
    const first = await mountSoftphone();
    const second = await mountSoftphone(true);
    const password = 'correct horse battery staple';
    const answered = registersAnswered().length;
    // Neither knows of a leader yet, so both send a REGISTER before the Web Lock picks one.
    await Promise.all([first.login('1001', password), second.login('1001', password)]);
    const owners = () => [first, second].filter((p) => p.phone.sip?.registration.status === 'registered');
    await waitUntil(() => owners().length === 1, 'not exactly one tab kept its registration', {
      timeout: 5000,
    });
    const [leader] = owners();
    const follower = leader === first ? second : first;
    await waitUntil(() => statusOf(follower) === '1001 · Ready', 'the other tab does not show the line', {
      timeout: 5000,
    });
    expect(follower.phone.sip?.registration.status).to.equal('logged-out');
    // The leader registered again after the other tab took its binding back: the call rings there.
    await waitUntil(() => leader?.phone.sip?.registration.status === 'registered', 'leader lost it');
    // The fake server rings the contact that registered last: wait for the leader's REGISTER after
    // the other tab's removal.
    await waitUntil(
      () => {
        const since = registersAnswered().slice(answered);
        return since.some((register) => register.removed) && since.at(-1)?.removed === false;
      },
      'the leader did not register again after the other tab gave its binding back',
      { timeout: 5000 },
    );
    await ringRegisteredSoftphone('5551234', 'Grace Customer');
    await waitUntil(() => leader?.phone.sip?.calls.length === 1, 'the call did not reach the leader', {
      timeout: 5000,
    });
    expect(follower.phone.sip?.calls.length ?? 0).to.equal(0);
    await waitUntil(
      () => shadowText(panelOf(follower)).includes('Grace Customer'),
      'not shown in the other tab',
    );
  });

  it('logs out every tab from a follower', async () => {
    const { leader, follower } = await leaderAndFollower();
    shadowButton(follower, 'Log out').click();
    await waitUntil(
      () =>
        follower.shadowRoot?.querySelector('earshot-login') &&
        leader.shadowRoot?.querySelector('earshot-login'),
      'a tab still shows the phone',
      { timeout: 5000 },
    );
    expect(leader.registration.status).to.equal('logged-out');
    // The leader's grace period is over and nobody holds or waits for the line: no tab took over.
    await waitUntil(async () => {
      const locks = await lineLocks('|1001');
      return locks.held === 0 && locks.pending === 0;
    }, 'the line is still locked');
    expect(follower.phone.sip).to.equal(undefined);
  });

  it('changes the password from a follower through the leader, which hands the new one to every tab', async () => {
    const changes: (string | null)[] = [];
    const logins: string[] = [];
    const { leader, follower } = await leaderAndFollower((worker) => {
      watchAccountRequests(worker, changes, logins);
    });
    // The leader signed in first; the follower opened its own session with the login it was handed.
    await waitUntil(() => logins.length === 2, 'the follower opened no account session', { timeout: 5000 });
    const form = passwordForm(await openAccountTab(follower));
    fill(form, { current: 'pw-1001', next: 'a-new-long-password-1', confirm: 'a-new-long-password-1' });
    const changed = oneEvent(follower, 'earshot-password-changed');
    submit(form);
    await changed;
    // Sent once, by the leader, with the leader's account session.
    expect(changes).to.deep.equal(['Bearer token-1']);
    // The follower signs in again with the new password (the service revoked its old session).
    await waitUntil(() => logins.includes('a-new-long-password-1'), 'the follower kept the old password', {
      timeout: 5000,
    });
    expect(leader.phone.sip?.registration.status).to.equal('registered');
  });

  it("shows the leader's refusal of a follower's password change on the right field", async () => {
    const { follower } = await leaderAndFollower((worker) => {
      worker.use(
        http.put(`${API_TEST_URL}/api/v1/me/password`, () =>
          HttpResponse.json(
            { error: 'wrong-current-password', message: 'Your current password is not correct.' },
            { status: 400 },
          ),
        ),
      );
    });
    const form = passwordForm(await openAccountTab(follower));
    fill(form, { current: 'not-it', next: 'a-new-long-password-1', confirm: 'a-new-long-password-1' });
    submit(form);
    await waitUntil(
      () => form.shadowRoot?.querySelector('#current-error')?.textContent.includes('not correct'),
      'no message on the current-password field',
      { timeout: 5000 },
    );
    await expect(form).to.be.accessible();
  });
});

/** Records the Authorization of every password change and the password of every agent login. */
function watchAccountRequests(worker: SetupWorker, changes: (string | null)[], logins: string[]): void {
  worker.use(
    http.put(`${API_TEST_URL}/api/v1/me/password`, ({ request }) => {
      changes.push(request.headers.get('authorization'));
      return HttpResponse.json({ passwordChangedAt: new Date().toISOString(), otherSessionsRevoked: 1 });
    }),
    http.post(`${API_TEST_URL}/api/v1/sessions`, async ({ request }) => {
      logins.push(((await request.json()) as { password: string }).password);
      return HttpResponse.json(
        { token: `token-${String(logins.length)}`, expiresAt: '2099-01-01T00:00:00Z', extension: '1001' },
        { status: 201 },
      );
    }),
  );
}
