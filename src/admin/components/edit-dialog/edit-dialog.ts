import { consume } from '@lit/context';
import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { element } from '../../../internal/define.ts';
import { AdminApiError, type AdminApi } from '../../api/admin-api.ts';
import type { AdminExtension, ExtensionSettings } from '../../api/types.ts';
import { adminApiContext, requireApi } from '../../contexts.ts';
import { EarshotAdminChangedEvent } from '../../events/changed.ts';
import { messageOf, withKickWarning } from '../../internal/format.ts';
import { AdminDialog } from '../dialog/admin-dialog.ts';
import { changedSettings, readSettings, settingsFields, settingsOf } from '../dialog/settings-fields.ts';
import { conflictView } from './conflict-view.ts';

const isRow = (value: unknown): value is AdminExtension =>
  typeof value === 'object' && value !== null && 'number' in value && 'etag' in value;

/**
 * @summary Edit an extension's settings. Saves with If-Match: when someone else changed the
 * extension meanwhile, it says so and offers to reload instead of overwriting their change.
 * @fires earshot-admin-changed - The extension was saved.
 * @csspart base - The dialog.
 */
@element('earshot-admin-edit-dialog')
export class EarshotAdminEditDialog extends AdminDialog {
  @consume({ context: adminApiContext, subscribe: true }) private api?: AdminApi;

  @state() private row: AdminExtension | null = null;
  @state() private values: ExtensionSettings | null = null;
  @state() private error = '';
  @state() private conflict: { message: string; current: AdminExtension | null } | null = null;
  @state() private busy = false;
  /** Bumped on every load: the form is rebuilt, dropping whatever was typed. */
  @state() private loads = 0;

  protected override closed(): void {
    this.row = null;
    this.values = null;
    this.error = '';
    this.conflict = null;
  }

  #load(row: AdminExtension): void {
    this.row = row;
    this.values = settingsOf(row);
    this.loads += 1;
    this.error = '';
    this.conflict = null;
  }

  private readonly handleSubmit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const row = this.row;
    if (!row || !this.api || this.conflict) return;
    const settings = readSettings(event.target as HTMLFormElement);
    if (typeof settings === 'string') {
      this.error = settings;
      return;
    }
    this.values = settings;
    const changes = changedSettings(settingsOf(row), settings);
    if (Object.keys(changes).length === 0) {
      this.close();
      return;
    }
    await this.#save(row, changes);
  };

  async #save(row: AdminExtension, changes: Partial<ExtensionSettings>): Promise<void> {
    this.busy = true;
    this.error = '';
    try {
      const saved = await requireApi(this.api).update(row.number, row.etag, changes);
      const message = withKickWarning(`Extension ${row.number} saved.`, saved.kick);
      this.dispatchEvent(new EarshotAdminChangedEvent(message, saved));
      this.close();
    } catch (error) {
      if (error instanceof AdminApiError && error.status === 412) {
        const current = error.details.current;
        this.conflict = { message: error.message, current: isRow(current) ? current : null };
        // Save is disabled now: give focus to the way forward instead of losing it.
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLElement>('#reload')?.focus();
      } else {
        this.error = messageOf(error, 'The extension could not be saved.');
      }
    } finally {
      this.busy = false;
    }
  }

  private readonly handleReloadClick = async (): Promise<void> => {
    const number = this.row?.number;
    if (!number || !this.api) return;
    try {
      this.#load(this.conflict?.current ?? (await this.api.get(number)));
      await this.updateComplete;
      this.focusFirst();
    } catch (error) {
      this.error = messageOf(error, 'The extension could not be reloaded.');
    }
  };

  /** Opens the dialog on the latest saved state of `row`. */
  async open(row: AdminExtension): Promise<void> {
    let fresh = row;
    try {
      fresh = (await this.api?.get(row.number)) ?? row;
    } catch {
      // The list row is recent enough to start from; a stale one is caught at save (412).
    }
    this.#load(fresh);
    await this.show();
  }

  private renderConflict() {
    if (!this.conflict) return nothing;
    const current = this.conflict.current;
    return html`<div role="alert">
        <p>${this.conflict.message}</p>
        <p>Nothing of yours was saved. Reload to edit the saved values; what you typed is discarded.</p>
      </div>
      ${current ? conflictView(current, this.values) : nothing}
      <button id="reload" type="button" @click=${this.handleReloadClick}>Reload</button>`;
  }

  override render() {
    const row = this.row;
    return this.frame(
      row ? `Edit extension ${row.number}` : 'Edit extension',
      html`<form id="form" class="fields" novalidate @submit=${this.handleSubmit}>
          ${this.values ? keyed(this.loads, settingsFields(this.values)) : nothing}
        </form>
        ${this.renderConflict()} ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}`,
      html`<button type="button" class="secondary" @click=${() => this.close()}>Cancel</button>
        <button type="submit" form="form" ?disabled=${this.busy || this.conflict !== null}>
          ${this.busy ? 'Saving…' : 'Save'}
        </button>`,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'earshot-admin-edit-dialog': EarshotAdminEditDialog;
  }
}
