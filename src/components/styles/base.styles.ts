import { css } from 'lit';

/** Tokens and form basics every Earshot element shares; public knobs are --earshot-* properties. */
export const baseStyles = css`
  :host {
    --_accent: var(--earshot-accent-color, #0b63ce);
    --_danger: var(--earshot-danger-color, #b3261e);
    --_ok: var(--earshot-success-color, #1e7d32);
    --_surface: var(--earshot-surface-color, #ffffff);
    --_text: var(--earshot-text-color, #1b1b1f);
    --_muted: var(--earshot-muted-color, #5f6368);
    --_radius: var(--earshot-radius, 8px);
    --_subtle: var(--earshot-subtle-background, #eef2f8);
    --_alert-bg: var(--earshot-alert-background, #fdecea);
    --_on-accent: var(--earshot-on-accent-color, #ffffff);
    --_warn-bg: var(--earshot-warning-background, #fff8e1);
    --_font: var(--earshot-font-family, system-ui, sans-serif);
    font-family: var(--_font);
    color: var(--_text);
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  label {
    display: block;
    font-weight: 600;
    margin-block-end: 0.25rem;
  }
  input,
  select {
    font: inherit;
    padding: 0.5rem 0.6rem;
    border: 1px solid #8a8f98;
    border-radius: calc(var(--_radius) / 2);
    inline-size: 100%;
    background: var(--_surface);
    color: var(--_text);
  }
  button {
    font: inherit;
    cursor: pointer;
    border-radius: calc(var(--_radius) / 2);
    border: 1px solid transparent;
    padding: 0.5rem 0.9rem;
    background: var(--_accent);
    color: var(--_on-accent);
  }
  button.secondary {
    background: transparent;
    color: var(--_accent);
    border-color: currentColor;
  }
  button.danger {
    background: var(--_danger);
  }
  button:disabled {
    opacity: 0.55;
    cursor: default;
  }
  :focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  .error {
    color: var(--_danger);
  }
  .hint {
    color: var(--_muted);
    font-size: 0.875rem;
  }
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
