import { consume } from '@lit/context';
import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { element } from '../../../internal/define.ts';
import type { AdminApi } from '../../api/admin-api.ts';
import type { BulkPreview, BulkRequest, Credential } from '../../api/types.ts';
import { adminApiContext } from '../../contexts.ts';
import { EarshotAdminChangedEvent } from '../../events/changed.ts';
import { copyText } from '../../internal/clipboard.ts';
import { formText, messageOf } from '../../internal/format.ts';
import { AdminDialog } from '../dialog/admin-dialog.ts';
import { credentialsText, credentialsView } from '../dialog/credentials.ts';

type Plan = Omit<BulkRequest, 'dryRun'>;

const PREVIEW_DELAY_MS = 300;

function readPlan(form: HTMLFormElement): Plan | string {
  const data = new FormData(form);
  const count = Number(formText(data, 'count'));
  const startCode = formText(data, 'startCode').trim();
  const callLimit = Number(formText(data, 'callLimit'));
  if (!Number.isInteger(count) || count < 1 || count > 1000)
    return 'Generate from 1 to 1,000 extensions at a time.';
  if (!/^\d{4,8}$/.test(startCode)) return 'The starting code has 4 to 8 digits.';
  if (!Number.isInteger(callLimit) || callLimit < 1 || callLimit > 100)
    return 'The call limit is a whole number from 1 to 100.';
  return {
    count,
    startCode,
    namePattern: formText(data, 'namePattern'),
    usernamePattern: formText(data, 'usernamePattern'),
    settings: {
      callLimit,
      enabled: data.has('enabled'),
      manualDialing: data.has('manualDialing'),
      callRecording: data.has('callRecording'),
    },
  };
}

/**
 * @summary Generate many extensions at once from a starting code and name pattern, with a live
 * preview of the codes and names and of the codes already taken; all or nothing.
 * @fires earshot-admin-changed - The extensions were created.
 * @csspart base - The dialog.
 */
@element('earshot-admin-bulk-dialog')
export class EarshotAdminBulkDialog extends AdminDialog {
  @consume({ context: adminApiContext, subscribe: true }) private api?: AdminApi;

  @state() private plan: Plan | null = null;
  @state() private preview: BulkPreview | null = null;
  @state() private error = '';
  @state() private busy = false;
  @state() private created: Credential[] = [];
  @state() private status = '';

  #timer: ReturnType<typeof setTimeout> | undefined;
  #abort: AbortController | null = null;

  protected override closed(): void {
    clearTimeout(this.#timer);
    this.#abort?.abort();
    Object.assign(this, { plan: null, preview: null, error: '', created: [], status: '' });
    this.renderRoot.querySelector('form')?.reset();
  }

  /** Opens the form and previews its defaults. */
  async open(): Promise<void> {
    await this.show();
    this.#schedulePreview();
  }

  private readonly handleInput = (): void => {
    this.#schedulePreview();
  };

  #schedulePreview(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#runPreview(), PREVIEW_DELAY_MS);
  }

  async #runPreview(): Promise<void> {
    const form = this.renderRoot.querySelector('form');
    if (!form || !this.api) return;
    const plan = readPlan(form);
    this.#abort?.abort();
    this.preview = null;
    this.plan = typeof plan === 'string' ? null : plan;
    this.error = typeof plan === 'string' ? plan : '';
    if (typeof plan === 'string') return;
    const abort = (this.#abort = new AbortController());
    try {
      this.preview = await this.api.bulkPreview(plan, abort.signal);
    } catch (error) {
      if (!abort.signal.aborted) this.error = messageOf(error, 'No preview could be made.');
    }
  }

  private readonly handleSubmit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const plan = this.plan;
    if (!plan || !this.api || !this.preview || this.preview.collisions.length) return;
    this.busy = true;
    try {
      this.created = await this.api.bulkCreate(plan);
      this.status = `${this.created.length} extensions created.`;
      this.dispatchEvent(new EarshotAdminChangedEvent(this.status));
      await this.updateComplete;
      this.focusFirst();
    } catch (error) {
      this.error = messageOf(error, 'The extensions could not be created.');
    } finally {
      this.busy = false;
    }
  };

  private readonly handleCopyClick = async (): Promise<void> => {
    this.status = await copyText(credentialsText(this.created), 'Passwords');
  };

  private renderForm() {
    return html`<form
        id="form"
        class="fields"
        novalidate
        @input=${this.handleInput}
        @submit=${this.handleSubmit}
      >
        <div class="grid">
          <div>
            <label for="count">How many</label>
            <input
              id="count"
              name="count"
              type="number"
              min="1"
              max="1000"
              value="10"
              required
              data-autofocus
            />
          </div>
          <div>
            <label for="startCode">Starting code</label>
            <input id="startCode" name="startCode" inputmode="numeric" maxlength="8" value="2000" required />
          </div>
          <div>
            <label for="callLimit">Call limit</label>
            <input id="callLimit" name="callLimit" type="number" min="1" max="100" value="2" required />
          </div>
        </div>
        <div class="grid">
          <div>
            <label for="namePattern">Name pattern</label>
            <input
              id="namePattern"
              name="namePattern"
              value="Support {code}"
              aria-describedby="pattern-hint"
            />
          </div>
          <div>
            <label for="usernamePattern">SIP username pattern</label>
            <input
              id="usernamePattern"
              name="usernamePattern"
              value="{code}"
              aria-describedby="pattern-hint"
            />
          </div>
        </div>
        <div id="pattern-hint" class="hint">
          {code} is replaced by each extension number. Passwords are generated.
        </div>
        <fieldset class="grid">
          <legend>Settings for all</legend>
          <label class="check"><input type="checkbox" name="enabled" checked />Enabled</label>
          <label class="check"><input type="checkbox" name="manualDialing" />Manual dialing</label>
          <label class="check"><input type="checkbox" name="callRecording" />Call recording</label>
        </fieldset>
      </form>
      ${this.renderPreview()}`;
  }

  private renderPreview() {
    const p = this.preview;
    if (!p) return nothing;
    const taken = new Set(p.collisions);
    return html`<section aria-label="Preview">
      ${
        p.collisions.length
          ? html`<p role="alert">
              Already taken: ${p.collisions.join(', ')}. Choose another starting code; nothing is created
              while any code is taken.
            </p>`
          : html`<p class="hint">${p.preview.length} extensions will be created.</p>`
      }
      <div class="scroll" tabindex="0" aria-label="Codes and names">
        <table>
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Name</th>
            </tr>
          </thead>
          <tbody>
            ${p.preview.map(
              (row) =>
                html`<tr class=${taken.has(row.number) ? 'taken' : ''}>
                  <td>${row.number}${taken.has(row.number) ? ' (taken)' : ''}</td>
                  <td>${row.name}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>`;
  }

  override render() {
    const done = this.created.length > 0;
    const blocked = !this.preview || this.preview.collisions.length > 0 || this.busy;
    return this.frame(
      'Generate extensions',
      html`${done ? credentialsView(this.created, () => void this.handleCopyClick()) : this.renderForm()}
        ${this.error && !done ? html`<p role="alert">${this.error}</p>` : nothing}
        <p role="status" class="hint">${this.status}</p>`,
      done
        ? html`<button type="button" @click=${() => this.close()}>Done</button>`
        : html`<button type="button" class="secondary" @click=${() => this.close()}>Cancel</button>
            <button type="submit" form="form" ?disabled=${blocked}>
              ${this.busy ? 'Generating…' : `Generate ${this.preview?.preview.length ?? ''}`}
            </button>`,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'earshot-admin-bulk-dialog': EarshotAdminBulkDialog;
  }
}
