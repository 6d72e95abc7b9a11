import { expect, waitUntil } from '@open-wc/testing';
import {
  $,
  accountsOf,
  announcement,
  buttons,
  dialogOf,
  mountConsole,
  press,
  stubClipboard,
  textOf,
  type,
  waitForText,
  waitOpen,
} from '../support/msw/admin-console.ts';

describe('admin console: create one extension', () => {
  it('creates with a generated password shown once, with Copy', async () => {
    const { el, fake } = await mountConsole('alice');
    const copied = stubClipboard();
    press(accountsOf(el), 'Create extension');
    const create = dialogOf(el, 'earshot-admin-create-dialog');
    await waitOpen(create);
    expect(create.shadowRoot?.activeElement?.id).to.equal('number');
    await expect(el).to.be.accessible();
    type(create, '#number', '2001');
    type(create, '#name', 'Nia New');
    type(create, '#allowedIps', '10.0.0.0/8, 192.0.2.1');
    ($(create, 'input[name=manualDialing]') as HTMLInputElement).checked = true;
    press(create, 'Create');
    await waitForText(create, 'gen-2001-Secret');
    const body = JSON.parse(fake.sent('/admin/extensions', 'POST')[0]?.body ?? '{}') as Record<
      string,
      unknown
    >;
    expect(body).to.include({ number: '2001', name: 'Nia New', manualDialing: true, callLimit: 2 });
    expect(body.allowedIps).to.deep.equal(['10.0.0.0/8', '192.0.2.1']);
    expect(body).not.to.have.property('password');
    expect(textOf(create)).to.contain('Shown only this once');
    await expect(el).to.be.accessible();
    press(create, 'Copy password');
    await waitUntil(() => copied[0] === 'gen-2001-Secret', 'not copied');
    press(create, 'Done');
    await waitUntil(() => announcement(el) === 'Extension 2001 created.', 'no announcement');
  });

  it('says why an extension cannot be created', async () => {
    const { el, fake } = await mountConsole('alice');
    press(accountsOf(el), 'Create extension');
    const create = dialogOf(el, 'earshot-admin-create-dialog');
    await waitOpen(create);
    type(create, '#number', '12');
    type(create, '#name', 'Short');
    press(create, 'Create');
    await waitForText(create, 'Extension numbers have 4 to 8 digits.');
    expect(fake.sent('/admin/extensions', 'POST')).to.have.length(0);
    type(create, '#number', '1001');
    press(create, 'Create');
    await waitForText(create, 'Extension 1001 already exists.');
    await expect(el).to.be.accessible();
  });
});

describe('admin console: bulk generate', () => {
  it('previews codes and names live, shows the codes taken and creates nothing until they are free', async () => {
    const { el, fake } = await mountConsole('alice');
    const copied = stubClipboard();
    press(accountsOf(el), 'Generate many');
    const bulk = dialogOf(el, 'earshot-admin-bulk-dialog');
    await waitOpen(bulk);
    type(bulk, '#count', '3');
    type(bulk, '#startCode', '1059');
    type(bulk, '#namePattern', 'Sales {code}');
    await waitForText(bulk, 'Already taken: 1059, 1060');
    expect(textOf(bulk)).to.contain('Sales 1061');
    expect(textOf(bulk)).to.contain('1059 (taken)');
    expect((buttons(bulk, 'Generate 3')[0] as HTMLButtonElement).disabled).to.equal(true);
    const previews = fake
      .sent('/extensions/bulk', 'POST')
      .map((r) => JSON.parse(r.body) as { dryRun: boolean });
    expect(previews.every((p) => p.dryRun)).to.equal(true);
    await expect(el).to.be.accessible();
    type(bulk, '#startCode', '3000');
    await waitForText(bulk, '3 extensions will be created.');
    press(bulk, 'Generate 3');
    await waitForText(bulk, 'bulk-3002');
    const apply = JSON.parse(fake.sent('/extensions/bulk', 'POST').at(-1)?.body ?? '{}') as Record<
      string,
      unknown
    >;
    expect(apply).to.deep.include({
      count: 3,
      startCode: '3000',
      namePattern: 'Sales {code}',
      usernamePattern: '{code}',
    });
    expect(apply).not.to.have.property('dryRun');
    expect(fake.find('3001').name).to.equal('Sales 3001');
    press(bulk, 'Copy all');
    await waitUntil(() => copied[0]?.includes('3000\tSales 3000\tbulk-3000'), 'not copied');
    await expect(el).to.be.accessible();
  });

  it('says why a plan is refused, in the words of the service', async () => {
    const { el } = await mountConsole('alice');
    press(accountsOf(el), 'Generate many');
    const bulk = dialogOf(el, 'earshot-admin-bulk-dialog');
    await waitOpen(bulk);
    await waitForText(bulk, '10 extensions will be created.');
    type(bulk, '#usernamePattern', 'agent-{code}');
    await waitForText(bulk, 'the username pattern must be exactly "{code}"');
    expect(textOf(bulk)).not.to.contain('will be created');
    expect((buttons(bulk, 'Generate')[0] as HTMLButtonElement).disabled).to.equal(true);
    await expect(el).to.be.accessible();
  });
});
