import { css } from 'lit';

export const callPanelStyles = css`
  :host {
    display: block;
  }
  section {
    border: 1px solid #d0d4da;
    border-radius: var(--_radius);
    padding: 0.9rem;
    display: grid;
    gap: 0.6rem;
  }
  section + section {
    margin-block-start: 0.75rem;
  }
  header {
    display: flex;
    justify-content: space-between;
    align-items: baseline;
    gap: 0.5rem;
  }
  .who {
    font-size: 1.25rem;
    font-weight: 700;
  }
  .status {
    color: var(--_muted);
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem;
  }
  .answer {
    background: var(--_ok);
  }
  .recording {
    color: var(--_danger);
    font-weight: 600;
  }
  .quality[data-level='good'] {
    color: var(--_ok);
  }
  .quality[data-level='fair'] {
    color: #8a5a00;
  }
  .quality[data-level='poor'] {
    color: var(--_danger);
  }
  .dtmf {
    display: grid;
    grid-template-columns: repeat(6, 1fr);
    gap: 0.3rem;
  }
  .transfer {
    display: flex;
    gap: 0.4rem;
  }
`;
