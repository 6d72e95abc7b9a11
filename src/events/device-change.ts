/** Intent: use another microphone or speaker (null = the system default). */
export class EarshotDeviceChangeEvent extends Event {
  constructor(
    readonly kind: 'microphone' | 'speaker',
    readonly deviceId: string | null,
  ) {
    super('earshot-device-change', { bubbles: true, composed: false, cancelable: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'earshot-device-change': EarshotDeviceChangeEvent;
  }
}
