import type { CallDirection, CallOutcome } from '../services/sip/call-state.ts';

/** What the host page learns when a call ends. */
export interface CallEndedDetail {
  direction: CallDirection;
  number: string;
  outcome: CallOutcome;
  /** Seconds of conversation (0 when never answered). */
  durationSeconds: number;
  /** Plain-language reason when the call did not complete normally. */
  message: string | null;
}

/** Outcome: a call ended. Published to the host page (composed). */
export class EarshotCallEndedEvent extends Event {
  constructor(readonly detail: CallEndedDetail) {
    super('earshot-call-ended', { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'earshot-call-ended': EarshotCallEndedEvent;
  }
}
