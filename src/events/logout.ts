/** Intent: log out (unregister and close the account session). */
export class EarshotLogoutEvent extends Event {
  constructor() {
    super('earshot-logout', { bubbles: true, composed: false, cancelable: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'earshot-logout': EarshotLogoutEvent;
  }
}
