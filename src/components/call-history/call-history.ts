import { element } from '../../internal/define.ts';
import { LitElement, css, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { EarshotDialEvent } from '../../events/dial.ts';
import type { CallRecord } from '../../services/storage/schema.ts';
import { formatDuration } from '../call-panel/call-status.ts';
import { baseStyles } from '../styles/base.styles.ts';

const OUTCOME_LABEL: Record<CallRecord['outcome'], string> = {
  completed: 'Completed',
  canceled: 'Canceled',
  missed: 'Missed',
  rejected: 'Declined',
  busy: 'Busy',
  'no-answer': 'No answer',
  'not-found': 'Number not found',
  unavailable: 'Unavailable',
  'dialing-not-allowed': 'Not allowed',
  'no-outside-calls': 'No outside line',
  'no-media-relay': 'Failed',
  failed: 'Failed',
};

/**
 * @summary The call history, newest first; click to redial when dialing is allowed.
 * @fires earshot-dial - Redial a number from the history.
 * @fires earshot-clear-history - The agent asked to delete the history.
 * @csspart base - The list.
 */
@element('earshot-call-history')
export class EarshotCallHistory extends LitElement {
  static override styles = [
    baseStyles,
    css`
      ol {
        list-style: none;
        padding: 0;
        margin: 0;
      }
      li {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: 0.1rem 0.75rem;
        padding: 0.5rem 0;
        border-block-end: 1px solid #e3e6ea;
      }
      .meta {
        color: var(--_muted);
        font-size: 0.875rem;
      }
      .missed {
        color: var(--_danger);
      }
    `,
  ];

  /** The calls to list, newest first. */
  @property({ attribute: false }) records: readonly CallRecord[] = [];
  /** Whether clicking a number redials it. */
  @property({ type: Boolean, attribute: 'can-dial' }) canDial = false;

  private handleClearClick(): void {
    this.dispatchEvent(new Event('earshot-clear-history', { bubbles: true, cancelable: true }));
  }

  private renderRecord(record: CallRecord) {
    const when = new Date(record.startedAt).toLocaleString();
    const arrow = record.direction === 'incoming' ? '↙ Incoming' : '↗ Outgoing';
    const who = record.name ? `${record.name} (${record.number})` : record.number;
    return html`<li>
      <span class=${record.outcome === 'missed' ? 'missed' : ''}>${who}</span>
      ${
        this.canDial
          ? html`<button
              class="secondary"
              aria-label="Call ${record.number}"
              @click=${() => this.dispatchEvent(new EarshotDialEvent(record.number))}
            >
              Call
            </button>`
          : html`<span></span>`
      }
      <span class="meta"
        >${arrow} · ${when} ·
        ${OUTCOME_LABEL[record.outcome]}${record.durationSeconds ? ` · ${formatDuration(record.durationSeconds)}` : ''}</span
      >
    </li>`;
  }

  override render() {
    if (this.records.length === 0) return html`<p class="hint">No calls yet.</p>`;
    return html`<ol part="base" aria-label="Call history">
        ${this.records.map((r) => this.renderRecord(r))}
      </ol>
      ${this.records.length ? html`<button class="secondary" @click=${this.handleClearClick}>Clear history</button>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'earshot-call-history': EarshotCallHistory;
  }
}
