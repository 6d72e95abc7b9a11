import type { AdminIdentity } from '../api/types.ts';

/** Outcome: an administrator signed in. */
export class EarshotAdminSignedInEvent extends Event {
  constructor(readonly admin: AdminIdentity) {
    super('earshot-admin-signed-in', { bubbles: true, composed: false });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'earshot-admin-signed-in': EarshotAdminSignedInEvent;
  }
}
