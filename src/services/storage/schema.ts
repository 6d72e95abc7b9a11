import type { DBSchema } from 'idb';
import type { CallDirection, CallOutcome } from '../sip/call-state.ts';

/** One finished call as the history list shows it. */
export interface CallRecord {
  id: string;
  direction: CallDirection;
  number: string;
  name: string | null;
  startedAt: number;
  /** Seconds of conversation (0 when never answered). */
  durationSeconds: number;
  outcome: CallOutcome;
}

/** Per-browser preferences. Never a password: that lives in memory only. */
export interface Preferences {
  extension: string | null;
  microphoneId: string | null;
  speakerId: string | null;
}

export interface EarshotDb extends DBSchema {
  preferences: { key: string; value: Preferences };
  calls: { key: string; value: CallRecord; indexes: { startedAt: number } };
}

export const DB_NAME = 'earshot';
export const DB_VERSION = 1;
