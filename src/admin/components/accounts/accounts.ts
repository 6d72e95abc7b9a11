import { consume } from '@lit/context';
import { Task, TaskStatus } from '@lit/task';
import { LitElement, html } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { yesNoStyles } from '../../../components/account-page/account-page.styles.ts';
import { baseStyles } from '../../../components/styles/base.styles.ts';
import { element } from '../../../internal/define.ts';
import type { AdminApi } from '../../api/admin-api.ts';
import type { AdminExtension, ListQuery, SortKey } from '../../api/types.ts';
import { adminApiContext, requireApi } from '../../contexts.ts';
import type { EarshotAdminChangedEvent } from '../../events/changed.ts';
import { copyText } from '../../internal/clipboard.ts';
import { messageOf, withKickWarning } from '../../internal/format.ts';
import '../bulk-dialog/bulk-dialog.ts';
import '../confirm-dialog/confirm-dialog.ts';
import type { EarshotAdminConfirm } from '../confirm-dialog/confirm-dialog.ts';
import '../create-dialog/create-dialog.ts';
import { DEVICE_REMINDER } from '../dialog/credentials.ts';
import '../edit-dialog/edit-dialog.ts';
import '../import-dialog/import-dialog.ts';
import { accountsTable, unavailableNotice, type TableActions } from './accounts-table.ts';
import { accountsToolbar, pager, type FilterKey, type ToolbarActions } from './accounts-toolbar.ts';
import { accountsStyles } from './accounts.styles.ts';

const SEARCH_DELAY_MS = 300;

/**
 * @summary Voice > Agents > Agent Accounts: the extensions with search, filters, sorting and
 * server-side paging; create, bulk generate, CSV import/export, edit, enable/disable, delete and
 * the password (reveal, copy, regenerate). Read-only for viewers.
 * @csspart base - The page.
 */
@element('earshot-admin-accounts')
export class EarshotAdminAccounts extends LitElement {
  static override styles = [baseStyles, yesNoStyles, accountsStyles];

  /** Hides every control that changes something (viewer role). */
  @property({ type: Boolean, attribute: 'read-only' }) readOnly = false;

  @consume({ context: adminApiContext, subscribe: true }) private api?: AdminApi;

  @state() private query: ListQuery = { page: 1, pageSize: 50, sort: 'number', order: 'asc', q: '' };
  @state() private revealed = new Map<string, string>();
  @state() private announcement = '';

  @query('earshot-admin-confirm') private confirm!: EarshotAdminConfirm;

  #searchTimer: ReturnType<typeof setTimeout> | undefined;

  private readonly list = new Task(this, {
    task: async ([api, q], { signal }) => {
      if (!api) throw new Error('Not signed in.');
      return api.list(q, signal);
    },
    args: () => [this.api, this.query] as const,
  });

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#searchTimer);
  }

  #setQuery(changes: Partial<ListQuery>): void {
    this.query = { ...this.query, page: 1, ...changes };
  }

  #say(message: string): void {
    // A repeated message must still be announced: clear, then set on the next frame.
    this.announcement = '';
    requestAnimationFrame(() => (this.announcement = message));
  }

  async #act(work: () => Promise<string>, failure: string): Promise<void> {
    try {
      this.#say(await work());
    } catch (error) {
      this.#say(messageOf(error, failure));
      // The row may have changed under us (412, 404): show it as it is now.
      void this.list.run();
    }
  }

  #dialog<K extends keyof HTMLElementTagNameMap>(tag: K): HTMLElementTagNameMap[K] {
    const found = this.renderRoot.querySelector(tag);
    if (!found) throw new Error(`No <${tag}> on the page.`);
    return found;
  }

  async #reveal(row: AdminExtension): Promise<string> {
    const password = this.revealed.get(row.number) ?? (await requireApi(this.api).reveal(row.number));
    this.revealed = new Map(this.revealed).set(row.number, password);
    return password;
  }

  private readonly table: Omit<TableActions, 'readOnly' | 'query' | 'revealed'> = {
    sort: (key: SortKey) =>
      this.#setQuery({
        sort: key,
        order: this.query.sort === key && this.query.order === 'asc' ? 'desc' : 'asc',
      }),
    toggleReveal: (row) => {
      if (this.revealed.has(row.number)) {
        const next = new Map(this.revealed);
        next.delete(row.number);
        this.revealed = next;
        return;
      }
      void this.#act(
        async () => (await this.#reveal(row), `Password of ${row.number} shown.`),
        'The password could not be shown.',
      );
    },
    copy: (row) =>
      void this.#act(
        async () => copyText(await this.#reveal(row), `Password of ${row.number}`),
        'The password could not be copied.',
      ),
    regenerate: (row) => void this.#regenerate(row),
    toggleEnabled: (row) =>
      void this.#act(
        async () => {
          const { kick } = await requireApi(this.api).setEnabled(row.number, !row.enabled);
          await this.list.run();
          if (!row.enabled) return `Extension ${row.number} enabled.`;
          return kick?.delivered === false
            ? withKickWarning(`Extension ${row.number} disabled.`, kick)
            : `Extension ${row.number} disabled: its devices are signed out.`;
        },
        `Extension ${row.number} could not be ${row.enabled ? 'disabled' : 'enabled'}.`,
      ),
    edit: (row) => void this.#dialog('earshot-admin-edit-dialog').open(row),
    remove: (row) => void this.#remove(row),
  };

  private readonly toolbar: Omit<ToolbarActions, 'readOnly' | 'query'> = {
    search: (text) => {
      clearTimeout(this.#searchTimer);
      this.#searchTimer = setTimeout(() => this.#setQuery({ q: text.trim() }), SEARCH_DELAY_MS);
    },
    filter: (key: FilterKey, value) => this.#setQuery({ [key]: value }),
    create: () => void this.#dialog('earshot-admin-create-dialog').open(),
    bulk: () => void this.#dialog('earshot-admin-bulk-dialog').open(),
    import: () => void this.#dialog('earshot-admin-import-dialog').open(),
    exportCsv: (secrets) => void this.#act(() => this.#export(secrets), 'The export failed.'),
  };

  async #regenerate(row: AdminExtension): Promise<void> {
    const ok = await this.confirm.ask({
      title: `New password for ${row.number}?`,
      message: `A new strong password replaces the current one and every device registered as ${row.number} is signed out at once.`,
      notice: DEVICE_REMINDER,
      confirmLabel: 'Regenerate password',
    });
    if (!ok) return;
    await this.#act(async () => {
      const { password, kick } = await requireApi(this.api).regenerate(row.number);
      this.revealed = new Map(this.revealed).set(row.number, password);
      return withKickWarning(
        `New password for ${row.number} is shown in the table. ${DEVICE_REMINDER}`,
        kick,
      );
    }, 'No new password could be set.');
  }

  async #remove(row: AdminExtension): Promise<void> {
    const ok = await this.confirm.ask({
      title: `Delete extension ${row.number}?`,
      message: `${row.number} (${row.name}) is deleted with its registrations and agent sessions. This cannot be undone.`,
      confirmLabel: `Delete ${row.number}`,
      danger: true,
    });
    if (!ok) return;
    await this.#act(async () => {
      await requireApi(this.api).remove(row.number, row.etag);
      await this.list.run();
      return `Extension ${row.number} deleted.`;
    }, `Extension ${row.number} could not be deleted.`);
  }

  async #export(secrets: boolean): Promise<string> {
    const blob = await requireApi(this.api).exportCsv(secrets);
    const url = URL.createObjectURL(blob);
    const link = Object.assign(document.createElement('a'), { href: url, download: 'extensions.csv' });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    return `Exported extensions.csv${secrets ? ' with passwords' : ''}.`;
  }

  private readonly handleChanged = (event: EarshotAdminChangedEvent): void => {
    this.#say(event.message);
    void this.list.run();
  };

  private renderList() {
    return this.list.render({
      pending: () => (this.list.value ? this.renderRows() : html`<p class="hint">Loading extensions…</p>`),
      complete: () => this.renderRows(),
      error: (error) =>
        html`<p class="error" role="alert">${messageOf(error, 'The extensions could not be loaded.')}</p>`,
    });
  }

  private renderRows() {
    const result = this.list.value;
    if (!result) return html``;
    const actions = { ...this.table, readOnly: this.readOnly, query: this.query, revealed: this.revealed };
    return html`${unavailableNotice(result.unavailableNodes)}
    ${result.items.length ? accountsTable(result.items, actions) : html`<p>No extension matches.</p>`}
    ${pager(
      result.total,
      // The page on screen (a newer one may be loading): its rows and "Showing …" must agree.
      { ...this.query, page: result.page, pageSize: result.pageSize },
      (page) => (this.query = { ...this.query, page }),
      (pageSize) => this.#setQuery({ pageSize }),
    )}`;
  }

  override render() {
    return html`<section
      part="base"
      aria-labelledby="heading"
      aria-busy=${this.list.status === TaskStatus.PENDING ? 'true' : 'false'}
    >
      <h2 id="heading">Agent accounts</h2>
      ${accountsToolbar({ ...this.toolbar, readOnly: this.readOnly, query: this.query })}
      <div role="status" aria-live="polite" class="announcement">${this.announcement}</div>
      ${this.renderList()}
      <earshot-admin-confirm></earshot-admin-confirm>
      ${
        this.readOnly
          ? html``
          : html`<earshot-admin-edit-dialog
                @earshot-admin-changed=${this.handleChanged}
              ></earshot-admin-edit-dialog>
              <earshot-admin-create-dialog
                @earshot-admin-changed=${this.handleChanged}
              ></earshot-admin-create-dialog>
              <earshot-admin-bulk-dialog
                @earshot-admin-changed=${this.handleChanged}
              ></earshot-admin-bulk-dialog>
              <earshot-admin-import-dialog
                @earshot-admin-changed=${this.handleChanged}
              ></earshot-admin-import-dialog>`
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'earshot-admin-accounts': EarshotAdminAccounts;
  }
}
