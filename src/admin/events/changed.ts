import type { AdminExtension } from '../api/types.ts';

/** Outcome: extensions were created, changed or deleted; `message` says what, in plain words. */
export class EarshotAdminChangedEvent extends Event {
  constructor(
    readonly message: string,
    readonly extension?: AdminExtension,
  ) {
    super('earshot-admin-changed', { bubbles: true, composed: false });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'earshot-admin-changed': EarshotAdminChangedEvent;
  }
}
