// New passwords, shown once after create, bulk generate, import or regenerate.
import { html, nothing } from 'lit';
import type { Credential } from '../../api/types.ts';

/** The reminder that goes with every new or revealed password. */
export const DEVICE_REMINDER =
  'Desk phones and other devices that use this extension must be updated with the new password.';

/** Tab-separated lines (number, name, password) for the clipboard. */
export function credentialsText(credentials: Credential[]): string {
  return credentials.map((c) => [c.number, c.name ?? '', c.password].join('\t')).join('\n');
}

/** The passwords with a Copy button; one shown large, several in a table. */
export function credentialsView(credentials: Credential[], onCopy: () => void) {
  if (credentials.length === 0) return nothing;
  const [only] = credentials;
  const body =
    credentials.length === 1 && only
      ? html`<p>Password of ${only.number}: <span class="secret">${only.password}</span></p>`
      : html`<div class="scroll">
          <table>
            <caption class="visually-hidden">
              New passwords
            </caption>
            <thead>
              <tr>
                <th scope="col">Number</th>
                <th scope="col">Name</th>
                <th scope="col">Password</th>
              </tr>
            </thead>
            <tbody>
              ${credentials.map(
                (c) =>
                  html`<tr>
                    <td>${c.number}</td>
                    <td>${c.name ?? ''}</td>
                    <td class="secret">${c.password}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>`;
  return html`<section aria-label="New passwords">
    ${body}
    <p class="notice">Shown only this once: copy ${credentials.length === 1 ? 'it' : 'them'} now.</p>
    <button type="button" class="secondary" @click=${onCopy}>
      ${credentials.length === 1 ? 'Copy password' : 'Copy all'}
    </button>
  </section>`;
}
