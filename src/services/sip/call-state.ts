import { ReasonPhrase } from './reason-phrases.ts';

/** Where the current call stands. */
export const CallStatus = {
  Idle: 'idle',
  /** Outgoing: INVITE sent, waiting for the callee (ringing feedback once 180 arrives). */
  Dialing: 'dialing',
  Ringing: 'ringing',
  /** Incoming: the agent's phone is ringing. */
  Incoming: 'incoming',
  Active: 'active',
  Ended: 'ended',
} as const;
export type CallStatus = (typeof CallStatus)[keyof typeof CallStatus];

export const CallDirection = { Outgoing: 'outgoing', Incoming: 'incoming' } as const;
export type CallDirection = (typeof CallDirection)[keyof typeof CallDirection];

/** How a call ended, as the call history and the agent see it. */
export const CallOutcome = {
  Completed: 'completed',
  Canceled: 'canceled',
  Missed: 'missed',
  Rejected: 'rejected',
  Busy: 'busy',
  NoAnswer: 'no-answer',
  NotFound: 'not-found',
  Unavailable: 'unavailable',
  DialingNotAllowed: 'dialing-not-allowed',
  NoOutsideCalls: 'no-outside-calls',
  /** The media relay for desk phones and outside lines is down. */
  NoMediaRelay: 'no-media-relay',
  Failed: 'failed',
} as const;
export type CallOutcome = (typeof CallOutcome)[keyof typeof CallOutcome];

export interface CallState {
  status: CallStatus;
  id: string;
  direction: CallDirection;
  /** The other party's number (user part). */
  remote: string;
  /** Display name the other side sent, if any. */
  remoteName: string | null;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  muted: boolean;
  held: boolean;
  outcome: CallOutcome | null;
  /** Plain-language reason when the call did not complete normally. */
  message: string | null;
}

const OUTCOME_MESSAGES: Record<CallOutcome, string | null> = {
  completed: null,
  canceled: 'Call canceled.',
  missed: 'Missed call.',
  rejected: 'The other party declined the call.',
  busy: 'The number is busy.',
  'no-answer': 'No answer.',
  'not-found': 'That number does not exist.',
  unavailable: 'The person you called is not available right now.',
  'dialing-not-allowed': 'Your extension is not allowed to place calls. Ask your administrator.',
  'no-outside-calls': `${ReasonPhrase.NoOutsideCalls}.`,
  'no-media-relay':
    'Calls with desk phones and outside lines are not working right now. Tell your administrator.',
  failed: 'The call could not be connected.',
};

/** The plain-language sentence for an outcome (null for a normal end). */
export function outcomeMessage(outcome: CallOutcome): string | null {
  return OUTCOME_MESSAGES[outcome];
}

/** What JsSIP tells us when a call ends before or after it was answered. */
export interface EndInfo {
  cause: string;
  originator: 'local' | 'remote' | 'system';
  statusCode?: number | undefined;
  reasonPhrase?: string | undefined;
  answered: boolean;
  direction: CallDirection;
}

function outcomeOfStatus(code: number, reasonPhrase: string | undefined): CallOutcome | null {
  if (code === 403 && reasonPhrase === ReasonPhrase.ManualDialingNotAllowed)
    return CallOutcome.DialingNotAllowed;
  if (code === 503 && reasonPhrase === ReasonPhrase.NoOutsideCalls) return CallOutcome.NoOutsideCalls;
  if (code === 503 && reasonPhrase === ReasonPhrase.MediaRelayUnavailable) return CallOutcome.NoMediaRelay;
  if (code === 486 || code === 600) return CallOutcome.Busy;
  if (code === 603) return CallOutcome.Rejected;
  if (code === 404 || code === 484 || code === 604) return CallOutcome.NotFound;
  if (code === 480) return CallOutcome.Unavailable;
  if (code === 408) return CallOutcome.NoAnswer;
  return null;
}

const CAUSE_OUTCOMES: Record<string, CallOutcome> = {
  Busy: CallOutcome.Busy,
  Rejected: CallOutcome.Rejected,
  'Not Found': CallOutcome.NotFound,
  Unavailable: CallOutcome.Unavailable,
  'No Answer': CallOutcome.NoAnswer,
  'Request Timeout': CallOutcome.NoAnswer,
};

/** Classifies a finished call (JsSIP `ended` or `failed`) into an outcome. */
export function classifyEnd(info: EndInfo): CallOutcome {
  if (info.answered) return CallOutcome.Completed;
  if (info.cause === 'Canceled') {
    return info.direction === CallDirection.Incoming && info.originator === 'remote'
      ? CallOutcome.Missed
      : CallOutcome.Canceled;
  }
  if (info.direction === CallDirection.Incoming) {
    return info.originator === 'local' ? CallOutcome.Rejected : CallOutcome.Missed;
  }
  const byStatus = info.statusCode ? outcomeOfStatus(info.statusCode, info.reasonPhrase) : null;
  return byStatus ?? CAUSE_OUTCOMES[info.cause] ?? CallOutcome.Failed;
}
