import { ReasonPhrase } from './reason-phrases.ts';
import { FailureReason } from './registration-state.ts';

/** Raised by a login with the reason the agent sees. */
export class LoginError extends Error {
  constructor(readonly reason: FailureReason) {
    super(messageFor(reason));
    this.name = 'LoginError';
  }
}

/** What the SIP layer knows about a failed REGISTER: JsSIP's cause and, when there was one, the response. */
export interface RegisterFailure {
  cause: string;
  statusCode?: number | undefined;
  reasonPhrase?: string | undefined;
}

export interface ExplainedFailure {
  reason: FailureReason;
  message: string;
  /** Whether trying again later, unchanged, can succeed. */
  retryable: boolean;
}

const MESSAGES: Record<FailureReason, string> = {
  'wrong-credentials': 'The extension number or password is not correct.',
  disabled: 'This extension has been disabled by your administrator.',
  'too-many-attempts': 'Too many failed login attempts from your network. Wait 15 minutes, then try again.',
  'address-not-allowed': 'This extension may not be used from your network. Ask your administrator.',
  'server-unreachable': 'The phone server cannot be reached. Earshot keeps trying.',
  'server-error': 'The phone server had a problem. Earshot keeps trying.',
  'microphone-blocked':
    'Earshot may not use your microphone. Click the camera/microphone icon in the address bar, allow the microphone, then try again.',
  'no-microphone': 'No microphone was found. Connect a headset or microphone, then try again.',
  'insecure-context': 'Earshot must be opened over https:// (or on this computer) to use the microphone.',
  'invalid-extension': 'Extension numbers have 4 to 8 digits.',
  misconfigured: 'The softphone is not set up correctly (phone server address). Ask your administrator.',
};

/** The plain-language sentence for a failure reason. */
export function messageFor(reason: FailureReason): string {
  return MESSAGES[reason];
}

const explained = (reason: FailureReason, retryable: boolean): ExplainedFailure => ({
  reason,
  message: MESSAGES[reason],
  retryable,
});

function explainForbidden(reasonPhrase: string | undefined): ExplainedFailure {
  switch (reasonPhrase) {
    case ReasonPhrase.ExtensionDisabled:
      return explained(FailureReason.Disabled, false);
    case ReasonPhrase.TooManyFailedAttempts:
      return explained(FailureReason.TooManyAttempts, false);
    case ReasonPhrase.AddressNotAllowed:
      return explained(FailureReason.AddressNotAllowed, false);
    default:
      return explained(FailureReason.WrongCredentials, false);
  }
}

/** Turns JsSIP's registrationFailed into what the agent reads and whether to retry by ourselves. */
export function explainRegisterFailure(failure: RegisterFailure): ExplainedFailure {
  const code = failure.statusCode ?? 0;
  if (code === 403) return explainForbidden(failure.reasonPhrase);
  if (code === 401 || code === 407 || failure.cause === 'Authentication Error') {
    return explained(FailureReason.WrongCredentials, false);
  }
  if (code === 404) return explained(FailureReason.WrongCredentials, false);
  if (code >= 500 || failure.cause === 'Request Timeout') return explained(FailureReason.ServerError, true);
  return explained(FailureReason.ServerUnreachable, true);
}
