import { css } from 'lit';

export const accountsStyles = css`
  :host {
    display: block;
  }
  h2 {
    font-size: 1.25rem;
    margin-block: 0 0.75rem;
  }
  .toolbar {
    display: grid;
    grid-template-columns: minmax(14rem, 2fr) repeat(4, minmax(8rem, 1fr));
    gap: 0.6rem;
    align-items: end;
  }
  .actions,
  .export,
  .pager {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
    margin-block: 0.75rem;
  }
  .export {
    margin: 0 0 0 auto;
  }
  .check {
    display: flex;
    gap: 0.35rem;
    align-items: center;
    font-weight: normal;
    margin: 0;
  }
  .check input {
    inline-size: auto;
  }
  .pager select {
    inline-size: auto;
  }
  .table-wrap {
    overflow-x: auto;
    border: 1px solid #d0d4da;
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  table {
    border-collapse: collapse;
    inline-size: 100%;
    font-size: 0.875rem;
  }
  th,
  td {
    text-align: start;
    padding: 0.4rem 0.55rem;
    border-block-end: 1px solid #e3e6ea;
    vertical-align: middle;
  }
  thead th {
    background: var(--_subtle);
    white-space: nowrap;
  }
  .sort {
    background: none;
    color: inherit;
    font-weight: 700;
    padding: 0;
  }
  .nowrap {
    white-space: nowrap;
  }
  td.name {
    min-inline-size: 14ch;
  }
  .secret {
    font-family: ui-monospace, monospace;
  }
  button.icon {
    background: none;
    color: var(--_text);
    padding: 0.15rem 0.35rem;
    vertical-align: middle;
    line-height: 0;
  }
  .switch {
    min-inline-size: 6rem;
    padding: 0.25rem 0.6rem;
  }
  .switch[aria-checked='false'] {
    background: var(--_muted);
  }
  .danger-text {
    color: var(--_danger);
  }
  td button.secondary {
    padding: 0.25rem 0.6rem;
  }
  .notice {
    border-inline-start: 4px solid #b26a00;
    padding: 0.5rem 0.75rem;
    background: var(--_warn-bg);
  }
  .muted {
    color: var(--_muted);
  }
  .announcement:empty {
    padding: 0;
    border: 0;
    margin: 0;
  }
  .announcement {
    padding: 0.4rem 0.75rem;
    border-inline-start: 4px solid var(--_accent);
    background: var(--_subtle);
    margin-block-end: 0.75rem;
  }
`;
