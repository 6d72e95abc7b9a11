/** What one tab of a browser is to the shared line. */
export const TabRole = {
  /** Not part of a shared session (logged out, or not yet joined). */
  Alone: 'alone',
  /** Holds the Web Lock and the SIP registration; the other tabs mirror it. */
  Leader: 'leader',
  /** Shows the leader's state and sends it commands; takes over when the leader goes. */
  Follower: 'follower',
} as const;
export type TabRole = (typeof TabRole)[keyof typeof TabRole];

/** The SIP login a new leader needs to register again. Only ever in memory and on the channel. */
export interface TabCredentials {
  extension: string;
  password: string;
}

/**
 * Everything that travels on the BroadcastChannel (same origin only, never stored).
 * `S` is the leader's state snapshot, `C` a follower's command.
 */
export type TabMessage<S, C> =
  /** A tab that just joined asks the leader for its state. */
  | { type: 'hello' }
  /** The leader's state, after every change and in answer to hello. */
  | { type: 'state'; state: S }
  /** A follower asks the leader to do something; answered by `reply` with the same id. */
  | { type: 'command'; id: string; command: C }
  | { type: 'reply'; id: string; error: string | null; code: string | null }
  /** A follower asks for the login it needs should it become the leader. */
  | { type: 'handover' }
  | { type: 'credentials'; credentials: TabCredentials }
  /** The agent logged out on purpose: nobody takes over. */
  | { type: 'logout' }
  /**
   * A tab that registered this line while the lock was being decided, and lost it, has taken its
   * binding back: the leader registers again so Kamailio's one contact is surely the leader's.
   */
  | { type: 'rebind' };

/** Raised in a follower when the leader refused a command or never answered. */
export class TabCommandError extends Error {
  /** The leader's error code (an ApiError's `code`, e.g. wrong-current-password), when it had one. */
  readonly code: string | null;

  constructor(message: string, code: string | null = null) {
    super(message);
    this.code = code;
    this.name = 'TabCommandError';
  }
}
