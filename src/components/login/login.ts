import { element } from '../../internal/define.ts';
import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { EarshotLoginEvent } from '../../events/login.ts';
import { isExtension } from '../../internal/phone-number.ts';
import { RegistrationStatus, type RegistrationState } from '../../services/sip/registration-state.ts';
import { baseStyles } from '../styles/base.styles.ts';
import { loginStyles } from './login.styles.ts';
import { passwordField } from './password-field.ts';

const formText = (data: FormData, name: string): string => {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
};

/**
 * @summary The agent's login form: extension number and password.
 * @fires earshot-login - The agent submitted valid-looking credentials.
 * @csspart base - The form.
 */
@element('earshot-login')
export class EarshotLogin extends LitElement {
  static override styles = [baseStyles, loginStyles];

  /** The registration state to reflect (connecting, failure message, retry countdown). */
  @property({ attribute: false }) registration: RegistrationState | undefined;

  /** Pre-filled extension number (remembered per browser). */
  @property() extension = '';

  @state() private passwordVisible = false;
  @state() private extensionError = '';
  @state() private now = Date.now();

  #ticker: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#ticker = setInterval(() => {
      if (this.registration?.retryAt) this.now = Date.now();
    }, 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#ticker);
  }

  private handleSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const extension = formText(data, 'extension').trim();
    const password = formText(data, 'password');
    if (!isExtension(extension)) {
      this.extensionError = 'Extension numbers have 4 to 8 digits.';
      return;
    }
    this.extensionError = '';
    this.extension = extension;
    this.dispatchEvent(new EarshotLoginEvent(extension, password));
  }

  private handleToggleClick(): void {
    this.passwordVisible = !this.passwordVisible;
  }

  private get busy(): boolean {
    return this.registration?.status === RegistrationStatus.Connecting;
  }

  private renderProblem() {
    const r = this.registration;
    if (
      !r?.message ||
      (r.status !== RegistrationStatus.Failed && r.status !== RegistrationStatus.RetryScheduled)
    ) {
      return nothing;
    }
    const seconds = r.retryAt ? Math.max(0, Math.ceil((r.retryAt - this.now) / 1000)) : null;
    return html`<div role="alert" data-reason=${r.reason ?? ''}>
      <p>${r.message}</p>
      ${seconds === null ? nothing : html`<p class="retry">Trying again in ${seconds} s.</p>`}
    </div>`;
  }

  override render() {
    const busy = this.busy;
    return html`<form
      part="base"
      @submit=${this.handleSubmit}
      novalidate
      aria-busy=${busy ? 'true' : 'false'}
    >
      <div>
        <label for="extension">Extension</label>
        <input
          id="extension"
          name="extension"
          .value=${this.extension}
          inputmode="numeric"
          autocomplete="username"
          maxlength="8"
          required
          aria-invalid=${this.extensionError ? 'true' : 'false'}
          aria-describedby="extension-error"
        />
        <div id="extension-error" class="error">${this.extensionError}</div>
      </div>
      ${passwordField(this.passwordVisible, () => this.handleToggleClick())} ${this.renderProblem()}
      <button type="submit" ?disabled=${busy}>${busy ? 'Connecting…' : 'Log in'}</button>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'earshot-login': EarshotLogin;
  }
}
