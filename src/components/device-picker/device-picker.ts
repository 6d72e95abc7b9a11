import { element } from '../../internal/define.ts';
import { consume } from '@lit/context';
import { Task } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';

import { mediaContext } from '../../contexts/services.ts';
import { EarshotDeviceChangeEvent } from '../../events/device-change.ts';
import type { AudioDevice, MediaService } from '../../services/media/media-service.ts';
import { baseStyles } from '../styles/base.styles.ts';

/**
 * @summary Microphone and speaker choice; a change applies to the call in progress too.
 * @fires earshot-device-change - The agent picked another microphone or speaker.
 * @csspart base - The wrapper.
 */
@element('earshot-device-picker')
export class EarshotDevicePicker extends LitElement {
  static override styles = [
    baseStyles,
    css`
      .grid {
        display: grid;
        gap: 0.6rem;
      }
    `,
  ];

  @consume({ context: mediaContext, subscribe: true }) private media?: MediaService;

  private readonly devices = new Task(this, {
    task: async ([media]) => (media ? media.devices() : { microphones: [], speakers: [] }),
    args: () => [this.media] as const,
  });

  override connectedCallback(): void {
    super.connectedCallback();
    navigator.mediaDevices.addEventListener('devicechange', this.handleDeviceChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    navigator.mediaDevices.removeEventListener('devicechange', this.handleDeviceChange);
  }

  private readonly handleDeviceChange = (): void => {
    void this.devices.run();
  };

  private handleSelectChange(event: Event): void {
    const select = event.target as HTMLSelectElement;
    const kind = select.name === 'speaker' ? 'speaker' : 'microphone';
    this.dispatchEvent(new EarshotDeviceChangeEvent(kind, select.value || null));
  }

  private renderSelect(
    name: 'microphone' | 'speaker',
    label: string,
    devices: readonly AudioDevice[],
    selected: string | null,
  ) {
    return html`<div>
      <label for=${name}>${label}</label>
      <select id=${name} name=${name} @change=${this.handleSelectChange}>
        <option value="" ?selected=${!selected}>System default</option>
        ${devices
          .filter((d) => d.id !== 'default')
          .map((d) => html`<option value=${d.id} ?selected=${d.id === selected}>${d.label}</option>`)}
      </select>
    </div>`;
  }

  override render() {
    const selection = this.media?.selection ?? { microphoneId: null, speakerId: null };
    return html`<div part="base" class="grid">
      ${this.devices.render({
        complete: ({ microphones, speakers }) => html`
          ${this.renderSelect('microphone', 'Microphone', microphones, selection.microphoneId)}
          ${
            this.media?.canChooseSpeaker
              ? this.renderSelect('speaker', 'Speaker', speakers, selection.speakerId)
              : html`<p class="hint">This browser plays calls on the system's default speaker.</p>`
          }
        `,
        error: () => html`<p class="error" role="alert">The audio devices could not be listed.</p>`,
        pending: () => nothing,
      })}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'earshot-device-picker': EarshotDevicePicker;
  }
}
