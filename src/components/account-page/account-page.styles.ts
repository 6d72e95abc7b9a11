import { css } from 'lit';

export const accountPageStyles = css`
  :host {
    display: block;
  }
  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.35rem 1rem;
    margin: 0 0 1rem;
  }
  dt {
    font-weight: 600;
  }
  dd {
    margin: 0;
  }
  .devices {
    display: grid;
    gap: 0.75rem;
  }
  .device {
    border: 1px solid #d0d4da;
    border-radius: var(--_radius);
    padding: 0.6rem 0.8rem;
  }
  .yes {
    color: var(--_ok);
    font-weight: 600;
  }
  .no {
    color: var(--_danger);
    font-weight: 600;
  }
  header {
    display: flex;
    justify-content: space-between;
    align-items: center;
  }
`;
