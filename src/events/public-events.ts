import type { CallDirection } from '../services/sip/call-state.ts';
import type { FailureReason } from '../services/sip/registration-state.ts';

// Outcome events published to the host page (composed, so they cross the shadow root).
const published = { bubbles: true, composed: true } as const;

/** Outcome: the softphone registered (ready for calls). */
export class EarshotRegisteredEvent extends Event {
  constructor(readonly extension: string) {
    super('earshot-registered', published);
  }
}

/** Outcome: the registration ended (logout, connection lost, kicked). */
export class EarshotUnregisteredEvent extends Event {
  constructor(readonly extension: string | null) {
    super('earshot-unregistered', published);
  }
}

/** Outcome: a login or re-registration was refused; `message` is what the agent was shown. */
export class EarshotRegistrationFailedEvent extends Event {
  constructor(
    readonly reason: FailureReason,
    readonly message: string,
  ) {
    super('earshot-registration-failed', published);
  }
}

/** What the host learns about a call. */
export interface CallInfo {
  id: string;
  direction: CallDirection;
  number: string;
  name: string | null;
}

/** Outcome: a call is ringing for the agent. */
export class EarshotIncomingCallEvent extends Event {
  constructor(readonly call: CallInfo) {
    super('earshot-incoming-call', published);
  }
}

/** Outcome: a call was answered (either direction) and is now up. */
export class EarshotCallStartedEvent extends Event {
  constructor(readonly call: CallInfo) {
    super('earshot-call-started', published);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'earshot-registered': EarshotRegisteredEvent;
    'earshot-unregistered': EarshotUnregisteredEvent;
    'earshot-registration-failed': EarshotRegistrationFailedEvent;
    'earshot-incoming-call': EarshotIncomingCallEvent;
    'earshot-call-started': EarshotCallStartedEvent;
  }
}
