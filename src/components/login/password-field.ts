// The password field with its Show/Hide button, shared by the agent's and the administrator's login.
import { css, html } from 'lit';

/** The form layout, the password row and the alert box of a login form. */
export const loginFormStyles = css`
  form {
    display: grid;
    gap: 0.9rem;
    max-inline-size: 22rem;
  }
  .password {
    display: flex;
    gap: 0.4rem;
  }
  .password input {
    flex: 1;
  }
  [role='alert'] {
    border-inline-start: 4px solid var(--_danger);
    padding: 0.5rem 0.75rem;
    background: var(--_alert-bg);
  }
`;

/** A labelled `#password` input (name `password`) that `onToggle` shows as text when `visible`. */
export function passwordField(visible: boolean, onToggle: () => void) {
  return html`<div>
    <label for="password">Password</label>
    <div class="password">
      <input
        id="password"
        name="password"
        type=${visible ? 'text' : 'password'}
        autocomplete="current-password"
        required
      />
      <button
        type="button"
        class="secondary"
        aria-pressed=${visible ? 'true' : 'false'}
        aria-controls="password"
        @click=${onToggle}
      >
        ${visible ? 'Hide' : 'Show'}<span class="visually-hidden"> password</span>
      </button>
    </div>
  </div>`;
}
