import type { CallControl } from '../events/call-control.ts';
import type { Me } from '../services/account-api/types.ts';
import type { CallState } from '../services/sip/call-state.ts';
import {
  LOGGED_OUT,
  RegistrationStatus,
  type RegistrationState,
} from '../services/sip/registration-state.ts';

/** Everything a tab shows about the line: the leader's own view, and what it sends the other tabs. */
export interface PhoneSnapshot {
  registration: RegistrationState;
  /** The logged-in view (registered at least once since login). */
  active: boolean;
  calls: CallState[];
  /** The last call that ended, in its final state (tells other tabs to publish it and reload history). */
  ended: CallState | null;
  me: Me | null;
  meError: string | null;
}

/** What a follower tab asks the leader to do. */
export type PhoneCommand =
  | { kind: 'answer'; callId: string }
  | { kind: 'hangup'; callId: string; decline: boolean }
  | { kind: 'dial'; number: string }
  | { kind: 'control'; callId: string; control: CallControl }
  | { kind: 'rename'; callId: string; name: string }
  | { kind: 'device'; device: 'microphone' | 'speaker'; deviceId: string | null }
  | { kind: 'password'; current: string; next: string }
  | { kind: 'logout' };

export const IDLE_LINE: PhoneSnapshot = {
  registration: LOGGED_OUT,
  active: false,
  calls: [],
  ended: null,
  me: null,
  meError: null,
};

/** The events a wait for the line re-checks on. */
const LINE_CHANGES = ['registration', 'account'] as const;

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The line as this tab shows it, whichever tab holds the registration. Snapshots go in (built from
 * the SIP service in the leader, received over the channel in a follower); the differences come
 * out as events: `registration`, `calls`, `account`, `incoming` and `call-ended` (CustomEvent<CallState>).
 */
export class PhoneLine extends EventTarget {
  #snapshot: PhoneSnapshot = IDLE_LINE;

  /** The latest snapshot. */
  get snapshot(): PhoneSnapshot {
    return this.#snapshot;
  }

  /** Registration state. */
  get registration(): RegistrationState {
    return this.#snapshot.registration;
  }

  /** True while the logged-in view applies. */
  get active(): boolean {
    return this.#snapshot.active;
  }

  /** Calls in progress, oldest first. */
  get calls(): readonly CallState[] {
    return this.#snapshot.calls;
  }

  /** Resolves once no login is connecting (at once when none is), or after `maxWaitMs` at most. */
  settled(maxWaitMs = Infinity): Promise<void> {
    return this.#until(() => this.registration.status !== RegistrationStatus.Connecting, maxWaitMs);
  }

  /** Resolves once the account details loaded or failed to (at once when logged out), or after `maxWaitMs`. */
  accountKnown(maxWaitMs: number): Promise<void> {
    return this.#until(() => {
      const { active, me, meError } = this.#snapshot;
      return !active || me !== null || meError !== null;
    }, maxWaitMs);
  }

  /** Resolves once `ready()` holds, checked now and on every change of the line, or after `maxWaitMs`. */
  #until(ready: () => boolean, maxWaitMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        for (const event of LINE_CHANGES) this.removeEventListener(event, check);
        clearTimeout(timer);
        resolve();
      };
      const check = (): void => {
        if (ready()) done();
      };
      const timer = Number.isFinite(maxWaitMs) ? setTimeout(done, maxWaitMs) : undefined;
      for (const event of LINE_CHANGES) this.addEventListener(event, check);
      check();
    });
  }

  /** Takes a new snapshot; `joining` (the first one a follower sees) does not replay an old call end. */
  apply(next: PhoneSnapshot, joining = false): void {
    const previous = this.#snapshot;
    this.#snapshot = next;
    if (!same(previous.registration, next.registration) || previous.active !== next.active)
      this.dispatchEvent(new Event('registration'));
    if (!same(previous.me, next.me) || previous.meError !== next.meError)
      this.dispatchEvent(new Event('account'));
    if (!same(previous.calls, next.calls)) this.dispatchEvent(new Event('calls'));
    const known = new Set(previous.calls.map((call) => call.id));
    for (const call of next.calls) {
      if (call.status === 'incoming' && !known.has(call.id))
        this.dispatchEvent(new CustomEvent<CallState>('incoming', { detail: call }));
    }
    if (next.ended && next.ended.id !== previous.ended?.id && !joining)
      this.dispatchEvent(new CustomEvent<CallState>('call-ended', { detail: next.ended }));
  }
}
