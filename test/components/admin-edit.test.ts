import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
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

/** The element focused inside `host`'s shadow root. */
const focusedIn = (host: Element) => host.shadowRoot?.activeElement;

describe('admin console: edit, conflicts and delete', () => {
  it('edits in a modal dialog, sends only the changes with If-Match, and gives focus back', async () => {
    const { el, fake } = await mountConsole('alice');
    const page = accountsOf(el);
    const editButton = buttons(page, 'Edit 1001')[0];
    editButton?.focus();
    editButton?.click();
    const edit = dialogOf(el, 'earshot-admin-edit-dialog');
    await waitOpen(edit);
    await waitUntil(() => focusedIn(edit)?.id === 'name', 'the first field is not focused');
    expect(($(edit, '#name') as HTMLInputElement).value).to.equal('Ada Agent');
    await expect(el).to.be.accessible();
    type(edit, '#name', 'Ada Lovelace');
    type(edit, '#callLimit', '4');
    press(edit, 'Save');
    await waitUntil(() => !($(edit, 'dialog') as HTMLDialogElement).open, 'the dialog stayed open');
    const [patch] = fake.sent('/extensions/1001', 'PATCH');
    expect(patch?.headers.get('if-match')).to.equal('"1"');
    expect(JSON.parse(patch?.body ?? '{}')).to.deep.equal({ name: 'Ada Lovelace', callLimit: 4 });
    await waitForText(page, 'Ada Lovelace');
    await waitUntil(() => announcement(el) === 'Extension 1001 saved.', 'no announcement');
    expect(focusedIn(page)).to.equal(editButton);
  });

  it('keeps Tab inside the dialog and Escape closes it', async () => {
    const { el } = await mountConsole('alice');
    const page = accountsOf(el);
    const editButton = buttons(page, 'Edit 1002')[0];
    editButton?.focus();
    editButton?.click();
    const edit = dialogOf(el, 'earshot-admin-edit-dialog');
    await waitOpen(edit);
    buttons(edit, 'Save')[0]?.focus();
    await sendKeys({ press: 'Tab' });
    expect(focusedIn(edit)?.id).to.equal('name');
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    expect(focusedIn(edit)?.textContent.trim()).to.equal('Save');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !($(edit, 'dialog') as HTMLDialogElement).open, 'Escape did not close');
    expect(focusedIn(page)).to.equal(editButton);
  });

  it('never overwrites a change someone else made meanwhile: it says so and offers to reload', async () => {
    const { el, fake } = await mountConsole('alice');
    const page = accountsOf(el);
    press(page, 'Edit 1001');
    const edit = dialogOf(el, 'earshot-admin-edit-dialog');
    await waitOpen(edit);
    fake.concurrentEdit = true;
    type(edit, '#callLimit', '7');
    press(edit, 'Save');
    await waitForText(edit, 'Someone else changed extension 1001 since you opened it');
    expect(fake.find('1001').callLimit).to.equal(2);
    expect(fake.find('1001').name).to.equal('Changed Elsewhere');
    expect((buttons(edit, 'Save')[0] as HTMLButtonElement).disabled).to.equal(true);
    // The saved values are shown next to what was typed, the differences marked.
    const cells = (setting: string) =>
      [...(edit.shadowRoot?.querySelectorAll('table.conflict tbody tr') ?? [])]
        .find((tr) => tr.querySelector('th')?.textContent.trim() === setting)
        ?.querySelectorAll('td');
    expect([...(cells('Name') ?? [])].map((td) => td.textContent.trim())).to.deep.equal([
      'Changed Elsewhere',
      'Ada Agent (differs)',
    ]);
    expect([...(cells('Call limit') ?? [])].map((td) => td.textContent.trim())).to.deep.equal([
      '2',
      '7 (differs)',
    ]);
    expect([...(cells('Manual dialing') ?? [])].map((td) => td.textContent.trim())).to.deep.equal([
      'On',
      'On',
    ]);
    expect(focusedIn(edit)?.textContent.trim()).to.equal('Reload');
    await expect(el).to.be.accessible();
    press(edit, 'Reload');
    await waitUntil(
      () => ($(edit, '#name') as HTMLInputElement).value === 'Changed Elsewhere',
      'not reloaded',
    );
    expect(($(edit, '#callLimit') as HTMLInputElement).value).to.equal('2');
    type(edit, '#callLimit', '7');
    press(edit, 'Save');
    await waitUntil(() => fake.find('1001').callLimit === 7, 'the second save did not go through');
    expect(fake.sent('/extensions/1001', 'PATCH').at(-1)?.headers.get('if-match')).to.equal('"2"');
    expect(fake.find('1001').name).to.equal('Changed Elsewhere');
  });

  it('says in plain words what is wrong with a setting, before and after sending', async () => {
    const { el, fake } = await mountConsole('alice');
    press(accountsOf(el), 'Edit 1001');
    const edit = dialogOf(el, 'earshot-admin-edit-dialog');
    await waitOpen(edit);
    type(edit, '#callLimit', '0');
    press(edit, 'Save');
    await waitForText(edit, 'The call limit is a whole number from 1 to 100.');
    expect(fake.sent('/extensions/1001', 'PATCH')).to.have.length(0);
    await expect(el).to.be.accessible();
    type(edit, '#callLimit', '3');
    type(edit, '#allowedIps', 'the office');
    press(edit, 'Save');
    await waitForText(edit, 'each entry is an IP address or CIDR range');
    expect($(edit, '[role=alert]').textContent).not.to.match(/400/);
    expect(($(edit, 'dialog') as HTMLDialogElement).open).to.equal(true);
    expect(fake.find('1001').callLimit).to.equal(2);
    await expect(el).to.be.accessible();
  });

  it('edits the direct number (DID) and caller ID; a DID that rings another extension is refused in words', async () => {
    const { el, fake } = await mountConsole('alice');
    press(accountsOf(el), 'Edit 1001');
    const edit = dialogOf(el, 'earshot-admin-edit-dialog');
    await waitOpen(edit);
    expect(($(edit, '#did') as HTMLInputElement).value).to.equal('');
    type(edit, '#did', '+1 (408) 555-0102');
    press(edit, 'Save');
    await waitForText(edit, 'The number +14085550102 already rings extension 1002.');
    expect(fake.find('1001').did).to.equal(null);
    await expect(el).to.be.accessible();
    type(edit, '#did', '+1 (408) 555-0101');
    type(edit, '#callerId', '+1 408 555 0100');
    press(edit, 'Save');
    await waitUntil(() => !($(edit, 'dialog') as HTMLDialogElement).open, 'the dialog stayed open');
    const patches = fake.sent('/extensions/1001', 'PATCH');
    expect(JSON.parse(patches.at(-1)?.body ?? '{}')).to.deep.equal({
      did: '+1 (408) 555-0101',
      callerId: '+1 408 555 0100',
    });
    expect(fake.find('1001').did).to.equal('+14085550101');
  });

  it('deletes nothing that someone else changed meanwhile', async () => {
    const { el, fake } = await mountConsole('alice');
    const page = accountsOf(el);
    fake.find('1002').etag = '"5"';
    press(page, 'Delete 1002');
    const confirm = dialogOf(el, 'earshot-admin-confirm');
    await waitOpen(confirm);
    press(confirm, 'Delete 1002');
    await waitUntil(
      () => announcement(el).startsWith('Someone else changed extension 1002'),
      'no conflict message',
    );
    expect(fake.find('1002').name).to.equal('Bob Builder');
    expect(textOf(page)).to.contain('Bob Builder');
  });

  it('deletes only after confirmation', async () => {
    const { el, fake } = await mountConsole('alice');
    const page = accountsOf(el);
    press(page, 'Delete 1002');
    const confirm = dialogOf(el, 'earshot-admin-confirm');
    await waitOpen(confirm);
    expect(textOf(confirm)).to.contain('Delete extension 1002?');
    expect(textOf(confirm)).to.contain('cannot be undone');
    await expect(el).to.be.accessible();
    expect(focusedIn(confirm)?.textContent.trim()).to.equal('Cancel');
    press(confirm, 'Cancel');
    await waitUntil(() => !($(confirm, 'dialog') as HTMLDialogElement).open, 'still open');
    expect(fake.sent('/extensions/1002', 'DELETE')).to.have.length(0);
    press(page, 'Delete 1002');
    await waitOpen(confirm);
    press(confirm, 'Delete 1002');
    await waitUntil(() => announcement(el) === 'Extension 1002 deleted.', 'no announcement');
    expect(fake.sent('/extensions/1002', 'DELETE')[0]?.headers.get('if-match')).to.equal('"1"');
    await waitUntil(() => !textOf(page).includes('Bob Builder'), 'still listed');
  });

  it('enables and disables with the switch', async () => {
    const { el, fake } = await mountConsole('alice');
    const page = accountsOf(el);
    press(page, 'Extension 1001 enabled');
    await waitUntil(() => announcement(el).startsWith('Extension 1001 disabled'), 'no announcement');
    expect(fake.sent('/extensions/1001/disable', 'POST')).to.have.length(1);
    await waitUntil(
      () => $(page, '[aria-label="Extension 1001 enabled"]').getAttribute('aria-checked') === 'false',
      'the switch did not follow',
    );
    press(page, 'Extension 1002 enabled');
    await waitUntil(() => fake.find('1002').enabled, '1002 not enabled');
    expect(fake.sent('/extensions/1002/enable', 'POST')).to.have.length(1);
  });
});

describe('admin console: devices a phone-server node could not sign out', () => {
  const WARNING =
    'The phone server (node kamailio-2) did not answer, so devices still signed in as extension 1001 could not be disconnected yet. Earshot keeps trying and disconnects them as soon as it answers again.';

  it('the switch says a disabled extension’s devices could not be signed out yet', async () => {
    const { el, fake } = await mountConsole('alice');
    fake.kickNode = 'kamailio-2';
    press(accountsOf(el), 'Extension 1001 enabled');
    await waitUntil(
      () => announcement(el) === `Extension 1001 disabled. ${WARNING}`,
      `no warning: ${announcement(el)}`,
    );
    await expect(el).to.be.accessible();
  });

  it('saving "Enabled" off in the edit dialog says so too', async () => {
    const { el, fake } = await mountConsole('alice');
    fake.kickNode = 'kamailio-2';
    press(accountsOf(el), 'Edit 1001');
    const edit = dialogOf(el, 'earshot-admin-edit-dialog');
    await waitOpen(edit);
    ($(edit, 'input[name=enabled]') as HTMLInputElement).click();
    press(edit, 'Save');
    await waitUntil(
      () => announcement(el) === `Extension 1001 saved. ${WARNING}`,
      `no warning: ${announcement(el)}`,
    );
    expect(JSON.parse(fake.sent('/extensions/1001', 'PATCH')[0]?.body ?? '{}')).to.deep.equal({
      enabled: false,
    });
  });

  it('a regenerated password says so too', async () => {
    const { el, fake } = await mountConsole('alice');
    fake.kickNode = 'kamailio-2';
    press(accountsOf(el), 'Regenerate password of 1001');
    const confirm = dialogOf(el, 'earshot-admin-confirm');
    await waitOpen(confirm);
    press(confirm, 'Regenerate password');
    await waitUntil(() => announcement(el).endsWith(WARNING), `no warning: ${announcement(el)}`);
  });

  it('a kick that reached every node needs no warning', async () => {
    const { el } = await mountConsole('alice');
    press(accountsOf(el), 'Extension 1001 enabled');
    await waitUntil(
      () => announcement(el) === 'Extension 1001 disabled: its devices are signed out.',
      `announced: ${announcement(el)}`,
    );
  });
});

describe('admin console: the password of an extension', () => {
  it('reveals, hides and copies the password', async () => {
    const { el, fake } = await mountConsole('alice');
    const page = accountsOf(el);
    const copied = stubClipboard();
    press(page, 'Show password of 1001');
    await waitForText(page, 'Reveal-1001-pw');
    expect($(page, '[aria-label="Hide password of 1001"]').getAttribute('aria-pressed')).to.equal('true');
    await expect(el).to.be.accessible();
    press(page, 'Hide password of 1001');
    await waitUntil(() => !textOf(page).includes('Reveal-1001-pw'), 'still shown');
    press(page, 'Copy password of 1002');
    await waitUntil(() => announcement(el) === 'Password of 1002 copied.', 'no copy announcement');
    expect(copied).to.deep.equal(['Reveal-1002-pw']);
    expect(fake.sent('/extensions/1002/secret/reveal', 'POST')).to.have.length(1);
  });

  it('regenerates after a reminder that devices must be updated', async () => {
    const { el, fake } = await mountConsole('alice');
    const page = accountsOf(el);
    press(page, 'Regenerate password of 1001');
    const confirm = dialogOf(el, 'earshot-admin-confirm');
    await waitOpen(confirm);
    expect(textOf(confirm)).to.contain('Desk phones and other devices');
    await expect(el).to.be.accessible();
    press(confirm, 'Regenerate password');
    await waitForText(page, 'Fresh-1001-pw');
    expect(fake.sent('/extensions/1001/secret/regenerate', 'POST')).to.have.length(1);
    await waitUntil(() => announcement(el).includes('must be updated with the new password'), 'no reminder');
  });
});
