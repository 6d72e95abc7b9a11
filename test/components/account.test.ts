import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { http, HttpResponse } from 'msw';
import '../../src/components/account-page/account-page.ts';
import { API_TEST_URL } from '../support/msw/scenarios.ts';
import { useScenario } from '../support/msw/worker.ts';
import {
  fill,
  loggedInPhone,
  mountSoftphone,
  openAccountTab,
  passwordForm,
  shadowText,
  submit,
  submitLogin,
} from './helpers.ts';

describe('account page', () => {
  it('shows the extension settings and the live registration of every device', async () => {
    await useScenario('default');
    const page = await openAccountTab(await loggedInPhone());
    const text = shadowText(page);
    for (const expected of [
      'Ada Agent',
      'Enabled',
      'Manual dialing',
      'Call recording',
      'kamailio-1',
      '192.0.2.10',
      'Earshot/0.1 (JsSIP)',
    ]) {
      expect(text).to.contain(expected);
    }
    expect(text).to.contain('Yes, 1 device');
    await expect(page).to.be.accessible();
  });

  it('shows how each device is connected and the client name it gives', async () => {
    const worker = await useScenario('default');
    const phone = await loggedInPhone();
    const me = await phone.phone.api.me();
    const [browser] = me.registration.devices;
    if (!browser) throw new Error('the default scenario has no device');
    const deskPhone = {
      ...browser,
      clientIp: '192.0.2.40',
      clientPort: 5060,
      transport: 'udp',
      clientName: 'Yealink SIP-T46U 108.86.0.20',
      contact: 'sip:1001@192.0.2.40:5060',
    };
    const mobile = { ...deskPhone, clientIp: '192.0.2.41', transport: 'tls', clientName: '' };
    worker.use(
      http.get(`${API_TEST_URL}/api/v1/me`, () =>
        HttpResponse.json({
          ...me,
          registration: {
            ...me.registration,
            devices: [{ ...browser, transport: 'wss' }, deskPhone, mobile],
          },
        }),
      ),
    );
    const page = await openAccountTab(phone);
    const device = (n: number) =>
      (page.shadowRoot?.querySelector(`[aria-label="Device ${n}"]`)?.textContent ?? '').replace(/\s+/g, ' ');
    expect(device(1)).to.contain('Transport WSS').and.to.contain('Client name Earshot/0.1 (JsSIP)');
    expect(device(2)).to.contain('Transport UDP').and.to.contain('Client name Yealink SIP-T46U 108.86.0.20');
    expect(device(3)).to.contain('Transport TLS').and.to.contain('Client name unknown');
    expect(shadowText(page)).to.contain('Yes, 3 devices');
    await expect(page).to.be.accessible();
  });

  it('opened right after login, waits for the account session instead of failing', async () => {
    const worker = await useScenario('default');
    let release = (): void => undefined;
    const sessionHeld = new Promise<void>((resolve) => (release = resolve));
    worker.use(
      http.post(`${API_TEST_URL}/api/v1/sessions`, async () => {
        await sessionHeld;
        return HttpResponse.json(
          { token: 'test-token', expiresAt: '2026-11-24T00:00:00Z', extension: '1001' },
          { status: 201 },
        );
      }),
      // As the real service: no session token, no account details (a token falls through).
      http.get(`${API_TEST_URL}/api/v1/me`, ({ request }) =>
        request.headers.get('authorization') === 'Bearer test-token'
          ? undefined
          : HttpResponse.json({ error: 'unauthenticated', message: 'Log in first.' }, { status: 401 }),
      ),
    );
    const phone = await mountSoftphone();
    await submitLogin(phone, '1001', 'correct horse battery staple');
    await waitUntil(() => shadowText(phone).includes('Ready'), 'never registered', { timeout: 5000 });
    phone.shadowRoot?.querySelector<HTMLButtonElement>('#tab-account')?.click();
    await phone.updateComplete;
    release();
    const page = phone.shadowRoot?.querySelector('earshot-account-page');
    await waitUntil(() => shadowText(page).includes('Yes, 1 device'), 'registration never shown', {
      timeout: 5000,
    });
    expect(shadowText(page)).not.to.contain('Log in first');
  });

  it('says when the phone server did not answer', async () => {
    const worker = await useScenario('default');
    const phone = await loggedInPhone();
    const me = await phone.phone.api.me();
    worker.use(
      http.get(`${API_TEST_URL}/api/v1/me`, () =>
        HttpResponse.json({
          ...me,
          registration: {
            status: 'unknown',
            registered: false,
            devices: [],
            unavailableNodes: ['kamailio-1'],
          },
        }),
      ),
    );
    const page = await openAccountTab(phone);
    expect(shadowText(page)).to.contain('live registration is unknown');
  });

  it('shows the account service error in plain language', async () => {
    const worker = await useScenario('default');
    const phone = await loggedInPhone();
    worker.use(
      http.get(`${API_TEST_URL}/api/v1/me`, () =>
        HttpResponse.json(
          { error: 'unauthenticated', message: 'Your session has expired. Log in again.' },
          { status: 401 },
        ),
      ),
    );
    phone.shadowRoot?.querySelector<HTMLButtonElement>('#tab-account')?.click();
    await phone.updateComplete;
    const page = phone.shadowRoot?.querySelector('earshot-account-page');
    await waitUntil(
      () => shadowText(page).includes('Your session has expired. Log in again.'),
      'no error shown',
      { timeout: 5000 },
    );
    await expect(page).to.be.accessible();
  });

  it('asks to sign in when there is no account session', async () => {
    await useScenario('default');
    const page = await fixture(html`<earshot-account-page></earshot-account-page>`);
    await waitUntil(() => shadowText(page).includes('Not signed in'), 'no message', { timeout: 5000 });
  });
});

describe('password form', () => {
  it('checks the confirmation before sending', async () => {
    await useScenario('default');
    const form = passwordForm(await openAccountTab(await loggedInPhone()));
    fill(form, {
      current: 'old-password-here',
      next: 'a-new-long-password-1',
      confirm: 'something else entirely',
    });
    submit(form);
    await waitUntil(() => shadowText(form).includes('do not match'), 'no mismatch message');
    await expect(form).to.be.accessible();
  });

  it("shows the server's policy message for the new password", async () => {
    const worker = await useScenario('default');
    worker.use(
      http.put(`${API_TEST_URL}/api/v1/me/password`, () =>
        HttpResponse.json(
          {
            error: 'password-policy',
            rule: 'common',
            message: 'This password appears in lists of commonly used passwords; choose another.',
          },
          { status: 422 },
        ),
      ),
    );
    const form = passwordForm(await openAccountTab(await loggedInPhone()));
    fill(form, { current: 'old-password-here', next: '1qaz2wsx3edc4rfv', confirm: '1qaz2wsx3edc4rfv' });
    submit(form);
    await waitUntil(() => shadowText(form).includes('commonly used passwords'), 'policy message not shown', {
      timeout: 5000,
    });
  });

  it('says when the current password is wrong', async () => {
    const worker = await useScenario('default');
    worker.use(
      http.put(`${API_TEST_URL}/api/v1/me/password`, () =>
        HttpResponse.json(
          { error: 'wrong-current-password', message: 'Your current password is not correct.' },
          { status: 400 },
        ),
      ),
    );
    const form = passwordForm(await openAccountTab(await loggedInPhone()));
    fill(form, { current: 'not-it', next: 'a-new-long-password-1', confirm: 'a-new-long-password-1' });
    submit(form);
    await waitUntil(() => shadowText(form).includes('current password is not correct'), 'no message', {
      timeout: 5000,
    });
  });

  it('generates a strong password, changes it, re-registers and reminds about desk phones', async () => {
    await useScenario('default');
    const phone = await loggedInPhone();
    const form = passwordForm(await openAccountTab(phone));
    [...(form.shadowRoot?.querySelectorAll('button') ?? [])]
      .find((b) => b.textContent.includes('Generate'))
      ?.click();
    await waitUntil(
      () =>
        form.shadowRoot?.querySelector<HTMLInputElement>('input[name=next]')?.value ===
        'k7PqR-x2mZa-9fTgh-Wc4Ne',
      'no suggestion',
    );
    expect(form.shadowRoot?.querySelector<HTMLInputElement>('input[name=next]')?.type).to.equal('text');
    expect(shadowText(form)).to.contain('Strength');
    fill(form, { current: 'correct horse battery staple' });
    const changed = oneEvent(phone, 'earshot-password-changed');
    submit(form);
    await changed;
    await waitUntil(() => shadowText(form).includes('desk phone'), 'no reminder');
    await waitUntil(
      () => phone.phone.sip?.registration.status === 'registered',
      'not registered after the change',
      { timeout: 5000 },
    );
  });
});
