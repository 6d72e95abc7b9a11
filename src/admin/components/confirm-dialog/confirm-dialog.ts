import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { element } from '../../../internal/define.ts';
import { AdminDialog } from '../dialog/admin-dialog.ts';

/** What a confirmation asks. */
export interface ConfirmOptions {
  title: string;
  message: string;
  /** A warning shown under the message (e.g. devices to update). */
  notice?: string;
  confirmLabel: string;
  danger?: boolean;
}

/**
 * @summary A yes/no question in a modal dialog; `ask()` resolves true only on the confirm button.
 * @csspart base - The dialog.
 */
@element('earshot-admin-confirm')
export class EarshotAdminConfirm extends AdminDialog {
  @state() private options: ConfirmOptions | null = null;

  #resolve: ((ok: boolean) => void) | null = null;

  protected override closed(): void {
    this.#resolve?.(false);
    this.#resolve = null;
  }

  private readonly handleConfirmClick = (): void => {
    this.#resolve?.(true);
    this.#resolve = null;
    this.close();
  };

  /** Opens the question; resolves when it is answered or dismissed. */
  async ask(options: ConfirmOptions): Promise<boolean> {
    this.options = options;
    const answer = new Promise<boolean>((resolve) => (this.#resolve = resolve));
    await this.show();
    return answer;
  }

  override render() {
    const o = this.options;
    return this.frame(
      o?.title ?? '',
      html`<p>${o?.message}</p>
        ${o?.notice ? html`<p class="notice">${o.notice}</p>` : nothing}`,
      html`<button type="button" class="secondary" data-autofocus @click=${() => this.close()}>Cancel</button>
        <button type="button" class=${o?.danger ? 'danger' : ''} @click=${this.handleConfirmClick}>
          ${o?.confirmLabel}
        </button>`,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'earshot-admin-confirm': EarshotAdminConfirm;
  }
}
