import { LitElement, html, type TemplateResult } from 'lit';
import { query } from 'lit/decorators.js';
import { baseStyles } from '../../../components/styles/base.styles.ts';
import { dialogStyles } from './dialog.styles.ts';

const FOCUSABLE =
  'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

/** The element that has focus, looking into open shadow roots. */
function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

/**
 * Base of the console's dialogs: a native modal <dialog> (the page behind is inert), Tab kept
 * inside, the first field focused on open and focus given back to the opener on close.
 */
export abstract class AdminDialog extends LitElement {
  static override styles = [baseStyles, dialogStyles];

  @query('dialog') protected dialog!: HTMLDialogElement;

  #opener: HTMLElement | null = null;
  #finished = true;

  /** Whether the dialog is showing. */
  get isOpen(): boolean {
    return this.dialog.open;
  }

  /** Shows the dialog modally and focuses its first field. */
  protected async show(): Promise<void> {
    this.#opener = deepActiveElement();
    await this.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
    this.#finished = false;
    this.focusFirst();
  }

  /** Focuses the `[data-autofocus]` control, or the first focusable one. */
  protected focusFirst(): void {
    const target =
      this.dialog.querySelector<HTMLElement>('[data-autofocus]') ?? this.#focusable()[0] ?? this.dialog;
    target.focus();
  }

  /** Closes the dialog (focus returns to whatever opened it). */
  close(): void {
    if (this.dialog.open) this.dialog.close();
    this.#finish();
  }

  // The close event comes a task later: a quick close-then-reopen must not close the new one.
  #finish(): void {
    if (this.#finished || this.dialog.open) return;
    this.#finished = true;
    this.closed();
    this.#opener?.focus();
    this.#opener = null;
  }

  #focusable(): HTMLElement[] {
    return [...this.dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
      (el) => el.offsetParent !== null || el === document.activeElement,
    );
  }

  private readonly handleKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Tab') return;
    const items = this.#focusable();
    const first = items[0];
    const last = items[items.length - 1];
    const active = this.shadowRoot?.activeElement;
    if (!first || !last) return;
    if (event.shiftKey && active === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  };

  private readonly handleClose = (): void => {
    this.#finish();
  };

  /** Called after the dialog closed (Escape, a Cancel button or `close()`). */
  protected closed(): void {
    // Subclasses reset their state here.
  }

  /** The dialog frame: heading, body and a row of actions. */
  protected frame(title: string, body: unknown, actions: TemplateResult): TemplateResult {
    return html`<dialog
      part="base"
      aria-labelledby="title"
      @keydown=${this.handleKeydown}
      @close=${this.handleClose}
    >
      <h2 id="title">${title}</h2>
      ${body}
      <div class="actions">${actions}</div>
    </dialog>`;
  }
}
