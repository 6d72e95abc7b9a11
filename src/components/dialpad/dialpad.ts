import { element } from '../../internal/define.ts';
import { LitElement, html } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { EarshotDialEvent } from '../../events/dial.ts';
import { checkDialString, normalizeDialString } from '../../internal/phone-number.ts';
import { baseStyles } from '../styles/base.styles.ts';
import { dialpadStyles } from './dialpad.styles.ts';
import { KEYPAD } from './keys.ts';

/**
 * @summary Number entry with a keypad, paste normalisation, backspace and redial.
 * @fires earshot-dial - The agent asked to call a valid number.
 * @csspart base - The form.
 */
@element('earshot-dialpad')
export class EarshotDialpad extends LitElement {
  static override styles = [baseStyles, dialpadStyles];

  /** The last number dialed, for redial. */
  @property({ attribute: 'last-number' }) lastNumber = '';

  /** Disables dialing (e.g. while not registered). */
  @property({ type: Boolean }) disabled = false;

  @state() private value = '';
  @state() private error = '';
  @query('input') private input!: HTMLInputElement;

  private handleInput(): void {
    this.value = this.input.value;
    this.error = '';
  }

  private handlePaste(event: ClipboardEvent): void {
    const text = event.clipboardData?.getData('text') ?? '';
    event.preventDefault();
    this.value = normalizeDialString(this.value + text);
    this.error = '';
  }

  private handleKeyClick(event: Event): void {
    const key = (event.currentTarget as HTMLButtonElement).dataset.key ?? '';
    this.value += key;
    this.error = '';
    this.input.focus();
  }

  private handleBackspaceClick(): void {
    this.value = this.value.slice(0, -1);
    this.input.focus();
  }

  private handleRedialClick(): void {
    this.value = this.lastNumber;
    this.dial();
  }

  private handleSubmit(event: SubmitEvent): void {
    event.preventDefault();
    this.dial();
  }

  /** Validates and dials what is in the field. */
  dial(): void {
    const check = checkDialString(this.value);
    if (!check.ok) {
      this.error = check.message;
      return;
    }
    this.value = check.number;
    this.dispatchEvent(new EarshotDialEvent(check.number));
  }

  override render() {
    return html`<form part="base" @submit=${this.handleSubmit} novalidate>
      <label for="number">Number to call</label>
      <div class="number">
        <input
          id="number"
          name="number"
          .value=${this.value}
          inputmode="tel"
          autocomplete="off"
          aria-invalid=${this.error ? 'true' : 'false'}
          aria-describedby="dial-error"
          @input=${this.handleInput}
          @paste=${this.handlePaste}
        />
        <button
          type="button"
          class="secondary"
          aria-label="Delete last digit"
          @click=${this.handleBackspaceClick}
        >
          ⌫
        </button>
      </div>
      <div id="dial-error" class="error" role="status">${this.error}</div>
      <div class="keys">
        ${KEYPAD.map(
          ({ key, letters }) =>
            html`<button type="button" data-key=${key} @click=${this.handleKeyClick}>
              ${key}<small aria-hidden="true">${letters || '\u00a0'}</small>
            </button>`,
        )}
      </div>
      <div class="actions">
        <button type="submit" ?disabled=${this.disabled}>Call</button>
        <button
          type="button"
          class="secondary"
          ?disabled=${this.disabled || !this.lastNumber}
          @click=${this.handleRedialClick}
        >
          Redial
        </button>
      </div>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'earshot-dialpad': EarshotDialpad;
  }
}
