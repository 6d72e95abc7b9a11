import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../src/components/softphone/softphone.ts';
import type { EarshotSoftphone } from '../../src/components/softphone/softphone.ts';
import type { EarshotCallEndedEvent } from '../../src/events/call-ended.ts';
import type {
  EarshotCallStartedEvent,
  EarshotIncomingCallEvent,
  EarshotRegisteredEvent,
  EarshotRegistrationFailedEvent,
} from '../../src/events/public-events.ts';
import { defineElement } from '../../src/internal/define.ts';
import { http, HttpResponse } from 'msw';
import { API_TEST_URL, meFor, SIP_TEST_URL, TEST_REALM } from '../support/msw/scenarios.ts';
import { ringRegisteredSoftphone } from '../support/msw/sip-server.ts';
import { useScenario } from '../support/msw/worker.ts';
import { mountSoftphone, shadowText } from './helpers.ts';

const PASSWORD = 'correct horse battery staple';

async function loggedIn(phone: EarshotSoftphone): Promise<void> {
  const registered = oneEvent<EarshotRegisteredEvent>(phone, 'earshot-registered');
  await phone.login('1001', PASSWORD);
  expect((await registered).extension).to.equal('1001');
  await waitUntil(() => phone.phone.me !== null, '/me never loaded', { timeout: 5000 });
}

describe('<earshot-softphone> public API', () => {
  it('logs in from code, publishes registered, exposes read-only state', async () => {
    await useScenario('default');
    const phone = await mountSoftphone();
    await loggedIn(phone);
    expect(phone.registration.status).to.equal('registered');
    expect(phone.currentCall).to.equal(null);
  });

  it('publishes registration-failed with the plain-language message', async () => {
    await useScenario('disabled');
    const phone = await mountSoftphone();
    const failed = oneEvent<EarshotRegistrationFailedEvent>(phone, 'earshot-registration-failed');
    await phone.login('1001', PASSWORD).catch(() => undefined);
    const event = await failed;
    expect(event.reason).to.equal('disabled');
    expect(event.message).to.contain('disabled by your administrator');
    expect(event.composed).to.equal(true);
  });

  it('refuses call() before login, at once', async () => {
    await useScenario('default');
    const phone = await mountSoftphone();
    let message = '';
    await phone.call('1002').catch((error: unknown) => (message = (error as Error).message));
    expect(message).to.equal('Log in before placing a call.');
  });

  it('refuses call() with a clear error when manual dialing is off', async () => {
    await useScenario('no-manual-dialing');
    const phone = await mountSoftphone();
    await loggedIn(phone);
    let message = '';
    await phone.call('1002').catch((error: unknown) => (message = (error as Error).message));
    expect(message).to.equal('Manual dialing is not enabled for this extension.');
    expect(phone.phone.sip?.calls.length).to.equal(0);
  });

  it('a call() right after earshot-registered waits for the account details instead of refusing', async () => {
    const worker = await useScenario('default');
    let answerMe = (): void => undefined;
    const meAsked = new Promise<void>((resolve) => {
      worker.use(
        http.get(`${API_TEST_URL}/api/v1/me`, async () => {
          resolve();
          await new Promise<void>((release) => (answerMe = release));
          return HttpResponse.json(meFor('default'));
        }),
      );
    });
    const phone = await mountSoftphone();
    const registered = oneEvent<EarshotRegisteredEvent>(phone, 'earshot-registered');
    void phone.login('1001', PASSWORD);
    await registered;
    await meAsked;
    expect(phone.phone.me).to.equal(null);
    const started = oneEvent<EarshotCallStartedEvent>(phone, 'earshot-call-started');
    const calling = phone.call('1002');
    answerMe();
    await calling;
    expect((await started).call.number).to.equal('1002');
    phone.hangup();
  });

  it('refuses call() with the reason when the account details could not be loaded', async () => {
    const worker = await useScenario('default');
    worker.use(http.get(`${API_TEST_URL}/api/v1/me`, () => HttpResponse.json({}, { status: 503 })));
    const phone = await mountSoftphone();
    await phone.login('1001', PASSWORD);
    let message = '';
    await phone.call('1002').catch((error: unknown) => (message = (error as Error).message));
    expect(phone.phone.meError).to.be.a('string').and.not.equal('');
    expect(message).to.equal(
      `Calls cannot be placed until your account details load: ${phone.phone.meError}`,
    );
    expect(message).to.not.contain('Manual dialing');
    expect(phone.phone.sip?.calls.length).to.equal(0);
  });

  it('calls, holds, mutes, sends DTMF and hangs up through the API with events', async () => {
    await useScenario('default');
    const phone = await mountSoftphone();
    await loggedIn(phone);
    const started = oneEvent<EarshotCallStartedEvent>(phone, 'earshot-call-started');
    await phone.call('(100) 2');
    expect((await started).call.number).to.equal('1002');
    expect(phone.currentCall?.number).to.equal('1002');
    phone.mute();
    await waitUntil(() => phone.phone.sip?.calls[0]?.state.muted, 'not muted');
    phone.hold();
    await waitUntil(() => phone.phone.sip?.calls[0]?.state.held, 'not held', { timeout: 5000 });
    phone.hold(false);
    await waitUntil(() => !phone.phone.sip?.calls[0]?.state.held, 'not resumed', { timeout: 5000 });
    phone.sendDtmf('12#');
    expect(() => phone.sendDtmf('x')).to.throw('DTMF digits');
    const ended = oneEvent<EarshotCallEndedEvent>(phone, 'earshot-call-ended');
    phone.hangup();
    expect((await ended).detail.outcome).to.equal('completed');
    expect(() => phone.hangup()).to.throw('There is no call in progress.');
  });

  it('asks the host for the caller name and publishes the incoming call', async () => {
    await useScenario('default');
    const phone = await mountSoftphone();
    phone.callerLookup = (number) => (number === '5551234' ? 'Acme Corp — Grace (VIP)' : null);
    await loggedIn(phone);
    const incoming = oneEvent<EarshotIncomingCallEvent>(phone, 'earshot-incoming-call');
    await ringRegisteredSoftphone('5551234', '');
    const event = await incoming;
    expect(event.call.name).to.equal('Acme Corp — Grace (VIP)');
    const panel = phone.shadowRoot?.querySelector('earshot-call-panel');
    await waitUntil(() => shadowText(panel).includes('Acme Corp'), 'name not shown');
    phone.answer();
    await waitUntil(
      () => phone.currentCall && phone.phone.sip?.calls[0]?.state.status === 'active',
      'not answered',
      { timeout: 5000 },
    );
    phone.hangup();
  });
});

describe('embedding', () => {
  it('warns instead of crashing when the widget is defined twice', () => {
    const warnings: unknown[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args[0]);
    try {
      defineElement('earshot-softphone', class extends HTMLElement {});
    } finally {
      console.warn = original;
    }
    expect(String(warnings[0])).to.contain('already defined');
    expect(customElements.get('earshot-softphone')?.name).to.equal('EarshotSoftphone');
  });

  it('renders compact and dark, accessibly, and keeps page styles out', async () => {
    await useScenario('default');
    const wrapper = await fixture(
      html`<div>
        <style>
          button {
            background: red !important;
            display: none !important;
          }
        </style>
        <earshot-softphone
          layout="compact"
          theme="dark"
          sip-server=${SIP_TEST_URL}
          api-url=${API_TEST_URL}
          realm=${TEST_REALM}
        ></earshot-softphone>
      </div>`,
    );
    const phone = wrapper.querySelector('earshot-softphone');
    if (!phone) throw new Error('no softphone');
    await phone.updateComplete;
    await loggedIn(phone);
    await phone.updateComplete;
    expect(phone.shadowRoot?.querySelector('[role=tablist]')).to.equal(null);
    const call = phone.shadowRoot
      ?.querySelector('earshot-dialpad')
      ?.shadowRoot?.querySelector('button[type=submit]');
    if (!call) throw new Error('no call button');
    expect(getComputedStyle(call).display).not.to.equal('none');
    expect(getComputedStyle(phone).getPropertyValue('--earshot-surface-color').trim()).to.equal('#1e1f24');
    await expect(phone).to.be.accessible();
  });
});
