import { expect, waitUntil } from '@open-wc/testing';
import type { EarshotSoftphone } from '../../src/components/softphone/softphone.ts';
import { useScenario } from '../support/msw/worker.ts';
import { inShadow, loggedInPhone, shadowText } from './helpers.ts';

function dialpad(phone: EarshotSoftphone) {
  const pad = phone.shadowRoot?.querySelector('earshot-dialpad');
  if (!pad) throw new Error('no dialpad');
  return pad;
}

function panel(phone: EarshotSoftphone) {
  return phone.shadowRoot?.querySelector('earshot-call-panel') ?? null;
}

async function dial(phone: EarshotSoftphone, number: string): Promise<void> {
  const pad = dialpad(phone);
  const input = inShadow(pad, '#number') as HTMLInputElement;
  input.value = number;
  input.dispatchEvent(new Event('input'));
  inShadow(pad, 'button[type=submit]').click();
  await phone.updateComplete;
}

function clickButton(host: Element, label: string): void {
  const button = [...(host.shadowRoot?.querySelectorAll('button') ?? [])].find(
    (b) => b.textContent.trim() === label,
  );
  if (!button) throw new Error(`no "${label}" button`);
  button.click();
}

describe('dialer visibility', () => {
  it('shows the dialpad when manual dialing is on', async () => {
    await useScenario('default');
    const phone = await loggedInPhone();
    expect(phone.shadowRoot?.querySelector('earshot-dialpad')).to.exist;
  });

  it('hides it, and says why, when manual dialing is off', async () => {
    await useScenario('no-manual-dialing');
    const phone = await loggedInPhone();
    expect(phone.shadowRoot?.querySelector('earshot-dialpad')).to.equal(null);
    expect(shadowText(phone)).to.contain('manual dialing is off');
    await expect(phone).to.be.accessible();
  });
});

describe('dialpad input', () => {
  it('normalises a pasted formatted number and refuses letters', async () => {
    await useScenario('default');
    const phone = await loggedInPhone();
    const pad = dialpad(phone);
    const input = inShadow(pad, '#number') as HTMLInputElement;
    const paste = new ClipboardEvent('paste', { clipboardData: new DataTransfer(), cancelable: true });
    paste.clipboardData?.setData('text', '+1 (555) 010-9999');
    input.dispatchEvent(paste);
    await pad.updateComplete;
    expect(input.value).to.equal('+15550109999');
    input.value = 'call me';
    input.dispatchEvent(new Event('input'));
    inShadow(pad, 'button[type=submit]').click();
    await pad.updateComplete;
    expect(shadowText(pad)).to.contain('may contain only digits');
  });

  it('builds a number from the keypad and deletes with backspace', async () => {
    await useScenario('default');
    const phone = await loggedInPhone();
    const pad = dialpad(phone);
    for (const key of ['1', '0', '0', '9']) inShadow(pad, `button[data-key="${key}"]`).click();
    inShadow(pad, 'button[aria-label="Delete last digit"]').click();
    await pad.updateComplete;
    expect((inShadow(pad, '#number') as HTMLInputElement).value).to.equal('100');
  });
});

describe('outgoing calls', () => {
  it('connects, mutes, holds and hangs up, recording the call in the history', async () => {
    await useScenario('default');
    const phone = await loggedInPhone();
    await dial(phone, '1002');
    await waitUntil(() => shadowText(panel(phone)).includes('0:0'), 'call never became active', {
      timeout: 8000,
    });
    const callPanel = panel(phone);
    if (!callPanel) throw new Error('no call panel');
    expect(shadowText(callPanel)).to.contain('● Recording');
    await expect(callPanel).to.be.accessible();
    clickButton(callPanel, 'Mute');
    await waitUntil(() => shadowText(panel(phone)).includes('Unmute'), 'mute not shown');
    clickButton(callPanel, 'Hold');
    await waitUntil(() => shadowText(panel(phone)).includes('On hold'), 'hold not shown', { timeout: 5000 });
    clickButton(callPanel, 'Hang up');
    await waitUntil(() => !panel(phone), 'panel stayed after hang-up', { timeout: 5000 });
    const history = await phone.phone.storage.calls();
    expect(history[0]?.number).to.equal('1002');
    expect(history[0]?.outcome).to.equal('completed');
  });

  it('says the number is busy in plain language', async () => {
    await useScenario('busy-callee');
    const phone = await loggedInPhone();
    await dial(phone, '1002');
    await waitUntil(() => shadowText(phone).includes('The number is busy.'), 'no busy message', {
      timeout: 5000,
    });
    expect(shadowText(phone)).not.to.contain('486');
  });

  it("shows Kamailio's refusal when dialing is not allowed", async () => {
    await useScenario('dialing-refused');
    const phone = await loggedInPhone();
    await dial(phone, '1002');
    await waitUntil(() => shadowText(phone).includes('not allowed to place calls'), 'no refusal message', {
      timeout: 5000,
    });
  });

  it('says outside calls are not set up when there is no trunk, not that the number does not exist', async () => {
    await useScenario('no-trunk');
    const phone = await loggedInPhone();
    await dial(phone, '+1 (555) 010-9999');
    await waitUntil(
      () => shadowText(phone).includes('Outside calls are not set up on this system.'),
      'no plain refusal',
      { timeout: 5000 },
    );
    expect(shadowText(phone)).not.to.contain('does not exist');
    expect(shadowText(phone)).not.to.contain('503');
    await expect(phone).to.be.accessible();
  });
});
