import { css } from 'lit';

export const softphoneStyles = css`
  /* Dark theme sets the public properties, so inner elements follow and a host page's own
     --earshot-* values (outer styles beat :host rules) still win. */
  :host([theme='dark']) {
    --earshot-surface-color: #1e1f24;
    --earshot-text-color: #e8eaed;
    --earshot-muted-color: #a8adb4;
    --earshot-accent-color: #7cacf8;
    --earshot-success-color: #81c995;
    --earshot-danger-color: #f28b82;
    --earshot-subtle-background: #2d2f36;
    --earshot-alert-background: #3c2a2a;
    --earshot-warning-background: #3a3320;
    --earshot-on-accent-color: #10131a;
    color-scheme: dark;
  }
  :host {
    display: block;
    background: var(--_surface);
    border-radius: var(--_radius);
    padding: var(--earshot-softphone-padding, 1rem);
    max-inline-size: var(--earshot-softphone-max-width, 32rem);
  }
  .bar {
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: 0.5rem;
    margin-block-end: 0.75rem;
  }
  .state {
    font-weight: 600;
  }
  .state[data-status='registered'] {
    color: var(--_ok);
  }
  .state[data-status='reconnecting'],
  .state[data-status='retry-scheduled'] {
    color: #8a5a00;
  }
  [role='tablist'] {
    display: flex;
    gap: 0.25rem;
    border-block-end: 1px solid #d0d4da;
    margin-block-end: 0.75rem;
  }
  [role='tab'] {
    background: transparent;
    color: var(--_text);
    border-radius: 0;
    border-block-end: 3px solid transparent;
  }
  [role='tab'][aria-selected='true'] {
    border-block-end-color: var(--_accent);
    color: var(--_accent);
  }
  .connecting {
    color: var(--_muted);
  }
  .notice {
    background: var(--_subtle);
    padding: 0.6rem 0.8rem;
    border-radius: calc(var(--_radius) / 2);
  }
  .sound {
    background: var(--_warn-bg);
    padding: 0.6rem 0.8rem;
    margin-block-end: 0.75rem;
  }
  .devices {
    margin-block-start: 1rem;
  }
  .devices summary {
    cursor: pointer;
    color: var(--_muted);
  }
  earshot-call-panel {
    margin-block-end: 0.75rem;
  }
`;
