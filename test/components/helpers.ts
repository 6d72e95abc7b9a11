import { fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/components/softphone/softphone.ts';
import type { EarshotLogin } from '../../src/components/login/login.ts';
import type { EarshotSoftphone } from '../../src/components/softphone/softphone.ts';
import { API_TEST_URL, SIP_TEST_URL, TEST_REALM } from '../support/msw/scenarios.ts';

/**
 * A fresh softphone against the msw servers, with an empty IndexedDB; `another` keeps the
 * database, as a second tab of the same browser would.
 */
export async function mountSoftphone(another = false): Promise<EarshotSoftphone> {
  await new Promise<void>((resolve) => {
    if (another) {
      resolve();
      return;
    }
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

/** The button labelled `label` in `host`'s shadow root (throws when absent). */
export function shadowButton(host: Element | null | undefined, label: string): HTMLButtonElement {
  const found = [...(host?.shadowRoot?.querySelectorAll('button') ?? [])].find(
    (b) => b.textContent.trim() === label,
  );
  if (!found) throw new Error(`no "${label}" button`);
  return found;
}

/** Opens the My account tab and waits for the account details. */
export async function openAccountTab(phone: EarshotSoftphone): Promise<Element> {
  phone.shadowRoot?.querySelector<HTMLButtonElement>('#tab-account')?.click();
  await phone.updateComplete;
  const page = phone.shadowRoot?.querySelector('earshot-account-page');
  if (!page) throw new Error('no account page');
  await waitUntil(() => shadowText(page).includes('Extension 1001'), 'account never loaded', {
    timeout: 5000,
  });
  return page;
}

/** The password form of an account page. */
export function passwordForm(page: Element): Element {
  const form = page.shadowRoot?.querySelector('earshot-password-form');
  if (!form) throw new Error('no password form');
  return form;
}

/** Types `values` into the named inputs of a form in a shadow root. */
export function fill(form: Element, values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    const input = form.shadowRoot?.querySelector<HTMLInputElement>(`input[name=${name}]`);
    if (!input) throw new Error(`no ${name} field`);
    input.value = value;
    input.dispatchEvent(new InputEvent('input'));
  }
}

/** Clicks the submit button of a form in a shadow root. */
export function submit(form: Element): void {
  form.shadowRoot?.querySelector<HTMLButtonElement>('button[type=submit]')?.click();
}
