import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { EarshotCallEndedEvent } from '../../src/events/call-ended.ts';
import { waitForResponse } from '../support/msw/incoming-call.ts';
import { ringRegisteredSoftphone } from '../support/msw/sip-server.ts';
import { useScenario } from '../support/msw/worker.ts';
import { loggedInPhone, shadowText } from './helpers.ts';

function button(host: Element | null | undefined, label: string): HTMLButtonElement {
  const found = [...(host?.shadowRoot?.querySelectorAll('button') ?? [])].find(
    (b) => b.textContent.trim() === label,
  );
  if (!found) throw new Error(`no "${label}" button`);
  return found;
}

describe('incoming calls', () => {
  it('rings with caller display, answers, then hangs up', async () => {
    await useScenario('no-manual-dialing');
    const phone = await loggedInPhone();
    await ringRegisteredSoftphone('5551234', 'Grace Customer');
    await waitUntil(() => phone.shadowRoot?.querySelector('earshot-call-panel'), 'never rang', {
      timeout: 5000,
    });
    const panel = phone.shadowRoot?.querySelector('earshot-call-panel');
    expect(shadowText(panel)).to.contain('Grace Customer');
    expect(shadowText(panel)).to.contain('5551234');
    expect(shadowText(panel)).to.contain('Incoming call');
    await expect(panel).to.be.accessible();
    button(panel, 'Answer').click();
    await waitUntil(() => shadowText(panel).includes('Hang up'), 'never answered', { timeout: 5000 });
    const ended = oneEvent<EarshotCallEndedEvent>(phone, 'earshot-call-ended');
    button(panel, 'Hang up').click();
    const { detail } = await ended;
    expect(detail.outcome).to.equal('completed');
    expect(detail.direction).to.equal('incoming');
  });

  it('records a declined call', async () => {
    await useScenario('default');
    const phone = await loggedInPhone();
    await ringRegisteredSoftphone('5559876', 'Alan Caller');
    await waitUntil(() => phone.shadowRoot?.querySelector('earshot-call-panel'), 'never rang', {
      timeout: 5000,
    });
    const ended = oneEvent<EarshotCallEndedEvent>(phone, 'earshot-call-ended');
    button(phone.shadowRoot?.querySelector('earshot-call-panel'), 'Decline').click();
    expect((await ended).detail.outcome).to.equal('rejected');
    const history = await phone.phone.storage.calls();
    expect(history[0]?.number).to.equal('5559876');
  });
});

describe('a second incoming call while busy', () => {
  it('gets busy instead of interrupting the call in progress', async () => {
    await useScenario('default');
    const phone = await loggedInPhone();
    await ringRegisteredSoftphone('5551111', 'First Caller');
    await waitUntil(() => phone.shadowRoot?.querySelector('earshot-call-panel'), 'never rang', {
      timeout: 5000,
    });
    button(phone.shadowRoot?.querySelector('earshot-call-panel'), 'Answer').click();
    await waitUntil(
      () => shadowText(phone.shadowRoot?.querySelector('earshot-call-panel')).includes('Hang up'),
      'not answered',
      { timeout: 5000 },
    );
    const busy = waitForResponse(486);
    await ringRegisteredSoftphone('5552222', 'Second Caller');
    expect(await busy).to.contain('486 Busy Here');
    expect(phone.phone.sip?.calls.length).to.equal(1);
    expect(shadowText(phone.shadowRoot?.querySelector('earshot-call-panel'))).not.to.contain('Second Caller');
  });
});
