import { html } from 'lit';
import { TABS, type Tab } from './labels.ts';

/** The full layout's tab buttons; `onSelect` gets the click (the button carries `data-tab`). */
export function tabList(selected: Tab, onSelect: (event: Event) => void) {
  return html`<div role="tablist" aria-label="Softphone">
    ${TABS.map(
      ([id, label]) =>
        html`<button
          role="tab"
          id="tab-${id}"
          data-tab=${id}
          aria-controls="panel"
          aria-selected=${selected === id ? 'true' : 'false'}
          @click=${onSelect}
        >
          ${label}
        </button>`,
    )}
  </div>`;
}
