// Mounting and driving <earshot-admin-console> in component tests.
import { fixture, html, waitUntil } from '@open-wc/testing';
import '../../../src/admin/components/console/console.ts';
import type { EarshotAdminAccounts } from '../../../src/admin/components/accounts/accounts.ts';
import type { EarshotAdminConsole } from '../../../src/admin/components/console/console.ts';
import { ADMIN_USERS, FakeAdminServer } from './admin-server.ts';
import { API_TEST_URL } from './scenarios.ts';
import { useScenario } from './worker.ts';

/** A console against a fresh fake admin API; `as` signs in first (token in sessionStorage). */
export async function mountConsole(
  as?: keyof typeof ADMIN_USERS,
): Promise<{ el: EarshotAdminConsole; fake: FakeAdminServer }> {
  sessionStorage.clear();
  const fake = new FakeAdminServer();
  const worker = await useScenario('default');
  worker.use(...fake.handlers());
  const user = as ? ADMIN_USERS[as] : undefined;
  if (as && user) {
    sessionStorage.setItem(
      'earshot-admin-session',
      JSON.stringify({ token: `token-${as}`, admin: { username: as, role: user.role } }),
    );
  }
  const el = await fixture<EarshotAdminConsole>(
    html`<earshot-admin-console api-url=${API_TEST_URL}></earshot-admin-console>`,
  );
  if (as) await waitForText(accountsOf(el), 'Ada Agent');
  return { el, fake };
}

/** Folded visible text of a shadow root. */
export function textOf(host: Element | null | undefined): string {
  return (host?.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Waits until `host`'s shadow text contains `text`. */
export async function waitForText(host: Element, text: string, timeout = 5000): Promise<void> {
  await waitUntil(() => textOf(host).includes(text), `never showed "${text}": ${textOf(host).slice(-300)}`, {
    timeout,
  });
}

/** The element matching `selector` in `host`'s shadow root (throws when absent). */
export function $(host: Element, selector: string): HTMLElement {
  const found = host.shadowRoot?.querySelector<HTMLElement>(selector);
  if (!found) throw new Error(`No ${selector} in <${host.localName}>`);
  return found;
}

/** Buttons of `host`'s shadow root whose text or aria-label is `name`. */
export function buttons(host: Element, name: string): HTMLButtonElement[] {
  return [...(host.shadowRoot?.querySelectorAll('button') ?? [])].filter(
    (b) => b.textContent.replace(/\s+/g, ' ').trim() === name || b.getAttribute('aria-label') === name,
  );
}

/** Clicks the button named `name` (throws when absent). */
export function press(host: Element, name: string): void {
  const [button] = buttons(host, name);
  if (!button) throw new Error(`No button "${name}" in <${host.localName}>`);
  button.click();
}

/** The accounts page of a signed-in console. */
export function accountsOf(el: EarshotAdminConsole): EarshotAdminAccounts {
  const page = el.shadowRoot?.querySelector('earshot-admin-accounts');
  if (!page) throw new Error('The accounts page is not shown.');
  return page;
}

/** A dialog element of the accounts page. */
export function dialogOf<K extends keyof HTMLElementTagNameMap>(
  el: EarshotAdminConsole,
  tag: K,
): HTMLElementTagNameMap[K] {
  const found = accountsOf(el).shadowRoot?.querySelector(tag);
  if (!found) throw new Error(`No <${tag}> on the accounts page.`);
  return found;
}

/** Waits until the dialog inside `host` is open. */
export async function waitOpen(host: Element): Promise<HTMLDialogElement> {
  await waitUntil(() => host.shadowRoot?.querySelector('dialog')?.open, `<${host.localName}> never opened`);
  return $(host, 'dialog') as HTMLDialogElement;
}

/** Sets a field's value and fires input/change as typing would. */
export function type(host: Element, selector: string, value: string): void {
  const input = $(host, selector) as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  input.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}

/** The live region of the accounts page. */
export function announcement(el: EarshotAdminConsole): string {
  return $(accountsOf(el), '[role=status]').textContent.trim();
}

/** Replaces the clipboard; returns what gets copied. */
export function stubClipboard(): string[] {
  const copied: string[] = [];
  Object.defineProperty(navigator.clipboard, 'writeText', {
    configurable: true,
    value: (text: string) => Promise.resolve(void copied.push(text)),
  });
  return copied;
}
