// The extensions table of <earshot-admin-accounts>: every field of a row, sortable headers.
import { html, nothing } from 'lit';
import type { AdminExtension, AdminRegistration, ListQuery, SortKey } from '../../api/types.ts';
import { copyIcon, eyeIcon, eyeOffIcon, regenerateIcon } from '../../internal/icons.ts';
import { when } from '../../internal/format.ts';

/** What the table's controls do; the page implements them. */
export interface TableActions {
  readOnly: boolean;
  query: ListQuery;
  revealed: ReadonlyMap<string, string>;
  sort(key: SortKey): void;
  toggleReveal(row: AdminExtension): void;
  copy(row: AdminExtension): void;
  regenerate(row: AdminExtension): void;
  toggleEnabled(row: AdminExtension): void;
  edit(row: AdminExtension): void;
  remove(row: AdminExtension): void;
}

const onOff = (on: boolean) => html`<span class=${on ? 'yes' : 'no'}>${on ? 'On' : 'Off'}</span>`;

function header(label: string, key: SortKey, a: TableActions) {
  const active = a.query.sort === key;
  const sort = active ? (a.query.order === 'asc' ? 'ascending' : 'descending') : 'none';
  return html`<th scope="col" aria-sort=${sort}>
    <button type="button" class="sort" @click=${() => a.sort(key)}>
      ${label}<span aria-hidden="true">${active ? (a.query.order === 'asc' ? ' ▲' : ' ▼') : ''}</span>
    </button>
  </th>`;
}

function secretCell(row: AdminExtension, a: TableActions) {
  const shown = a.revealed.get(row.number);
  if (a.readOnly) return html`<td><span class="secret">${row.password}</span></td>`;
  return html`<td class="nowrap">
    <span class="secret">${shown ?? row.password}</span>
    <button
      type="button"
      class="icon"
      aria-pressed=${shown ? 'true' : 'false'}
      aria-label=${`${shown ? 'Hide' : 'Show'} password of ${row.number}`}
      @click=${() => a.toggleReveal(row)}
    >
      ${shown ? eyeOffIcon : eyeIcon}
    </button>
    <button
      type="button"
      class="icon"
      aria-label=${`Copy password of ${row.number}`}
      @click=${() => a.copy(row)}
    >
      ${copyIcon}
    </button>
    <button
      type="button"
      class="icon"
      aria-label=${`Regenerate password of ${row.number}`}
      @click=${() => a.regenerate(row)}
    >
      ${regenerateIcon}
    </button>
  </td>`;
}

function statusCell(row: AdminExtension, a: TableActions) {
  const label = row.enabled ? 'Enabled' : 'Disabled';
  if (a.readOnly) return html`<td><span class=${row.enabled ? 'yes' : 'no'}>${label}</span></td>`;
  return html`<td>
    <button
      type="button"
      role="switch"
      class="switch"
      aria-checked=${row.enabled ? 'true' : 'false'}
      aria-label=${`Extension ${row.number} enabled`}
      @click=${() => a.toggleEnabled(row)}
    >
      <span aria-hidden="true">${label}</span>
    </button>
  </td>`;
}

/** Registered, not registered, or unknown (a phone-server node did not answer: never guessed as "no"). */
function registrationState(r: AdminRegistration) {
  if (r.registered === null) return html`<span class="muted" title=${r.message ?? ''}>Unknown</span>`;
  return r.registered
    ? html`<span class="yes">Registered</span>`
    : html`<span class="muted">Not registered</span>`;
}

function rowView(row: AdminExtension, a: TableActions) {
  const r = row.registration;
  return html`<tr>
    <th scope="row">${row.number}</th>
    <td class="name">${row.name}</td>
    ${secretCell(row, a)} ${statusCell(row, a)}
    <td>${onOff(row.manualDialing)}</td>
    <td>${onOff(row.callRecording)}</td>
    <td>${registrationState(r)}</td>
    <td>${when(r.registeredAt)}</td>
    <td>${r.node ?? '—'}</td>
    <td>${r.clientIp ?? '—'}</td>
    <td>${r.transport?.toUpperCase() ?? '—'}</td>
    <td>${r.clientName ?? '—'}</td>
    <td>${when(row.createdAt)}</td>
    ${
      a.readOnly
        ? nothing
        : html`<td class="nowrap">
            <button
              type="button"
              class="secondary"
              aria-label=${`Edit ${row.number}`}
              @click=${() => a.edit(row)}
            >
              Edit
            </button>
            <button
              type="button"
              class="secondary danger-text"
              aria-label=${`Delete ${row.number}`}
              @click=${() => a.remove(row)}
            >
              Delete
            </button>
          </td>`
    }
  </tr>`;
}

/** The table of one page of extensions. */
export function accountsTable(rows: AdminExtension[], a: TableActions) {
  return html`<div class="table-wrap">
    <table>
      <caption class="visually-hidden">
        Agent accounts
      </caption>
      <thead>
        <tr>
          ${header('Number', 'number', a)} ${header('Name', 'name', a)}
          <th scope="col">Password</th>
          <th scope="col">Status</th>
          <th scope="col">Manual dialing</th>
          <th scope="col">Call recording</th>
          <th scope="col">Registration</th>
          ${header('Registered since', 'registeredAt', a)}
          <th scope="col">Node</th>
          <th scope="col">Client IP</th>
          <th scope="col">Transport</th>
          <th scope="col">Client name</th>
          ${header('Created', 'createdAt', a)} ${a.readOnly ? nothing : html`<th scope="col">Actions</th>`}
        </tr>
      </thead>
      <tbody>
        ${rows.map((row) => rowView(row, a))}
      </tbody>
    </table>
  </div>`;
}

/** Says which phone-server nodes did not answer: their agents' registrations are unknown. */
export function unavailableNotice(nodes: readonly string[] | undefined) {
  if (!nodes?.length) return nothing;
  const which = nodes.length === 1 ? `node ${nodes[0] ?? ''}` : `nodes ${nodes.join(', ')}`;
  return html`<p class="notice">
    The phone server (${which}) did not answer: registrations it may hold show as Unknown, and the
    registration filter cannot be used until it answers again.
  </p>`;
}
