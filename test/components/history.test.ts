import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/components/call-history/call-history.ts';
import type { EarshotCallHistory } from '../../src/components/call-history/call-history.ts';
import type { EarshotDialEvent } from '../../src/events/dial.ts';
import { HISTORY_LIMIT, StorageService } from '../../src/services/storage/storage-service.ts';
import type { CallRecord } from '../../src/services/storage/schema.ts';

const record = (i: number, patch: Partial<CallRecord> = {}): CallRecord => ({
  id: `call-${i}`,
  direction: 'outgoing',
  number: `55500${String(i).padStart(2, '0')}`,
  name: null,
  startedAt: Date.UTC(2026, 10, 23, 9, 0, i),
  durationSeconds: 65,
  outcome: 'completed',
  ...patch,
});

describe('call history view', () => {
  it('lists calls newest first with outcome and duration, and redials on click', async () => {
    const el = await fixture<EarshotCallHistory>(
      html`<earshot-call-history
        can-dial
        .records=${[record(2), record(1, { outcome: 'missed', direction: 'incoming' })]}
      ></earshot-call-history>`,
    );
    const text = el.shadowRoot?.textContent.replace(/\s+/g, ' ') ?? '';
    expect(text).to.contain('5550002');
    expect(text).to.contain('1:05');
    expect(text).to.contain('Missed');
    await expect(el).to.be.accessible();
    const dial = oneEvent<EarshotDialEvent>(el, 'earshot-dial');
    el.shadowRoot?.querySelector<HTMLButtonElement>('button[aria-label="Call 5550002"]')?.click();
    expect((await dial).number).to.equal('5550002');
  });

  it('offers no redial when manual dialing is off', async () => {
    const el = await fixture<EarshotCallHistory>(
      html`<earshot-call-history .records=${[record(1)]}></earshot-call-history>`,
    );
    expect(el.shadowRoot?.querySelector('button[aria-label^="Call"]')).to.equal(null);
  });
});

describe('call history storage', () => {
  it('keeps the newest calls up to the cap, survives reopening, and clears', async () => {
    const name = `earshot-history-test-${Date.now()}`;
    const storage = new StorageService(name);
    for (let i = 0; i < HISTORY_LIMIT + 5; i += 1) await storage.addCall(record(i));
    await storage.close();
    const reopened = new StorageService(name);
    const calls = await reopened.calls();
    expect(calls.length).to.equal(HISTORY_LIMIT);
    expect(calls[0]?.id).to.equal(`call-${HISTORY_LIMIT + 4}`);
    expect(calls.at(-1)?.id).to.equal('call-5');
    const prefs = await reopened.preferences();
    expect(prefs).not.to.have.property('password');
    await reopened.clearCalls();
    expect(await reopened.calls()).to.deep.equal([]);
    await reopened.close();
  });
});
