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
