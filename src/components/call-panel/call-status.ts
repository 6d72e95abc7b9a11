import type { CallState } from '../../services/sip/call-state.ts';

/** "m:ss" (or "h:mm:ss") for a call timer. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = String(s % 60).padStart(2, '0');
  return hours ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** The status line under the caller's name. */
export function statusText(call: CallState, now: number): string {
  switch (call.status) {
    case 'dialing':
      return 'Calling…';
    case 'ringing':
      return 'Ringing…';
    case 'incoming':
      return 'Incoming call';
    case 'active':
      return `${call.held ? 'On hold · ' : ''}${formatDuration((now - (call.answeredAt ?? now)) / 1000)}`;
    case 'ended':
      return call.message ?? 'Call ended';
    default:
      return '';
  }
}
