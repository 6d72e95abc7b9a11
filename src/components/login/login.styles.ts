import { css } from 'lit';

export const loginStyles = css`
  form {
    display: grid;
    gap: 0.9rem;
    max-inline-size: 22rem;
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
  }
  .retry {
    display: flex;
    align-items: center;
    gap: 0.5rem;
  }
`;
