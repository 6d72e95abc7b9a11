import type { RegistrationStatus } from '../../services/sip/registration-state.ts';

/** The status bar's words for each registration status. */
export const STATUS_LABEL: Record<RegistrationStatus, string> = {
  'logged-out': 'Logged out',
  connecting: 'Connecting…',
  registered: 'Ready',
  reconnecting: 'Reconnecting…',
  'retry-scheduled': 'Trying again soon…',
  failed: 'Not connected',
};

export type Tab = 'phone' | 'history' | 'account';

/** The tabs of the full layout. */
export const TABS: readonly (readonly [Tab, string])[] = [
  ['phone', 'Phone'],
  ['history', 'History'],
  ['account', 'My account'],
];
