import { consume } from '@lit/context';
import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { element } from '../../../internal/define.ts';
import type { AdminApi } from '../../api/admin-api.ts';
import type { Credential } from '../../api/types.ts';
import { adminApiContext, requireApi } from '../../contexts.ts';
import { EarshotAdminChangedEvent } from '../../events/changed.ts';
import { copyText } from '../../internal/clipboard.ts';
import { formText, messageOf } from '../../internal/format.ts';
import { AdminDialog } from '../dialog/admin-dialog.ts';
import { credentialsView } from '../dialog/credentials.ts';
import { DEFAULT_SETTINGS, readSettings, settingsFields } from '../dialog/settings-fields.ts';

/**
 * @summary Create one extension; a generated password is shown once with a Copy button.
 * @fires earshot-admin-changed - The extension was created.
 * @csspart base - The dialog.
 */
@element('earshot-admin-create-dialog')
export class EarshotAdminCreateDialog extends AdminDialog {
  @consume({ context: adminApiContext, subscribe: true }) private api?: AdminApi;

  @state() private error = '';
  @state() private busy = false;
  @state() private created: Credential | null = null;
  @state() private status = '';
  /** Bumped on close: the next opening starts from an empty form. */
  @state() private generation = 0;

  protected override closed(): void {
    this.error = '';
    this.created = null;
    this.status = '';
    this.generation += 1;
  }

  /** Opens an empty form. */
  async open(): Promise<void> {
    await this.show();
  }

  private readonly handleSubmit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const number = formText(data, 'number').trim();
    const password = formText(data, 'password');
    const settings = readSettings(form);
    if (!/^\d{4,8}$/.test(number)) this.error = 'Extension numbers have 4 to 8 digits.';
    else if (typeof settings === 'string') this.error = settings;
    else await this.#create({ ...settings, number, ...(password ? { password } : {}) });
  };

  async #create(input: Parameters<AdminApi['create']>[0]): Promise<void> {
    this.busy = true;
    this.error = '';
    try {
      const result = await requireApi(this.api).create(input);
      const message = `Extension ${input.number} created.`;
      this.dispatchEvent(new EarshotAdminChangedEvent(message, result.extension));
      if (result.password) {
        this.created = { number: input.number, name: input.name, password: result.password };
        this.status = message;
        await this.updateComplete;
        this.focusFirst();
      } else this.close();
    } catch (error) {
      this.error = messageOf(error, 'The extension could not be created.');
    } finally {
      this.busy = false;
    }
  }

  private readonly handleCopyClick = async (): Promise<void> => {
    if (this.created) this.status = await copyText(this.created.password, 'Password');
  };

  private renderForm() {
    return keyed(
      this.generation,
      html`<form id="form" class="fields" novalidate @submit=${this.handleSubmit}>
        <div class="grid">
          <div>
            <label for="number">Extension number</label>
            <input
              id="number"
              name="number"
              inputmode="numeric"
              maxlength="8"
              required
              data-autofocus
              aria-describedby="number-hint"
            />
            <div id="number-hint" class="hint">4 to 8 digits; also the SIP username.</div>
          </div>
          <div>
            <label for="password">Password</label>
            <input
              id="password"
              name="password"
              type="password"
              autocomplete="new-password"
              aria-describedby="password-hint"
            />
            <div id="password-hint" class="hint">Leave empty to generate a strong one.</div>
          </div>
        </div>
        ${settingsFields(DEFAULT_SETTINGS)}
      </form>`,
    );
  }

  override render() {
    const created = this.created;
    const done = created !== null;
    return this.frame(
      'Create extension',
      html`${done ? credentialsView([created], () => void this.handleCopyClick()) : this.renderForm()}
        ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
        <p role="status" class="hint">${this.status}</p>`,
      done
        ? html`<button type="button" @click=${() => this.close()}>Done</button>`
        : html`<button type="button" class="secondary" @click=${() => this.close()}>Cancel</button>
            <button type="submit" form="form" ?disabled=${this.busy}>
              ${this.busy ? 'Creating…' : 'Create'}
            </button>`,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'earshot-admin-create-dialog': EarshotAdminCreateDialog;
  }
}
