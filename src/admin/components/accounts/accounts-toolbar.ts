// Search, filters, the actions on many extensions, and the pager of <earshot-admin-accounts>.
import { html, nothing } from 'lit';
import type { ListQuery } from '../../api/types.ts';

/** Boolean filters of the list and their words. */
export const FILTERS = [
  ['enabled', 'Status', 'Enabled', 'Disabled'],
  ['registered', 'Registration', 'Registered', 'Not registered'],
  ['manualDialing', 'Manual dialing', 'On', 'Off'],
  ['callRecording', 'Call recording', 'On', 'Off'],
] as const;

/** One of the filter keys. */
export type FilterKey = (typeof FILTERS)[number][0];

/** What the toolbar's controls do. */
export interface ToolbarActions {
  readOnly: boolean;
  query: ListQuery;
  search(text: string): void;
  filter(key: FilterKey, value: boolean | undefined): void;
  create(): void;
  bulk(): void;
  import(): void;
  exportCsv(secrets: boolean): void;
}

const asFilter = (value: string): boolean | undefined => (value === '' ? undefined : value === 'true');

function filterSelect([key, label, yes, no]: (typeof FILTERS)[number], a: ToolbarActions) {
  const value = a.query[key];
  return html`<div>
    <label for=${`filter-${key}`}>${label}</label>
    <select
      id=${`filter-${key}`}
      @change=${(event: Event) => a.filter(key, asFilter((event.target as HTMLSelectElement).value))}
    >
      <option value="" ?selected=${value === undefined}>Any</option>
      <option value="true" ?selected=${value === true}>${yes}</option>
      <option value="false" ?selected=${value === false}>${no}</option>
    </select>
  </div>`;
}

function exportControls(a: ToolbarActions) {
  // The checkbox is read when the button is pressed: a render-time variable would reset.
  const handleExportClick = (event: Event): void => {
    const box = (event.target as HTMLElement).parentElement?.querySelector<HTMLInputElement>(
      '#export-secrets',
    );
    a.exportCsv(box?.checked ?? false);
  };
  return html`<div class="export">
    ${
      a.readOnly
        ? nothing
        : html`<label class="check"><input id="export-secrets" type="checkbox" />With passwords</label>`
    }
    <button type="button" class="secondary" @click=${handleExportClick}>Export CSV</button>
  </div>`;
}

/** Search box, filters and the buttons above the table. */
export function accountsToolbar(a: ToolbarActions) {
  return html`<div class="toolbar" role="search">
      <div class="search">
        <label for="search">Search by number or name</label>
        <input
          id="search"
          type="search"
          .value=${a.query.q}
          autocomplete="off"
          @input=${(event: Event) => a.search((event.target as HTMLInputElement).value)}
        />
      </div>
      ${FILTERS.map((f) => filterSelect(f, a))}
    </div>
    <div class="actions">
      ${
        a.readOnly
          ? nothing
          : html`<button type="button" @click=${() => a.create()}>Create extension</button>
              <button type="button" class="secondary" @click=${() => a.bulk()}>Generate many</button>
              <button type="button" class="secondary" @click=${() => a.import()}>Import CSV</button>`
      }
      ${exportControls(a)}
    </div>`;
}

/** "Showing 1–50 of 123", previous/next and the page size. */
export function pager(
  total: number,
  query: ListQuery,
  go: (page: number) => void,
  size: (pageSize: number) => void,
) {
  const pages = Math.max(1, Math.ceil(total / query.pageSize));
  const first = total === 0 ? 0 : (query.page - 1) * query.pageSize + 1;
  const last = Math.min(total, query.page * query.pageSize);
  return html`<nav class="pager" aria-label="Pages">
    <span>Showing ${first}–${last} of ${total}</span>
    <button type="button" class="secondary" ?disabled=${query.page <= 1} @click=${() => go(query.page - 1)}>
      Previous
    </button>
    <span>Page ${query.page} of ${pages}</span>
    <button
      type="button"
      class="secondary"
      ?disabled=${query.page >= pages}
      @click=${() => go(query.page + 1)}
    >
      Next
    </button>
    <label class="check" for="page-size">Per page</label>
    <select
      id="page-size"
      @change=${(event: Event) => size(Number((event.target as HTMLSelectElement).value))}
    >
      ${[25, 50, 100, 200].map((n) => html`<option value=${n} ?selected=${n === query.pageSize}>${n}</option>`)}
    </select>
  </nav>`;
}
