import { expect, waitUntil } from '@open-wc/testing';
import { AdminApi } from '../../src/admin/api/admin-api.ts';
import {
  $,
  accountsOf,
  announcement,
  buttons,
  dialogOf,
  mountConsole,
  press,
  textOf,
  waitForText,
  waitOpen,
} from '../support/msw/admin-console.ts';
import { API_TEST_URL } from '../support/msw/scenarios.ts';

function chooseFile(host: Element, content: string, name = 'agents.csv'): void {
  const input = $(host, '#file') as HTMLInputElement;
  const transfer = new DataTransfer();
  transfer.items.add(new File([content], name, { type: 'text/csv' }));
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('admin console: CSV', () => {
  it('reports every bad row of a dry run with its line and column, and imports nothing', async () => {
    const { el, fake } = await mountConsole('alice');
    press(accountsOf(el), 'Import CSV');
    const dialog = dialogOf(el, 'earshot-admin-import-dialog');
    await waitOpen(dialog);
    await expect(el).to.be.accessible();
    const seen: string[] = [];
    const watch = new MutationObserver(() => {
      const bar = dialog.shadowRoot?.querySelector('progress');
      if (bar) seen.push(bar.getAttribute('value') ?? '');
    });
    watch.observe(dialog.shadowRoot as ShadowRoot, { subtree: true, childList: true, attributes: true });
    chooseFile(dialog, 'number,name\n4001,Ok Row\nabc,Bad Code\n1001,Taken\n4002\n');
    await waitForText(dialog, '3 problems found in agents.csv');
    watch.disconnect();
    expect(seen.length, 'the progress bar never showed').to.be.greaterThan(0);
    const rows = [...(dialog.shadowRoot?.querySelectorAll('tbody tr') ?? [])].map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => td.textContent.trim()),
    );
    expect(rows).to.deep.equal([
      ['3', 'number', '"abc" is not a 4 to 8 digit number.'],
      ['4', 'number', 'Extension 1001 already exists.'],
      ['5', '—', 'The row has 1 field; it needs at least number and name.'],
    ]);
    expect((buttons(dialog, 'Import')[0] as HTMLButtonElement).disabled).to.equal(true);
    expect(fake.sent('/extensions/import').map((r) => r.url.searchParams.get('dryRun'))).to.deep.equal([
      'true',
    ]);
    expect(fake.sent('/extensions/import')[0]?.headers.get('content-type')).to.equal('text/csv');
    await expect(el).to.be.accessible();
  });

  it('lists the first 100 problems and says how many more there are', async () => {
    const { el } = await mountConsole('alice');
    press(accountsOf(el), 'Import CSV');
    const dialog = dialogOf(el, 'earshot-admin-import-dialog');
    await waitOpen(dialog);
    const bad = Array.from({ length: 250 }, (_, i) => `x${String(i)},Bad Code`).join('\n');
    chooseFile(dialog, `number,name\n${bad}\n`, 'big.csv');
    await waitForText(dialog, '250 problems found in big.csv');
    expect(dialog.shadowRoot?.querySelectorAll('tbody tr').length).to.equal(100);
    await waitForText(dialog, '…and 150 more problems not listed. Fix these and check the file again.');
    expect((buttons(dialog, 'Import')[0] as HTMLButtonElement).disabled).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('a file with problems in fewer than the listed rows says nothing more', async () => {
    const { el } = await mountConsole('alice');
    press(accountsOf(el), 'Import CSV');
    const dialog = dialogOf(el, 'earshot-admin-import-dialog');
    await waitOpen(dialog);
    chooseFile(dialog, 'number,name\nabc,Bad\n');
    await waitForText(dialog, '1 problem found in agents.csv');
    expect(textOf(dialog)).not.to.include('more problem');
  });

  it('imports a clean file after the dry run and shows the generated passwords', async () => {
    const { el, fake } = await mountConsole('alice');
    press(accountsOf(el), 'Import CSV');
    const dialog = dialogOf(el, 'earshot-admin-import-dialog');
    await waitOpen(dialog);
    chooseFile(dialog, 'number,name\n4001,Olga\n4002,Pia\n');
    await waitForText(dialog, '2 rows checked: no problems found.');
    press(dialog, 'Import 2 extensions');
    await waitForText(dialog, 'csv-4002');
    expect(fake.sent('/extensions/import').map((r) => r.url.searchParams.get('dryRun'))).to.deep.equal([
      'true',
      'false',
    ]);
    expect(fake.find('4001').name).to.equal('Olga');
    await waitUntil(() => announcement(el) === '2 extensions imported.', 'no announcement');
    await expect(el).to.be.accessible();
  });

  it('reports upload progress from XMLHttpRequest, ending at 100 %', async () => {
    await mountConsole('alice');
    sessionStorage.setItem(
      'earshot-admin-session',
      JSON.stringify({ token: 'token-alice', admin: { username: 'alice', role: 'admin' } }),
    );
    const api = new AdminApi(API_TEST_URL);
    const rows = Array.from({ length: 20_000 }, (_, i) => `${50000 + i},Agent ${i}`).join('\n');
    const fractions: number[] = [];
    const check = await api.checkCsv(new Blob([`number,name\n${rows}\n`]), (f) => fractions.push(f));
    expect(check.rows).to.equal(20_000);
    expect(fractions.at(-1)).to.equal(1);
    expect(fractions.every((f, i) => i === 0 || f >= (fractions[i - 1] ?? 0))).to.equal(true);
  });

  it('exports CSV with the token, and with passwords only when asked', async () => {
    const { el, fake } = await mountConsole('alice');
    const page = accountsOf(el);
    press(page, 'Export CSV');
    await waitUntil(() => announcement(el) === 'Exported extensions.csv.', 'no export');
    ($(page, '#export-secrets') as HTMLInputElement).checked = true;
    press(page, 'Export CSV');
    await waitUntil(() => announcement(el) === 'Exported extensions.csv with passwords.', 'no export');
    const sent = fake.sent('/extensions.csv', 'GET');
    expect(sent.map((r) => r.url.search)).to.deep.equal(['', '?secrets=true']);
    expect(sent[0]?.headers.get('authorization')).to.equal('Bearer token-alice');
  });
});
