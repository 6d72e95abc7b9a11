import { ContextProvider } from '@lit/context';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { baseStyles } from '../../../components/styles/base.styles.ts';
import { element } from '../../../internal/define.ts';
import { AdminApi } from '../../api/admin-api.ts';
import type { AdminIdentity } from '../../api/types.ts';
import { adminApiContext } from '../../contexts.ts';
import type { EarshotAdminSignedInEvent } from '../../events/signed-in.ts';
import '../accounts/accounts.ts';
import '../login/login.ts';
import { consoleStyles } from './console.styles.ts';

const ROLE_LABEL = { admin: 'Administrator', viewer: 'Viewer (read-only)' } as const;

/**
 * @summary The administrator console: login, then Voice > Agents > Agent Accounts.
 * @csspart base - The wrapper.
 */
@element('earshot-admin-console')
export class EarshotAdminConsole extends LitElement {
  static override styles = [baseStyles, consoleStyles];

  /** Base URL of the account service; defaults to this page's origin. */
  @property({ attribute: 'api-url' }) apiUrl = '';

  @state() private admin: AdminIdentity | null = null;
  @state() private notice = '';

  readonly #provider = new ContextProvider(this, { context: adminApiContext });
  #api: AdminApi | null = null;

  private readonly handleSessionEnded = (): void => {
    this.admin = null;
    this.notice = 'Your session has ended. Sign in again.';
  };

  override willUpdate(changed: PropertyValues<this>): void {
    if (this.#api && !changed.has('apiUrl')) return;
    this.#api?.removeEventListener('session-ended', this.handleSessionEnded);
    this.#api = new AdminApi(this.apiUrl || location.origin);
    this.#api.addEventListener('session-ended', this.handleSessionEnded);
    this.#provider.setValue(this.#api);
    this.admin = this.#api.identity;
    if (this.admin) void this.#verify(this.#api);
  }

  /** A stored token may have expired: ask the service (a 401 ends the session). */
  async #verify(api: AdminApi): Promise<void> {
    try {
      this.admin = await api.me();
    } catch {
      // session-ended already switched to the login form when the token was refused.
    }
  }

  private readonly handleSignedIn = (event: EarshotAdminSignedInEvent): void => {
    this.admin = event.admin;
    this.notice = '';
  };

  private readonly handleLogoutClick = async (): Promise<void> => {
    await this.#api?.logout().catch(() => undefined);
    this.admin = null;
    this.notice = 'You are signed out.';
  };

  private renderHeader(admin: AdminIdentity) {
    return html`<header>
      <nav aria-label="Breadcrumb">
        <ol>
          <li>Voice</li>
          <li>Agents</li>
          <li aria-current="page">Agent Accounts</li>
        </ol>
      </nav>
      <div class="who">
        <span
          >Signed in as <strong>${admin.username}</strong> ·
          <span class="role">${ROLE_LABEL[admin.role]}</span></span
        >
        <button type="button" class="secondary" @click=${this.handleLogoutClick}>Log out</button>
      </div>
    </header>`;
  }

  override render() {
    const admin = this.admin;
    return html`<div part="base">
      ${
        admin
          ? html`${this.renderHeader(admin)}
              <earshot-admin-accounts ?read-only=${admin.role !== 'admin'}></earshot-admin-accounts>`
          : html`${this.notice ? html`<p role="status">${this.notice}</p>` : nothing}
              <earshot-admin-login @earshot-admin-signed-in=${this.handleSignedIn}></earshot-admin-login>`
      }
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'earshot-admin-console': EarshotAdminConsole;
  }
}
