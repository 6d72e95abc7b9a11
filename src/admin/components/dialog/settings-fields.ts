// The settings form shared by the Create and Edit dialogs.
import { html } from 'lit';
import type { ExtensionSettings } from '../../api/types.ts';
import { formText, splitList } from '../../internal/format.ts';

/** Settings of a new extension before the administrator changes anything. */
export const DEFAULT_SETTINGS: ExtensionSettings = {
  name: '',
  enabled: true,
  manualDialing: false,
  callRecording: false,
  callLimit: 2,
  allowedIps: [],
  forwarding: null,
  dnd: false,
  did: null,
  callerId: null,
};

const FLAGS = [
  ['enabled', 'Enabled (may register and log in)'],
  ['manualDialing', 'Manual dialing'],
  ['callRecording', 'Call recording'],
  ['dnd', 'Do not disturb'],
] as const;

/**
 * Inputs for every setting, filled with `values`. Bindings set a field only when `values` change,
 * so typing survives re-renders; wrap in keyed() to start over.
 */
export function settingsFields(values: ExtensionSettings) {
  return html`<div>
      <label for="name">Name</label>
      <input id="name" name="name" required maxlength="128" .value=${values.name} />
    </div>
    <div class="grid">
      <div>
        <label for="callLimit">Call limit (concurrent calls)</label>
        <input
          id="callLimit"
          name="callLimit"
          type="number"
          min="1"
          max="100"
          required
          .value=${String(values.callLimit)}
        />
      </div>
      <div>
        <label for="forwarding">Forward to (extension or phone number)</label>
        <input
          id="forwarding"
          name="forwarding"
          inputmode="tel"
          aria-describedby="forwarding-hint"
          .value=${values.forwarding ?? ''}
        />
        <div id="forwarding-hint" class="hint">
          When unregistered, on do-not-disturb or unanswered. Empty: none.
        </div>
      </div>
    </div>
    <div class="grid">
      <div>
        <label for="did">Direct number (DID)</label>
        <input id="did" name="did" inputmode="tel" aria-describedby="did-hint" .value=${values.did ?? ''} />
        <div id="did-hint" class="hint">Calls to it from the phone network ring here. Empty: none.</div>
      </div>
      <div>
        <label for="callerId">Caller ID on outside calls</label>
        <input
          id="callerId"
          name="callerId"
          inputmode="tel"
          aria-describedby="callerId-hint"
          .value=${values.callerId ?? ''}
        />
        <div id="callerId-hint" class="hint">Empty: the direct number, else the system default.</div>
      </div>
    </div>
    <div>
      <label for="allowedIps">Allowed IP addresses</label>
      <textarea
        id="allowedIps"
        name="allowedIps"
        rows="2"
        aria-describedby="allowedIps-hint"
        .value=${values.allowedIps.join(', ')}
      ></textarea>
      <div id="allowedIps-hint" class="hint">
        CIDR ranges or addresses, separated by commas. Empty: any address.
      </div>
    </div>
    <fieldset class="grid">
      <legend>Options</legend>
      ${FLAGS.map(
        ([name, label]) =>
          html`<label class="check">
            <input type="checkbox" name=${name} .checked=${values[name]} />${label}
          </label>`,
      )}
    </fieldset>`;
}

/** The settings a form holds, or a plain sentence saying what is wrong. */
export function readSettings(form: HTMLFormElement): ExtensionSettings | string {
  const data = new FormData(form);
  const name = formText(data, 'name').trim();
  const callLimit = Number(formText(data, 'callLimit'));
  const forwarding = formText(data, 'forwarding').replace(/[\s().-]/g, '');
  if (!name) return 'Enter a name.';
  if (!Number.isInteger(callLimit) || callLimit < 1 || callLimit > 100)
    return 'The call limit is a whole number from 1 to 100.';
  if (forwarding && !/^\+?\d{2,32}$/.test(forwarding))
    return 'Forward to an extension or phone number: 2 to 32 digits, optionally starting with +.';
  // The service checks and stores the phone numbers (E.164) and says what is wrong with them.
  const phone = (field: string): string | null => formText(data, field).trim() || null;
  return {
    name,
    callLimit,
    forwarding: forwarding || null,
    allowedIps: splitList(formText(data, 'allowedIps')),
    enabled: data.has('enabled'),
    manualDialing: data.has('manualDialing'),
    callRecording: data.has('callRecording'),
    dnd: data.has('dnd'),
    did: phone('did'),
    callerId: phone('callerId'),
  };
}

/** Only the settings that differ from `before` (what a PATCH should carry). */
export function changedSettings(
  before: ExtensionSettings,
  after: ExtensionSettings,
): Partial<ExtensionSettings> {
  const changed = Object.entries(after).filter(
    ([key, value]) => JSON.stringify(before[key as keyof ExtensionSettings]) !== JSON.stringify(value),
  );
  return Object.fromEntries(changed);
}

/** The editable settings of a row. */
export function settingsOf(row: ExtensionSettings): ExtensionSettings {
  const {
    name,
    enabled,
    manualDialing,
    callRecording,
    callLimit,
    allowedIps,
    forwarding,
    dnd,
    did,
    callerId,
  } = row;
  return {
    name,
    enabled,
    manualDialing,
    callRecording,
    callLimit,
    allowedIps,
    forwarding,
    dnd,
    did,
    callerId,
  };
}
