import { css } from 'lit';

export const adminLoginStyles = css`
  form {
    display: grid;
    gap: 0.9rem;
    max-inline-size: 22rem;
  }
  h2 {
    font-size: 1.2rem;
    margin: 0;
  }
  .password {
    display: flex;
    gap: 0.4rem;
  }
  .password input {
    flex: 1;
  }
  [role='alert'] {
    border-inline-start: 4px solid var(--_danger);
    padding: 0.5rem 0.75rem;
    background: var(--_alert-bg);
    margin: 0;
  }
`;
