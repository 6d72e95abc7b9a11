import { consume } from '@lit/context';
import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { element } from '../../../internal/define.ts';
import { AdminApiError, type AdminApi } from '../../api/admin-api.ts';
import type { Credential, CsvRowError, ImportCheck } from '../../api/types.ts';
import { adminApiContext, requireApi } from '../../contexts.ts';
import { EarshotAdminChangedEvent } from '../../events/changed.ts';
import { copyText } from '../../internal/clipboard.ts';
import { messageOf } from '../../internal/format.ts';
import { AdminDialog } from '../dialog/admin-dialog.ts';
import { credentialsText, credentialsView } from '../dialog/credentials.ts';

const problems = (count: number): string => `${count.toLocaleString('en')} problem${count === 1 ? '' : 's'}`;

const COLUMNS =
  'number, name, enabled, manual_dialing, call_recording, call_limit, allowed_ips, forwarding, dnd, did, caller_id (password optional: generated when empty)';

/**
 * @summary Import extensions from a CSV file: a dry run reports every bad row (line, column,
 * message), then one all-or-nothing import; an upload progress bar for both.
 * @fires earshot-admin-changed - The extensions were imported.
 * @csspart base - The dialog.
 */
@element('earshot-admin-import-dialog')
export class EarshotAdminImportDialog extends AdminDialog {
  @consume({ context: adminApiContext, subscribe: true }) private api?: AdminApi;

  @state() private file: File | null = null;
  @state() private progress: number | null = null;
  @state() private check: ImportCheck | null = null;
  @state() private error = '';
  @state() private passwords: Credential[] = [];
  @state() private status = '';
  @state() private imported: number | null = null;

  protected override closed(): void {
    Object.assign(this, {
      file: null,
      progress: null,
      check: null,
      error: '',
      passwords: [],
      status: '',
      imported: null,
    });
    this.renderRoot.querySelector('form')?.reset();
  }

  /** Opens the file picker form. */
  async open(): Promise<void> {
    await this.show();
  }

  private readonly handleFileChange = (event: Event): void => {
    const file = (event.target as HTMLInputElement).files?.[0] ?? null;
    Object.assign(this, { file, check: null, error: '', status: '' });
    if (file) void this.#dryRun(file);
  };

  async #dryRun(file: File): Promise<void> {
    this.status = `Checking ${file.name}…`;
    const check = await this.#upload(() => requireApi(this.api).checkCsv(file, this.#onProgress));
    if (!check) return;
    this.check = check;
    this.status = check.totalErrors
      ? `${problems(check.totalErrors)} found in ${file.name}; nothing was imported.`
      : `${check.rows} rows checked: no problems found.`;
  }

  readonly #onProgress = (fraction: number): void => {
    this.progress = fraction;
  };

  async #upload<T>(send: () => Promise<T>): Promise<T | null> {
    this.progress = 0;
    this.error = '';
    try {
      return await send();
    } catch (error) {
      const details = error instanceof AdminApiError ? error.details : {};
      if (Array.isArray(details.errors)) {
        const errors = details.errors as CsvRowError[];
        const totalErrors = typeof details.totalErrors === 'number' ? details.totalErrors : errors.length;
        this.check = { ok: false, rows: 0, errors, totalErrors };
      }
      this.error = messageOf(error, 'The file could not be sent.');
      this.status = '';
      return null;
    } finally {
      this.progress = null;
    }
  }

  private readonly handleSubmit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const file = this.file;
    if (!file || !this.check?.ok || !this.api) return;
    this.status = `Importing ${file.name}…`;
    const result = await this.#upload(() => requireApi(this.api).importCsv(file, this.#onProgress));
    if (!result) return;
    this.passwords = result.passwords;
    this.check = null;
    this.imported = result.created;
    this.status = `${result.created} extensions imported.`;
    this.dispatchEvent(new EarshotAdminChangedEvent(this.status));
    await this.updateComplete;
    this.focusFirst();
  };

  private readonly handleCopyClick = async (): Promise<void> => {
    this.status = await copyText(credentialsText(this.passwords), 'Passwords');
  };

  private renderErrors({ errors, totalErrors }: ImportCheck) {
    const more = totalErrors - errors.length;
    return html`<div class="scroll" tabindex="0" aria-label="Problems by row">
        <table>
          <caption>
            Problems (fix them in the file and choose it again)
          </caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Column</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            ${errors.map(
              (e) =>
                html`<tr>
                  <td>${e.line}</td>
                  <td>${e.column ?? '—'}</td>
                  <td>${e.message}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${
        more > 0
          ? html`<p class="hint">
              …and ${more.toLocaleString('en')} more ${more === 1 ? 'problem' : 'problems'} not listed. Fix
              these and check the file again.
            </p>`
          : nothing
      }`;
  }

  private renderForm() {
    return html`<form id="form" class="fields" @submit=${this.handleSubmit}>
        <div>
          <label for="file">CSV file</label>
          <input
            id="file"
            name="file"
            type="file"
            accept=".csv,text/csv"
            data-autofocus
            aria-describedby="file-hint"
            @change=${this.handleFileChange}
          />
          <div id="file-hint" class="hint">
            Columns: ${COLUMNS}. The file is checked before anything is written.
          </div>
        </div>
      </form>
      ${
        this.progress === null
          ? nothing
          : html`<label for="progress">Upload</label>
              <progress id="progress" max="100" value=${Math.round(this.progress * 100)}>
                ${Math.round(this.progress * 100)} %
              </progress>`
      }
      ${this.check?.errors.length ? this.renderErrors(this.check) : nothing}`;
  }

  override render() {
    const done = this.imported !== null;
    const ready = this.check?.ok === true && this.check.errors.length === 0 && this.progress === null;
    return this.frame(
      'Import extensions from CSV',
      html`${done ? credentialsView(this.passwords, () => void this.handleCopyClick()) : this.renderForm()}
        ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
        <p role="status">${this.status}</p>`,
      done
        ? html`<button type="button" @click=${() => this.close()}>Done</button>`
        : html`<button type="button" class="secondary" @click=${() => this.close()}>Cancel</button>
            <button type="submit" form="form" ?disabled=${!ready}>
              ${ready ? `Import ${this.check?.rows ?? ''} extensions` : 'Import'}
            </button>`,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'earshot-admin-import-dialog': EarshotAdminImportDialog;
  }
}
