import { expect, waitUntil } from '@open-wc/testing';
import {
  $,
  accountsOf,
  mountConsole,
  press,
  textOf,
  type,
  waitForText,
} from '../support/msw/admin-console.ts';
import type { FakeAdminServer } from '../support/msw/admin-server.ts';

const listRequests = (fake: FakeAdminServer) =>
  fake.sent('/admin/extensions', 'GET').map((r) => r.url.searchParams);
const lastList = (fake: FakeAdminServer) => listRequests(fake).at(-1);

describe('admin console: agent accounts list', () => {
  it('shows every field of an extension', async () => {
    const { el, fake } = await mountConsole('alice');
    const page = accountsOf(el);
    const ada = fake.find('1001');
    const adaRow = [...(page.shadowRoot?.querySelectorAll('tbody tr') ?? [])].find((tr) =>
      tr.textContent.includes('Ada Agent'),
    );
    const text = (adaRow?.textContent ?? '').replace(/\s+/g, ' ');
    for (const expected of [
      '1001',
      'Ada Agent',
      '••••••••',
      'Registered',
      new Date(ada.registration.registeredAt ?? '').toLocaleString(),
      'kamailio-1',
      '192.0.2.10',
      'WSS',
      'Earshot/0.1 (JsSIP)',
      new Date(ada.createdAt).toLocaleString(),
    ]) {
      expect(text).to.contain(expected);
    }
    expect(text.match(/\bOn\b/g)).to.have.length(2); // manual dialing and call recording
    expect(adaRow?.querySelector('[role=switch]')?.getAttribute('aria-checked')).to.equal('true');
    expect(textOf(page)).to.contain('Not registered');
    const bobSwitch = page.shadowRoot?.querySelector('[aria-label="Extension 1002 enabled"]');
    expect(bobSwitch?.getAttribute('aria-checked')).to.equal('false');
    for (const column of [
      'Number',
      'Name',
      'Password',
      'Status',
      'Manual dialing',
      'Call recording',
      'Registration',
      'Registered since',
      'Node',
      'Client IP',
      'Transport',
      'Client name',
      'Created',
    ]) {
      expect(textOf(page)).to.contain(column);
    }
    await expect(el).to.be.accessible();
  });

  it('searches once the administrator stops typing', async () => {
    const { el, fake } = await mountConsole('alice');
    const page = accountsOf(el);
    const before = listRequests(fake).length;
    for (const text of ['a', 'ad', 'ada']) type(page, '#search', text);
    await waitUntil(() => listRequests(fake).length > before, 'no search request');
    await waitForText(page, 'Showing 1–1 of 1');
    expect(
      listRequests(fake)
        .slice(before)
        .map((p) => p.get('q')),
    ).to.deep.equal(['ada']);
    expect(textOf(page)).to.contain('Ada Agent');
    expect(textOf(page)).not.to.contain('Bob Builder');
  });

  it('filters by status, registration, manual dialing and recording on the server', async () => {
    const { el, fake } = await mountConsole('alice');
    const page = accountsOf(el);
    type(page, '#filter-enabled', 'false');
    await waitForText(page, 'Showing 1–1 of 1');
    expect(lastList(fake)?.get('enabled')).to.equal('false');
    expect(textOf(page)).to.contain('Bob Builder');
    type(page, '#filter-enabled', '');
    type(page, '#filter-registered', 'true');
    type(page, '#filter-manualDialing', 'true');
    type(page, '#filter-callRecording', 'true');
    await waitUntil(() => lastList(fake)?.get('callRecording') === 'true', 'no recording filter');
    const params = lastList(fake);
    expect(params?.has('enabled')).to.equal(false);
    expect(params?.get('registered')).to.equal('true');
    expect(params?.get('manualDialing')).to.equal('true');
    await waitForText(page, 'Showing 1–1 of 1');
    expect(textOf(page)).to.contain('Ada Agent');
  });

  it('sorts by a column header and says so with aria-sort', async () => {
    const { el, fake } = await mountConsole('alice');
    const page = accountsOf(el);
    const th = (label: string) =>
      [...(page.shadowRoot?.querySelectorAll('th[aria-sort]') ?? [])].find((h) =>
        h.textContent.includes(label),
      );
    expect(th('Number')?.getAttribute('aria-sort')).to.equal('ascending');
    expect(th('Name')?.getAttribute('aria-sort')).to.equal('none');
    th('Name')?.querySelector('button')?.click();
    await waitUntil(() => lastList(fake)?.get('sort') === 'name', 'no sort request');
    expect(lastList(fake)?.get('order')).to.equal('asc');
    await waitUntil(() => th('Name')?.getAttribute('aria-sort') === 'ascending', 'aria-sort not set');
    expect(th('Number')?.getAttribute('aria-sort')).to.equal('none');
    th('Name')?.querySelector('button')?.click();
    await waitUntil(() => lastList(fake)?.get('order') === 'desc', 'no descending request');
    await waitUntil(() => th('Name')?.getAttribute('aria-sort') === 'descending', 'not descending');
    th('Created')?.querySelector('button')?.click();
    await waitUntil(() => lastList(fake)?.get('sort') === 'createdAt', 'no createdAt sort');
    th('Registered since')?.querySelector('button')?.click();
    await waitUntil(() => lastList(fake)?.get('sort') === 'registeredAt', 'no registeredAt sort');
  });

  it('pages on the server', async () => {
    const { el, fake } = await mountConsole('alice');
    const page = accountsOf(el);
    expect(lastList(fake)?.get('page')).to.equal('1');
    expect(lastList(fake)?.get('pageSize')).to.equal('50');
    await waitForText(page, 'Showing 1–50 of 60');
    expect(textOf(page)).to.contain('Page 1 of 2');
    // While page 2 loads, the summary still describes the rows on screen (page 1).
    let release = (): void => undefined;
    fake.listHeld = new Promise((resolve) => (release = resolve));
    press(page, 'Next');
    await waitUntil(() => lastList(fake)?.get('page') === '2', 'no page 2 request');
    expect(textOf(page)).to.contain('Showing 1–50 of 60');
    expect(textOf(page)).to.contain('Ada Agent');
    release();
    await waitForText(page, 'Showing 51–60 of 60');
    expect(textOf(page)).to.contain('Agent 1060');
    expect(textOf(page)).not.to.contain('Ada Agent');
    expect(($(page, 'nav.pager button:last-of-type') as HTMLButtonElement).disabled).to.equal(true);
    type(page, '#page-size', '25');
    await waitForText(page, 'Showing 1–25 of 60');
    expect(lastList(fake)?.get('pageSize')).to.equal('25');
    expect(lastList(fake)?.get('page')).to.equal('1');
    await expect(el).to.be.accessible();
  });

  it('says when a phone-server node did not answer, so "Not registered" may be wrong', async () => {
    const { el, fake } = await mountConsole('alice');
    const page = accountsOf(el);
    expect(textOf(page)).not.to.contain('did not answer');
    fake.unavailableNodes = ['kamailio-2'];
    type(page, '#search', '10');
    await waitForText(page, 'The phone server (node kamailio-2) did not answer');
    await expect(el).to.be.accessible();
  });

  it('shows the registration as Unknown, never "Not registered", while a node does not answer', async () => {
    const { el, fake } = await mountConsole('alice');
    const page = accountsOf(el);
    const rowText = (number: string) =>
      (
        [...(page.shadowRoot?.querySelectorAll('tbody tr') ?? [])].find(
          (tr) => tr.querySelector('th')?.textContent.trim() === number,
        )?.textContent ?? ''
      ).replace(/\s+/g, ' ');
    expect(rowText('1003')).to.contain('Not registered');
    fake.silence('kamailio-2');
    type(page, '#search', '100');
    await waitForText(page, 'registrations it may hold show as Unknown');
    expect(rowText('1003')).to.contain('Unknown');
    expect(rowText('1003')).not.to.contain('Not registered');
    expect(rowText('1001')).to.contain('Registered');
    expect(page.shadowRoot?.querySelector('tbody')?.textContent).not.to.contain('Not registered');
    await expect(el).to.be.accessible();
    // Filtering by registration cannot be answered now: the page says why, in plain words.
    type(page, '#filter-registered', 'false');
    await waitForText(page, 'which extensions are registered cannot be told right now');
    expect($(page, '[role=alert]').textContent).not.to.match(/503/);
  });

  it('says when nothing matches, and when the list cannot be loaded', async () => {
    const { el, fake } = await mountConsole('alice');
    const page = accountsOf(el);
    type(page, '#search', 'nobody-here');
    await waitForText(page, 'No extension matches.');
    expect(textOf(page)).to.contain('Showing 0–0 of 0');
    await expect(el).to.be.accessible();
    fake.listFailure = 'The phone server did not answer. Try again in a moment.';
    type(page, '#search', '');
    await waitForText(page, 'The phone server did not answer. Try again in a moment.');
    expect($(page, '[role=alert]').textContent).not.to.match(/503/);
    await expect(el).to.be.accessible();
  });
});
