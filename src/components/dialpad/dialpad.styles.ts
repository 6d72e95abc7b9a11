import { css } from 'lit';

export const dialpadStyles = css`
  :host {
    display: block;
  }
  .number {
    display: flex;
    gap: 0.4rem;
  }
  .number input {
    flex: 1;
    font-size: 1.4rem;
    letter-spacing: 0.05em;
  }
  .keys {
    display: grid;
    grid-template-columns: repeat(3, 1fr);
    gap: 0.5rem;
    margin-block: 0.75rem;
  }
  .keys button {
    font-size: 1.25rem;
    padding: 0.7rem 0;
    background: var(--_subtle);
    color: var(--_text);
  }
  .keys small {
    display: block;
    font-size: 0.65rem;
    color: var(--_muted);
    letter-spacing: 0.1em;
  }
  .actions {
    display: flex;
    gap: 0.5rem;
  }
  .actions button[type='submit'] {
    flex: 1;
    background: var(--_ok);
  }
`;
