/** Where the softphone's SIP registration stands. */
export const RegistrationStatus = {
  LoggedOut: 'logged-out',
  Connecting: 'connecting',
  Registered: 'registered',
  /** The WebSocket dropped after a successful login; JsSIP is reconnecting by itself. */
  Reconnecting: 'reconnecting',
  /** Waiting for the next automatic attempt (server unreachable, or a 5xx/timeout on REGISTER). */
  RetryScheduled: 'retry-scheduled',
  Failed: 'failed',
} as const;
export type RegistrationStatus = (typeof RegistrationStatus)[keyof typeof RegistrationStatus];

/** Why a login or registration failed, in terms an agent can act on. */
export const FailureReason = {
  WrongCredentials: 'wrong-credentials',
  Disabled: 'disabled',
  TooManyAttempts: 'too-many-attempts',
  AddressNotAllowed: 'address-not-allowed',
  ServerUnreachable: 'server-unreachable',
  ServerError: 'server-error',
  MicrophoneBlocked: 'microphone-blocked',
  NoMicrophone: 'no-microphone',
  InsecureContext: 'insecure-context',
  InvalidExtension: 'invalid-extension',
  Misconfigured: 'misconfigured',
} as const;
export type FailureReason = (typeof FailureReason)[keyof typeof FailureReason];

export interface RegistrationState {
  status: RegistrationStatus;
  extension: string | null;
  /** Set when status is Failed or RetryScheduled. */
  reason?: FailureReason;
  /** A plain-language sentence for the agent (never a bare SIP code). */
  message?: string;
  /** When the next automatic attempt happens (epoch ms), for a countdown. */
  retryAt?: number;
}

export const LOGGED_OUT: RegistrationState = { status: RegistrationStatus.LoggedOut, extension: null };
