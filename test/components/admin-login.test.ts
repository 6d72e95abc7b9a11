import { expect, fixture, html } from '@open-wc/testing';
import {
  $,
  accountsOf,
  buttons,
  mountConsole,
  press,
  textOf,
  type,
  waitForText,
} from '../support/msw/admin-console.ts';
import { THROTTLED_USER } from '../support/msw/admin-server.ts';
import { API_TEST_URL } from '../support/msw/scenarios.ts';

function signIn(el: Element, username: string, password: string): void {
  const login = $(el, 'earshot-admin-login');
  type(login, '#username', username);
  type(login, '#password', password);
  press(login, 'Sign in');
}

describe('admin console: login', () => {
  it('signs an administrator in, shows the role, keeps the token for the tab and logs out', async () => {
    const { el, fake } = await mountConsole();
    await expect(el).to.be.accessible();
    signIn(el, 'alice', 'alice-admin-pass');
    await waitForText(el, 'Signed in as alice');
    expect(textOf(el)).to.contain('Administrator');
    expect(textOf(el)).to.contain('Agent Accounts');
    await waitForText(accountsOf(el), 'Ada Agent');
    expect(sessionStorage.getItem('earshot-admin-session')).to.contain('token-alice');
    expect(fake.sent('/extensions', 'GET')[0]?.headers.get('authorization')).to.equal('Bearer token-alice');
    press(el, 'Log out');
    await waitForText(el, 'You are signed out.');
    expect(fake.sent('/sessions/current', 'DELETE')).to.have.length(1);
    expect(sessionStorage.getItem('earshot-admin-session')).to.equal(null);
  });

  it('says when the username or password is wrong, in plain words', async () => {
    const { el } = await mountConsole();
    signIn(el, 'alice', 'not-it');
    const login = $(el, 'earshot-admin-login');
    await waitForText(login, 'The username or password is not correct.');
    expect($(login, '[role=alert]').textContent).not.to.match(/401/);
    await expect(el).to.be.accessible();
  });

  it('passes on the throttle message after too many attempts', async () => {
    const { el } = await mountConsole();
    signIn(el, THROTTLED_USER, 'whatever-pass');
    await waitForText($(el, 'earshot-admin-login'), 'Too many attempts. Try again in 300 seconds.');
  });

  it('asks for both fields before sending anything', async () => {
    const { el, fake } = await mountConsole();
    signIn(el, '', '');
    await waitForText($(el, 'earshot-admin-login'), 'Enter your username and password.');
    expect(fake.sent('/sessions')).to.have.length(0);
  });

  it('restores the session of this tab, and returns to the login when the token is refused', async () => {
    const { fake } = await mountConsole('alice');
    expect(fake.sent('/me', 'GET')).to.have.length(1);
    sessionStorage.setItem(
      'earshot-admin-session',
      JSON.stringify({ token: 'token-expired', admin: { username: 'alice', role: 'admin' } }),
    );
    const stale = await fixture(
      html`<earshot-admin-console api-url=${API_TEST_URL}></earshot-admin-console>`,
    );
    await waitForText(stale, 'Your session has ended. Sign in again.');
    expect(stale.shadowRoot?.querySelector('earshot-admin-login')).to.exist;
    expect(sessionStorage.getItem('earshot-admin-session')).to.equal(null);
  });

  it('gives a viewer a read-only page: no create, edit, delete, toggle or password buttons', async () => {
    const { el } = await mountConsole('vic');
    const page = accountsOf(el);
    expect(textOf(el)).to.contain('Viewer (read-only)');
    for (const name of ['Create extension', 'Generate many', 'Import CSV', 'Edit', 'Delete']) {
      expect(buttons(page, name), name).to.have.length(0);
    }
    expect(page.shadowRoot?.querySelectorAll('[role=switch]')).to.have.length(0);
    expect(page.shadowRoot?.querySelector('[aria-label^="Show password"]')).to.equal(null);
    expect(page.shadowRoot?.querySelector('#export-secrets')).to.equal(null);
    expect(buttons(page, 'Export CSV')).to.have.length(1);
    expect(textOf(page)).to.contain('Disabled');
    await expect(el).to.be.accessible();
  });
});
