import { consume } from '@lit/context';
import { LitElement, html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { passwordField } from '../../../components/login/password-field.ts';
import { baseStyles } from '../../../components/styles/base.styles.ts';
import { element } from '../../../internal/define.ts';
import { ApiError } from '../../../services/account-api/account-api.ts';
import type { AdminApi } from '../../api/admin-api.ts';
import { adminApiContext, requireApi } from '../../contexts.ts';
import { EarshotAdminSignedInEvent } from '../../events/signed-in.ts';
import { formText, messageOf } from '../../internal/format.ts';
import { adminLoginStyles } from './login.styles.ts';

/**
 * @summary The administrator's login form (username and password).
 * @fires earshot-admin-signed-in - The administrator signed in.
 * @csspart base - The form.
 */
@element('earshot-admin-login')
export class EarshotAdminLogin extends LitElement {
  static override styles = [baseStyles, adminLoginStyles];

  @consume({ context: adminApiContext, subscribe: true }) private api?: AdminApi;

  @state() private busy = false;
  @state() private error = '';
  @state() private passwordVisible = false;

  private readonly handleSubmit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const username = formText(data, 'username').trim();
    const password = formText(data, 'password');
    if (!username || !password) {
      this.error = 'Enter your username and password.';
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      const admin = await requireApi(this.api).login(username, password);
      this.dispatchEvent(new EarshotAdminSignedInEvent(admin));
    } catch (error) {
      this.error = this.#explain(error);
    } finally {
      this.busy = false;
    }
  };

  #explain(error: unknown): string {
    if (error instanceof ApiError && error.status === 401) return 'The username or password is not correct.';
    return messageOf(error, 'Signing in failed. Try again.');
  }

  override render() {
    return html`<form
      part="base"
      novalidate
      aria-busy=${this.busy ? 'true' : 'false'}
      @submit=${this.handleSubmit}
    >
      <h2>Administrator login</h2>
      <div>
        <label for="username">Username</label>
        <input id="username" name="username" autocomplete="username" required />
      </div>
      ${passwordField(this.passwordVisible, () => (this.passwordVisible = !this.passwordVisible))}
      ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
      <button type="submit" ?disabled=${this.busy}>${this.busy ? 'Signing in…' : 'Sign in'}</button>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'earshot-admin-login': EarshotAdminLogin;
  }
}
