import { fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/components/softphone/softphone.ts';
import type { EarshotLogin } from '../../src/components/login/login.ts';
import type { EarshotSoftphone } from '../../src/components/softphone/softphone.ts';
import { API_TEST_URL, SIP_TEST_URL, TEST_REALM } from '../support/msw/scenarios.ts';

/** A fresh softphone against the msw servers, with an empty IndexedDB. */
export async function mountSoftphone(): Promise<EarshotSoftphone> {
  await new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase('earshot');
    request.onsuccess = () => resolve();
    request.onerror = () => resolve();
    request.onblocked = () => resolve();
  });
  return fixture<EarshotSoftphone>(
    html`<earshot-softphone
      sip-server=${SIP_TEST_URL}
      api-url=${API_TEST_URL}
      realm=${TEST_REALM}
    ></earshot-softphone>`,
  );
}

/** The element inside `host`'s shadow root matching `selector` (throws when absent). */
export function inShadow(host: Element, selector: string): HTMLElement {
  const found = host.shadowRoot?.querySelector<HTMLElement>(selector);
  if (!found) throw new Error(`No ${selector} in <${host.localName}>`);
  return found;
}

/** The login form of a softphone. */
export function loginForm(phone: EarshotSoftphone): EarshotLogin {
  const login = phone.shadowRoot?.querySelector('earshot-login');
  if (!login) throw new Error('The login form is not shown.');
  return login;
}

/** Types credentials into the login form and submits it, as an agent would. */
export async function submitLogin(
  phone: EarshotSoftphone,
  extension: string,
  password: string,
): Promise<void> {
  const login = loginForm(phone);
  const ext = inShadow(login, '#extension') as HTMLInputElement;
  const pw = inShadow(login, '#password') as HTMLInputElement;
  ext.value = extension;
  pw.value = password;
  inShadow(login, 'button[type=submit]').click();
  await phone.updateComplete;
}

/** Logs in against the default scenario and waits for "Ready". */
export async function loggedInPhone(): Promise<EarshotSoftphone> {
  const phone = await mountSoftphone();
  await submitLogin(phone, '1001', 'correct horse battery staple');
  await waitUntil(
    () => phone.shadowRoot?.querySelector('.state')?.textContent.includes('Ready'),
    'never registered',
    { timeout: 5000 },
  );
  await waitUntil(() => phone.phone.me !== null, '/me never loaded', { timeout: 5000 });
  return phone;
}

/** Visible text of an element's shadow root, whitespace folded. */
export function shadowText(host: Element | null | undefined): string {
  return (host?.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ').trim();
}
