import { EarshotCallEndedEvent } from '../events/call-ended.ts';
import type { CallState } from '../services/sip/call-state.ts';
import type { CallRecord } from '../services/storage/schema.ts';

/** The history entry for a finished call. */
export function toCallRecord(state: CallState): CallRecord {
  const end = state.endedAt ?? Date.now();
  return {
    id: state.id,
    direction: state.direction,
    number: state.remote,
    name: state.remoteName,
    startedAt: state.startedAt,
    durationSeconds: state.answeredAt ? Math.round((end - state.answeredAt) / 1000) : 0,
    outcome: state.outcome ?? 'failed',
  };
}

/** Every tab: tells the host page the call ended and has the (shared) history reloaded. */
export function announceCallEnded(host: EventTarget, state: CallState): void {
  host.dispatchEvent(toCallEndedEvent(state));
  host.dispatchEvent(new Event('earshot-history-changed'));
}

/** What the host page hears when a call ended. */
export function toCallEndedEvent(state: CallState): EarshotCallEndedEvent {
  const record = toCallRecord(state);
  return new EarshotCallEndedEvent({
    direction: record.direction,
    number: record.number,
    outcome: record.outcome,
    durationSeconds: record.durationSeconds,
    message: state.message,
  });
}
