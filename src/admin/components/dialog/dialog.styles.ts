import { css } from 'lit';

export const dialogStyles = css`
  dialog {
    border: none;
    border-radius: var(--_radius);
    padding: 1.25rem 1.5rem;
    inline-size: min(40rem, calc(100vw - 2rem));
    max-block-size: calc(100vh - 2rem);
    background: var(--_surface);
    color: var(--_text);
    box-shadow: 0 10px 40px rgb(0 0 0 / 0.3);
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.4);
  }
  h2 {
    margin-block-start: 0;
    font-size: 1.2rem;
  }
  form,
  .fields {
    display: grid;
    gap: 0.8rem;
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
    gap: 0.8rem;
  }
  .check {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    font-weight: normal;
  }
  .check input {
    inline-size: auto;
  }
  textarea {
    font: inherit;
    inline-size: 100%;
    padding: 0.5rem 0.6rem;
    border: 1px solid #8a8f98;
    border-radius: calc(var(--_radius) / 2);
  }
  .actions {
    display: flex;
    justify-content: flex-end;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin-block-start: 1rem;
  }
  [role='alert'] {
    border-inline-start: 4px solid var(--_danger);
    padding: 0.5rem 0.75rem;
    background: var(--_alert-bg);
  }
  .notice {
    border-inline-start: 4px solid #b26a00;
    padding: 0.5rem 0.75rem;
    background: var(--_warn-bg);
  }
  .secret {
    font-family: ui-monospace, monospace;
    font-size: 1.05rem;
    user-select: all;
  }
  table {
    border-collapse: collapse;
    inline-size: 100%;
    font-size: 0.9rem;
  }
  th,
  td {
    text-align: start;
    padding: 0.3rem 0.5rem;
    border-block-end: 1px solid #d0d4da;
  }
  .scroll {
    max-block-size: 16rem;
    overflow: auto;
  }
  progress {
    inline-size: 100%;
  }
  caption {
    text-align: start;
    font-weight: 600;
    padding-block-end: 0.3rem;
  }
  .differs {
    background: var(--_warn-bg);
    font-weight: 600;
  }
  .taken {
    color: var(--_danger);
    font-weight: 600;
  }
`;
