/** Intent: end, cancel or decline a call. */
export class EarshotHangupEvent extends Event {
  constructor(
    readonly callId: string,
    readonly decline = false,
  ) {
    super('earshot-hangup', { bubbles: true, composed: false, cancelable: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'earshot-hangup': EarshotHangupEvent;
  }
}
