import { css } from 'lit';

export const passwordFormStyles = css`
  form {
    display: grid;
    gap: 0.8rem;
    max-inline-size: 28rem;
  }
  .row {
    display: flex;
    gap: 0.4rem;
  }
  .row input {
    flex: 1;
  }
  meter {
    inline-size: 100%;
  }
  .success {
    color: var(--_ok);
  }
  .reminder {
    background: var(--_warn-bg);
    border-inline-start: 4px solid #c79100;
    padding: 0.5rem 0.75rem;
  }
`;
