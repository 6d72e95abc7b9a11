/** Intent: call a number. */
export class EarshotDialEvent extends Event {
  constructor(readonly number: string) {
    super('earshot-dial', { bubbles: true, composed: false, cancelable: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'earshot-dial': EarshotDialEvent;
  }
}
