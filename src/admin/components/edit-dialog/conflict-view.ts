// What the Edit dialog shows after a 412: the extension as it is saved now, next to what the
// administrator typed, so nothing is overwritten without them seeing it.
import { html, nothing } from 'lit';
import type { AdminExtension, ExtensionSettings } from '../../api/types.ts';
import { settingsOf } from '../dialog/settings-fields.ts';

const LABELS: Record<keyof ExtensionSettings, string> = {
  name: 'Name',
  enabled: 'Status',
  manualDialing: 'Manual dialing',
  callRecording: 'Call recording',
  callLimit: 'Call limit',
  allowedIps: 'Allowed IP addresses',
  forwarding: 'Forward to',
  dnd: 'Do not disturb',
  did: 'Direct number (DID)',
  callerId: 'Caller ID',
};

/** A setting in words, as the table shows it. */
export function settingText(key: keyof ExtensionSettings, value: ExtensionSettings[typeof key]): string {
  if (key === 'enabled') return value ? 'Enabled' : 'Disabled';
  if (typeof value === 'boolean') return value ? 'On' : 'Off';
  if (Array.isArray(value)) return value.length ? value.join(', ') : 'Any address';
  if (value === null || value === '') return 'None';
  return String(value);
}

/** The saved values of `current`, with the administrator's own where they differ. */
export function conflictView(current: AdminExtension, yours: ExtensionSettings | null) {
  const saved = settingsOf(current);
  const keys = Object.keys(LABELS) as (keyof ExtensionSettings)[];
  return html`<table class="conflict">
    <caption>
      Extension ${current.number} as it is saved now
    </caption>
    <thead>
      <tr>
        <th scope="col">Setting</th>
        <th scope="col">Saved now</th>
        ${yours ? html`<th scope="col">You entered</th>` : nothing}
      </tr>
    </thead>
    <tbody>
      ${keys.map((key) => {
        const now = settingText(key, saved[key]);
        const typed = yours ? settingText(key, yours[key]) : now;
        return html`<tr class=${typed === now ? '' : 'differs'}>
          <th scope="row">${LABELS[key]}</th>
          <td>${now}</td>
          ${yours ? html`<td>${typed}${typed === now ? '' : ' (differs)'}</td>` : nothing}
        </tr>`;
      })}
    </tbody>
  </table>`;
}
