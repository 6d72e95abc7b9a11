/** Intent: log in with an extension number and password. */
export class EarshotLoginEvent extends Event {
  constructor(
    readonly extension: string,
    readonly password: string,
  ) {
    super('earshot-login', { bubbles: true, composed: false, cancelable: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'earshot-login': EarshotLoginEvent;
  }
}
