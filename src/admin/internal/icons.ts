// Inline SVG icons (stroke icons on a 24-unit grid, coloured by currentColor): no icon font or
// emoji the agent's system may lack. Decorative: the buttons carry the accessible names.
import { html, svg, type TemplateResult } from 'lit';

const icon = (paths: TemplateResult): TemplateResult =>
  html`<svg
    viewBox="0 0 24 24"
    width="16"
    height="16"
    fill="none"
    stroke="currentColor"
    stroke-width="2"
    stroke-linecap="round"
    stroke-linejoin="round"
    aria-hidden="true"
    focusable="false"
  >
    ${paths}
  </svg>`;

/** Show the secret. */
export const eyeIcon = icon(
  svg`<path d="M1 12s4-7 11-7 11 7 11 7-4 7-11 7S1 12 1 12z" /><circle cx="12" cy="12" r="3" />`,
);
/** Hide the secret. */
export const eyeOffIcon = icon(
  svg`<path d="M17.9 17.9A10.4 10.4 0 0 1 12 19c-7 0-11-7-11-7a19 19 0 0 1 5.1-5.9M9.9 5.2A9.7 9.7 0 0 1 12 5c7 0 11 7 11 7a19 19 0 0 1-2.2 3.2" /><path d="M1 1l22 22" />`,
);
/** Copy to the clipboard. */
export const copyIcon = icon(
  svg`<rect x="9" y="9" width="13" height="13" rx="2" /><path d="M5 15H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h9a2 2 0 0 1 2 2v1" />`,
);
/** Generate a new one. */
export const regenerateIcon = icon(
  svg`<path d="M23 4v6h-6M1 20v-6h6" /><path d="M3.5 9a9 9 0 0 1 14.9-3.4L23 10M1 14l4.6 4.4A9 9 0 0 0 20.5 15" />`,
);
