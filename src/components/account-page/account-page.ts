import { element } from '../../internal/define.ts';
import { consume } from '@lit/context';
import { Task } from '@lit/task';
import { LitElement, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { accountApiContext } from '../../contexts/services.ts';
import type { AccountApi } from '../../services/account-api/account-api.ts';
import type { Device, Me } from '../../services/account-api/types.ts';
import '../password-form/password-form.ts';
import { baseStyles } from '../styles/base.styles.ts';
import { accountPageStyles } from './account-page.styles.ts';

const when = (iso: string | null): string => (iso ? new Date(iso).toLocaleString() : 'unknown');
const yesNo = (on: boolean, yes = 'On', no = 'Off') =>
  html`<span class=${on ? 'yes' : 'no'}>${on ? yes : no}</span>`;

/**
 * @summary The agent's self-service page: extension settings, live registration, password change.
 * @fires earshot-password-changed - Bubbles up from the password form.
 * @csspart base - The page wrapper.
 */
@element('earshot-account-page')
export class EarshotAccountPage extends LitElement {
  static override styles = [baseStyles, accountPageStyles];

  /** Seconds between automatic refreshes of the registration (0 = never). */
  @property({ type: Number, attribute: 'refresh-seconds' }) refreshSeconds = 15;

  @consume({ context: accountApiContext, subscribe: true }) private api?: AccountApi;

  #timer: ReturnType<typeof setInterval> | undefined;

  private readonly me = new Task(this, {
    task: async ([api], { signal }) => {
      if (!api) throw new Error('Not signed in to the account service.');
      return api.me(signal);
    },
    args: () => [this.api] as const,
  });

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.refreshSeconds > 0)
      this.#timer = setInterval(() => void this.me.run(), this.refreshSeconds * 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#timer);
  }

  /** Reloads the account details now. */
  refresh(): Promise<void> {
    return this.me.run();
  }

  private renderDevice(device: Device, index: number) {
    return html`<div class="device" aria-label="Device ${index + 1}">
      <dl>
        <dt>Registered since</dt>
        <dd>${when(device.registeredAt)}</dd>
        <dt>Registration node</dt>
        <dd>${device.node}</dd>
        <dt>Client IP</dt>
        <dd>${device.clientIp}</dd>
        <dt>Transport</dt>
        <dd>${device.transport.toUpperCase()}</dd>
        <dt>Client name</dt>
        <dd>${device.clientName || 'unknown'}</dd>
        <dt>Expires</dt>
        <dd>${when(device.expiresAt)}</dd>
      </dl>
    </div>`;
  }

  private renderRegistration(me: Me) {
    const r = me.registration;
    if (r.status === 'unknown') {
      return html`<p class="hint">
        The phone server did not answer, so the live registration is unknown right now.
      </p>`;
    }
    return html`<dl>
        <dt>Registered</dt>
        <dd>
          ${yesNo(r.registered === true, `Yes, ${r.devices.length} device${r.devices.length === 1 ? '' : 's'}`, 'No')}
        </dd>
      </dl>
      <div class="devices">${r.devices.map((d, i) => this.renderDevice(d, i))}</div>
      ${r.unavailableNodes.length ? html`<p class="hint">Not answering: ${r.unavailableNodes.join(', ')}</p>` : nothing}`;
  }

  private renderMe(me: Me) {
    const e = me.extension;
    return html`<h2>Extension ${e.number}</h2>
      <dl>
        <dt>Name</dt>
        <dd>${e.name}</dd>
        <dt>Status</dt>
        <dd>${yesNo(e.enabled, 'Enabled', 'Disabled')}</dd>
        <dt>Manual dialing</dt>
        <dd>${yesNo(e.manualDialing)}</dd>
        <dt>Call recording</dt>
        <dd>${yesNo(e.callRecording)}</dd>
        <dt>Password changed</dt>
        <dd>${when(e.passwordChangedAt)}</dd>
      </dl>
      <h3>Registration</h3>
      ${this.renderRegistration(me)}`;
  }

  override render() {
    return html`<div part="base">
      <header>
        <h2 class="visually-hidden">My account</h2>
        <button class="secondary" @click=${() => void this.me.run()}>Refresh</button>
      </header>
      ${this.me.render({
        pending: () =>
          this.me.value ? this.renderMe(this.me.value) : html`<p role="status">Loading your account…</p>`,
        complete: (me) => this.renderMe(me),
        error: (error) =>
          html`<p role="alert" class="error">
            ${error instanceof Error ? error.message : 'Your account could not be loaded.'}
          </p>`,
      })}
      <h3>Change password</h3>
      <earshot-password-form></earshot-password-form>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'earshot-account-page': EarshotAccountPage;
  }
}
