import { css } from 'lit';

export const consoleStyles = css`
  :host {
    display: block;
  }
  header {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    align-items: center;
    gap: 0.75rem;
    margin-block-end: 1rem;
  }
  nav ol {
    display: flex;
    gap: 0.4rem;
    list-style: none;
    margin: 0;
    padding: 0;
    color: var(--_muted);
  }
  nav li + li::before {
    content: '›';
    margin-inline-end: 0.4rem;
  }
  nav [aria-current='page'] {
    color: var(--_text);
    font-weight: 600;
  }
  .who {
    display: flex;
    align-items: center;
    gap: 0.75rem;
  }
`;
