import { element } from '../../internal/define.ts';
import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { EarshotAnswerEvent } from '../../events/answer.ts';
import { EarshotCallControlEvent, type CallControl } from '../../events/call-control.ts';
import { EarshotHangupEvent } from '../../events/hangup.ts';
import { checkDialString } from '../../internal/phone-number.ts';
import { qualityLevel } from '../../internal/mos.ts';
import type { CallState } from '../../services/sip/call-state.ts';
import { baseStyles } from '../styles/base.styles.ts';
import { callPanelStyles } from './call-panel.styles.ts';
import { statusText } from './call-status.ts';

const DTMF_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

/**
 * @summary The calls in progress with their controls: answer, decline, mute, hold, keypad, transfer, hang up.
 * @fires earshot-answer - Answer the ringing call.
 * @fires earshot-hangup - End, cancel or decline a call.
 * @fires earshot-call-control - Mute, hold, DTMF, blind or attended transfer.
 * @csspart base - Each call's section.
 */
@element('earshot-call-panel')
export class EarshotCallPanel extends LitElement {
  static override styles = [baseStyles, callPanelStyles];

  /** Calls in progress, oldest first. */
  @property({ attribute: false }) calls: readonly CallState[] = [];
  /** Whether this extension's calls are recorded (shows an indicator). */
  @property({ type: Boolean }) recording = false;
  /** Whether the agent may place calls (needed for an attended-transfer consultation). */
  @property({ type: Boolean, attribute: 'can-dial' }) canDial = false;
  /** Live MOS per call id. */
  @property({ attribute: false }) quality: Readonly<Record<string, number>> = {};

  @state() private keypadFor: string | null = null;
  @state() private transferError = '';
  @state() private now = Date.now();
  #ticker: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#ticker = setInterval(() => (this.now = Date.now()), 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#ticker);
  }

  #control(callId: string, control: CallControl): void {
    this.dispatchEvent(new EarshotCallControlEvent(callId, control));
  }

  #transferTarget(form: HTMLFormElement): string | null {
    const value = new FormData(form).get('target');
    const check = checkDialString(typeof value === 'string' ? value : '');
    this.transferError = check.ok ? '' : check.message;
    return check.ok ? check.number : null;
  }

  private handleTransferSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const target = this.#transferTarget(form);
    const callId = form.dataset.callId ?? '';
    const kind = (event.submitter as HTMLButtonElement | null)?.value === 'consult' ? 'consult' : 'transfer';
    if (target) this.#control(callId, { kind, target });
  }

  private renderQuality(call: CallState) {
    const mos = this.quality[call.id];
    if (call.status !== 'active' || mos === undefined) return nothing;
    const level = qualityLevel(mos);
    return html`<span class="quality" data-level=${level} title="Estimated MOS ${mos.toFixed(1)}"
      >Quality: ${level}</span
    >`;
  }

  private renderIncoming(call: CallState) {
    return html`<div class="controls">
      <button class="answer" @click=${() => this.dispatchEvent(new EarshotAnswerEvent(call.id))}>
        Answer
      </button>
      <button class="danger" @click=${() => this.dispatchEvent(new EarshotHangupEvent(call.id, true))}>
        Decline
      </button>
    </div>`;
  }

  private renderActive(call: CallState) {
    const id = call.id;
    const consulting = this.calls.length > 1;
    return html`<div class="controls">
        <button
          class="secondary"
          aria-pressed=${call.muted ? 'true' : 'false'}
          @click=${() => this.#control(id, { kind: 'mute', on: !call.muted })}
        >
          ${call.muted ? 'Unmute' : 'Mute'}
        </button>
        <button
          class="secondary"
          aria-pressed=${call.held ? 'true' : 'false'}
          @click=${() => this.#control(id, { kind: 'hold', on: !call.held })}
        >
          ${call.held ? 'Resume' : 'Hold'}
        </button>
        <button
          class="secondary"
          aria-expanded=${this.keypadFor === id ? 'true' : 'false'}
          @click=${() => (this.keypadFor = this.keypadFor === id ? null : id)}
        >
          Keypad
        </button>
        ${
          consulting && call === this.calls[0]
            ? html`<button class="secondary" @click=${() => this.#control(id, { kind: 'complete-transfer' })}>
                Complete transfer
              </button>`
            : nothing
        }
        <button class="danger" @click=${() => this.dispatchEvent(new EarshotHangupEvent(id))}>Hang up</button>
      </div>
      ${this.keypadFor === id ? this.renderDtmf(id) : nothing}
      ${consulting ? nothing : this.renderTransfer(id)}`;
  }

  private renderDtmf(callId: string) {
    return html`<div class="dtmf" role="group" aria-label="Send tones">
      ${DTMF_KEYS.map((key) => html`<button class="secondary" @click=${() => this.#control(callId, { kind: 'dtmf', tones: key })}>${key}</button>`)}
    </div>`;
  }

  private renderTransfer(callId: string) {
    return html`<form class="transfer" data-call-id=${callId} @submit=${this.handleTransferSubmit} novalidate>
        <label class="visually-hidden" for="transfer-${callId}">Transfer to</label>
        <input id="transfer-${callId}" name="target" placeholder="Transfer to…" inputmode="tel" />
        <button class="secondary" value="transfer">Transfer</button>
        ${this.canDial ? html`<button class="secondary" value="consult">Consult first</button>` : nothing}
      </form>
      <div class="error" role="status">${this.transferError}</div>`;
  }

  private renderCall(call: CallState) {
    const ringingOut = call.status === 'dialing' || call.status === 'ringing';
    return html`<section part="base" aria-label="Call with ${call.remoteName ?? call.remote}">
      <header>
        <span class="who">${call.remoteName ?? call.remote}</span>
        ${this.recording && call.status === 'active' ? html`<span class="recording">● Recording</span>` : nothing}
      </header>
      ${call.remoteName ? html`<span>${call.remote}</span>` : nothing}
      <span class="status" role="status">${statusText(call, this.now)}</span>
      ${this.renderQuality(call)}
      ${call.status === 'active' && call.message ? html`<p class="error" role="alert">${call.message}</p>` : nothing}
      ${call.status === 'incoming' ? this.renderIncoming(call) : nothing}
      ${call.status === 'active' ? this.renderActive(call) : nothing}
      ${ringingOut ? html`<button class="danger" @click=${() => this.dispatchEvent(new EarshotHangupEvent(call.id))}>Cancel</button>` : nothing}
    </section>`;
  }

  override render() {
    return html`${this.calls.map((call) => this.renderCall(call))}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'earshot-call-panel': EarshotCallPanel;
  }
}
