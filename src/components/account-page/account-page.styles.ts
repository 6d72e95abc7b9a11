import { css } from 'lit';

/** A yes/no value: `.yes` in the OK colour, `.no` in the danger colour (also used by the admin console). */
export const yesNoStyles = css`
  .yes {
    color: var(--_ok);
    font-weight: 600;
  }
  .no {
    color: var(--_danger);
    font-weight: 600;
  }
`;

const pageStyles = css`
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
  header {
    display: flex;
    justify-content: space-between;
    align-items: center;
  }
`;

export const accountPageStyles = [pageStyles, yesNoStyles];
