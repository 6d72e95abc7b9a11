import { element } from '../../internal/define.ts';
import { consume } from '@lit/context';
import { LitElement, html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { accountApiContext, passwordChangerContext, type PasswordChanger } from '../../contexts/services.ts';
import { estimateStrength } from '../../internal/password-strength.ts';
import { ApiError, type AccountApi } from '../../services/account-api/account-api.ts';
import { TabCommandError } from '../../services/tabs/messages.ts';
import { baseStyles } from '../styles/base.styles.ts';
import { passwordFormStyles } from './password-form.styles.ts';

type Field = 'current' | 'next' | 'confirm';

/**
 * @summary Change the agent's own password: policy errors from the server, strength meter, generator.
 * @fires earshot-password-changed - The password was changed and the softphone re-registered with it.
 * @csspart base - The form.
 */
@element('earshot-password-form')
export class EarshotPasswordForm extends LitElement {
  static override styles = [baseStyles, passwordFormStyles];

  @consume({ context: accountApiContext, subscribe: true }) private api?: AccountApi;
  @consume({ context: passwordChangerContext }) private changer?: PasswordChanger;

  @state() private values: Record<Field, string> = { current: '', next: '', confirm: '' };
  @state() private errors: Partial<Record<Field | 'form', string>> = {};
  @state() private busy = false;
  @state() private reveal = false;
  @state() private done = false;
  @state() private copied = false;

  private handleInput(event: InputEvent): void {
    const input = event.target as HTMLInputElement;
    this.values = { ...this.values, [input.name as Field]: input.value };
    this.errors = {};
    this.done = false;
  }

  private async handleGenerateClick(): Promise<void> {
    try {
      const password = (await this.api?.suggestPassword()) ?? '';
      this.values = { ...this.values, next: password, confirm: password };
      this.reveal = true;
      this.copied = false;
    } catch (error) {
      this.errors = { form: error instanceof ApiError ? error.message : 'No password could be generated.' };
    }
  }

  private async handleCopyClick(): Promise<void> {
    await navigator.clipboard.writeText(this.values.next);
    this.copied = true;
  }

  #validate(): boolean {
    const errors: typeof this.errors = {};
    if (!this.values.current) errors.current = 'Enter your current password.';
    if (!this.values.next) errors.next = 'Enter a new password.';
    else if (this.values.next !== this.values.confirm) errors.confirm = 'The two new passwords do not match.';
    this.errors = errors;
    return Object.keys(errors).length === 0;
  }

  private async handleSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (!this.#validate() || !this.changer) return;
    this.busy = true;
    try {
      await this.changer.changePassword(this.values.current, this.values.next);
      this.values = { current: '', next: '', confirm: '' };
      this.done = true;
      this.dispatchEvent(new Event('earshot-password-changed', { bubbles: true, composed: true }));
    } catch (error) {
      this.#showError(error);
    } finally {
      this.busy = false;
    }
  }

  #showError(error: unknown): void {
    // ApiError here, TabCommandError when another tab of this browser made the change.
    if (!(error instanceof ApiError || error instanceof TabCommandError))
      this.errors = { form: 'The password could not be changed. Try again.' };
    else if (error.code === 'wrong-current-password') this.errors = { current: error.message };
    else if (error.code === 'password-policy') this.errors = { next: error.message };
    else this.errors = { form: error.message };
  }

  private renderField(field: Field, label: string, autocomplete: string) {
    const error = this.errors[field];
    return html`<div>
      <label for=${field}>${label}</label>
      <input
        id=${field}
        name=${field}
        type=${this.reveal && field !== 'current' ? 'text' : 'password'}
        autocomplete=${autocomplete}
        .value=${this.values[field]}
        @input=${this.handleInput}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby="${field}-error"
      />
      <div id="${field}-error" class="error">${error ?? ''}</div>
    </div>`;
  }

  private renderStrength() {
    if (!this.values.next) return nothing;
    const strength = estimateStrength(this.values.next);
    return html`<div>
      <label for="strength">Strength: ${strength.label}</label>
      <meter id="strength" min="0" max="4" low="2" high="3" optimum="4" .value=${strength.score}></meter>
    </div>`;
  }

  override render() {
    return html`<form part="base" @submit=${this.handleSubmit} novalidate>
      ${this.renderField('current', 'Current password', 'current-password')}
      ${this.renderField('next', 'New password (at least 15 characters)', 'new-password')}
      ${this.renderStrength()} ${this.renderField('confirm', 'Repeat the new password', 'new-password')}
      <div class="row">
        <button type="button" class="secondary" @click=${this.handleGenerateClick}>
          Generate strong password
        </button>
        <button
          type="button"
          class="secondary"
          aria-pressed=${this.reveal ? 'true' : 'false'}
          @click=${() => (this.reveal = !this.reveal)}
        >
          ${this.reveal ? 'Hide' : 'Show'} new password
        </button>
        ${
          this.values.next && this.reveal
            ? html`<button type="button" class="secondary" @click=${this.handleCopyClick}>
                ${this.copied ? 'Copied' : 'Copy'}
              </button>`
            : nothing
        }
      </div>
      <div class="error" role="alert">${this.errors.form ?? ''}</div>
      <button type="submit" ?disabled=${this.busy}>${this.busy ? 'Changing…' : 'Change password'}</button>
      ${
        this.done
          ? html`<p class="success" role="status">
                Password changed. This softphone now uses the new password.
              </p>
              <p class="reminder">
                Update the password on any desk phone or other device that uses this extension.
              </p>`
          : nothing
      }
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'earshot-password-form': EarshotPasswordForm;
  }
}
