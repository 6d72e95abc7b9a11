import { expect, waitUntil } from '@open-wc/testing';
import { loginForm, loggedInPhone, mountSoftphone, shadowText, submitLogin } from './helpers.ts';
import { useScenario } from '../support/msw/worker.ts';
import { API_TEST_URL, SIP_TEST_URL, TEST_REALM, type ScenarioName } from '../support/msw/scenarios.ts';
import { registersAnswered } from '../support/msw/sip-server.ts';

async function failedLogin(name: ScenarioName, password = 'whatever-password') {
  await useScenario(name);
  const phone = await mountSoftphone();
  await submitLogin(phone, '1001', password);
  const form = loginForm(phone);
  await waitUntil(() => form.shadowRoot?.querySelector('[role=alert]'), `no message for ${name}`, {
    timeout: 5000,
  });
  return { phone, form };
}

describe('earshot-login', () => {
  it('registers and shows the phone with a correct password', async () => {
    await useScenario('default');
    const phone = await loggedInPhone();
    expect(shadowText(phone)).to.contain('1001');
    expect(phone.shadowRoot?.querySelector('earshot-dialpad')).to.exist;
    await expect(phone).to.be.accessible();
  });

  it('says plainly when the extension or password is wrong', async () => {
    const { form } = await failedLogin('wrong-password');
    expect(shadowText(form)).to.contain('The extension number or password is not correct.');
    expect(shadowText(form)).not.to.match(/\b40[13]\b/);
    await expect(form).to.be.accessible();
  });

  it('says the administrator disabled the extension', async () => {
    const { form } = await failedLogin('disabled');
    expect(shadowText(form)).to.contain('disabled by your administrator');
    await expect(form).to.be.accessible();
  });

  it('says too many attempts were made from this network, without the SIP code', async () => {
    const { form } = await failedLogin('too-many-attempts');
    expect(shadowText(form)).to.contain('Too many failed login attempts from your network.');
    expect(shadowText(form)).not.to.match(/\b403\b/);
  });

  it('counts down to the next try when the server is unreachable', async () => {
    const { form } = await failedLogin('server-down');
    expect(shadowText(form)).to.contain('cannot be reached');
    expect(shadowText(form)).to.match(/Trying again in \d+ s/);
    await expect(form).to.be.accessible();
  });

  it('validates the extension before sending anything', async () => {
    await useScenario('default');
    const phone = await mountSoftphone();
    await submitLogin(phone, '12a', 'password-password');
    const form = loginForm(phone);
    await form.updateComplete;
    expect(shadowText(form)).to.contain('Extension numbers have 4 to 8 digits.');
    expect(phone.phone.sip).to.equal(undefined);
  });

  it('lets the agent reveal the password and supports password managers', async () => {
    await useScenario('default');
    const phone = await mountSoftphone();
    const form = loginForm(phone);
    const password = form.shadowRoot?.querySelector<HTMLInputElement>('#password');
    expect(password?.getAttribute('autocomplete')).to.equal('current-password');
    expect(form.shadowRoot?.querySelector('#extension')?.getAttribute('autocomplete')).to.equal('username');
    form.shadowRoot?.querySelector<HTMLButtonElement>('button[aria-controls=password]')?.click();
    await form.updateComplete;
    expect(password?.type).to.equal('text');
  });
});

describe('registration resilience', () => {
  it('retries by itself after a 500 on REGISTER, which JsSIP alone would not', async () => {
    await useScenario('register-500-once');
    const phone = await mountSoftphone();
    await submitLogin(phone, '1001', 'correct horse battery staple');
    const form = loginForm(phone);
    await waitUntil(() => shadowText(form).includes('had a problem'), 'no server-error message', {
      timeout: 5000,
    });
    expect(shadowText(form)).to.match(/Trying again in \d+ s/);
    await waitUntil(() => phone.phone.sip?.registration.status === 'registered', 'never retried', {
      timeout: 8000,
    });
  });
});

/** A promise and its settle functions, for a device the test opens (or refuses) when it chooses. */
function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: Error): void } {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

/** Makes the Permissions API answer `state` for the microphone; returns the undo. */
function permissionSays(state: PermissionState): () => void {
  const permissions = navigator.permissions;
  const query = permissions.query.bind(permissions);
  permissions.query = (descriptor) =>
    descriptor.name === 'microphone' ? Promise.resolve({ state } as PermissionStatus) : query(descriptor);
  return () => {
    permissions.query = query;
  };
}

/** A softphone configured for the mocked servers, not yet in the document (nothing rendered). */
function unmountedSoftphone(): HTMLElementTagNameMap['earshot-softphone'] {
  const phone = document.createElement('earshot-softphone');
  phone.setAttribute('sip-server', SIP_TEST_URL);
  phone.setAttribute('api-url', API_TEST_URL);
  phone.setAttribute('realm', TEST_REALM);
  return phone;
}

describe('browser conditions', () => {
  it('explains how to allow a blocked microphone', async () => {
    await useScenario('default');
    const phone = await mountSoftphone();
    phone.phone.media.getMicrophone = () =>
      Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    const restore = permissionSays('denied');
    try {
      await submitLogin(phone, '1001', 'correct horse battery staple');
      const form = loginForm(phone);
      await waitUntil(
        () => shadowText(form).includes('may not use your microphone'),
        'no microphone message',
        {
          timeout: 5000,
        },
      );
      expect(shadowText(form)).to.contain('allow the microphone');
      await expect(form).to.be.accessible();
    } finally {
      restore();
    }
  });

  it('says when no microphone is connected', async () => {
    await useScenario('default');
    const phone = await mountSoftphone();
    phone.phone.media.getMicrophone = () =>
      Promise.reject(new DOMException('Requested device not found', 'NotFoundError'));
    await submitLogin(phone, '1001', 'correct horse battery staple');
    // The form may give way to "Ready" for a moment (registered before the device check fails).
    const form = () => phone.shadowRoot?.querySelector('earshot-login');
    await waitUntil(() => shadowText(form()).includes('No microphone was found'), 'no message', {
      timeout: 5000,
    });
  });

  it('with the microphone already allowed, is Ready before the device opens; a device that then fails ends the login', async () => {
    await useScenario('default');
    const phone = await mountSoftphone();
    const device = deferred<MediaStream>();
    // The device opens only once the REGISTER is answered: nothing in the way of the handshake.
    const opened: string[] = [];
    phone.phone.media.getMicrophone = () => {
      opened.push(phone.phone.sip?.registration.status ?? 'no SIP service');
      return device.promise;
    };
    const restore = permissionSays('granted');
    try {
      await submitLogin(phone, '1001', 'correct horse battery staple');
      await waitUntil(() => phone.phone.sip?.registration.status === 'registered', 'not registered', {
        timeout: 5000,
      });
      await waitUntil(() => opened.length > 0, 'the device was never opened', { timeout: 5000 });
      expect(opened).to.deep.equal(['registered']);
      device.reject(new DOMException('Requested device not found', 'NotFoundError'));
      // Back on the login form, which says why.
      await waitUntil(
        () =>
          shadowText(phone.shadowRoot?.querySelector('earshot-login')).includes('No microphone was found'),
        'no message',
        { timeout: 5000 },
      );
      expect(phone.phone.sip?.registration.status).to.equal('failed');
    } finally {
      restore();
    }
  });

  it('when the browser would ask for the microphone, waits for it before saying Ready', async () => {
    await useScenario('default');
    const phone = await mountSoftphone();
    const device = deferred<MediaStream>();
    let opened = false;
    phone.phone.media.getMicrophone = () => {
      opened = true;
      return device.promise;
    };
    const restore = permissionSays('prompt');
    try {
      const answered = registersAnswered().length;
      await submitLogin(phone, '1001', 'correct horse battery staple');
      // The registrar's 200 has reached JsSIP: only the open question keeps the phone from Ready.
      await waitUntil(() => registersAnswered().length > answered, 'the REGISTER was never answered', {
        timeout: 5000,
      });
      expect(phone.phone.sip?.registration.status).to.equal('connecting');
      // The browser's question is already on screen while the REGISTER waits for it.
      expect(opened).to.equal(true);
      device.resolve(new MediaStream());
      await waitUntil(() => phone.phone.sip?.registration.status === 'registered', 'not registered', {
        timeout: 5000,
      });
    } finally {
      restore();
    }
  });

  it('a login the host starts before the first render renders the phone once registered, no status line flashing by', async () => {
    await useScenario('default');
    const phone = unmountedSoftphone();
    const restore = permissionSays('granted');
    try {
      document.body.append(phone);
      const login = phone.login('1001', 'correct horse battery staple');
      await phone.updateComplete;
      // The first render waited for the login (well inside the status line's delay here).
      expect(phone.registration.status).to.equal('registered');
      expect(shadowText(phone)).not.to.contain('Connecting as');
      expect(phone.shadowRoot?.querySelector('earshot-login')).to.equal(null);
      await login;
    } finally {
      restore();
      phone.remove();
    }
  });

  it('a login the host starts before the first render shows a status line when slow, and the form only when it fails', async () => {
    await useScenario('default');
    const phone = unmountedSoftphone();
    const device = deferred<MediaStream>();
    phone.phone.media.getMicrophone = () => device.promise;
    const restore = permissionSays('prompt');
    try {
      document.body.append(phone);
      const login = phone.login('1001', 'correct horse battery staple');
      await phone.updateComplete;
      expect(shadowText(phone)).to.contain('Connecting as 1001…');
      expect(phone.shadowRoot?.querySelector('earshot-login')).to.equal(null);
      await expect(phone).to.be.accessible();
      device.reject(new DOMException('Permission denied', 'NotAllowedError'));
      await login.catch(() => undefined);
      await waitUntil(
        () =>
          shadowText(phone.shadowRoot?.querySelector('earshot-login')).includes(
            'may not use your microphone',
          ),
        'no form with the reason',
        { timeout: 5000 },
      );
    } finally {
      restore();
      phone.remove();
    }
  });

  it('refuses to start outside a secure context, saying why', async () => {
    await useScenario('default');
    const phone = await mountSoftphone();
    Object.defineProperty(window, 'isSecureContext', { value: false, configurable: true });
    try {
      await submitLogin(phone, '1001', 'correct horse battery staple');
      await waitUntil(() => shadowText(loginForm(phone)).includes('https://'), 'no secure-context message', {
        timeout: 5000,
      });
    } finally {
      Object.defineProperty(window, 'isSecureContext', { value: true, configurable: true });
    }
  });
});
