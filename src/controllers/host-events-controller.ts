import type { ReactiveController } from 'lit';
import {
  EarshotCallStartedEvent,
  EarshotIncomingCallEvent,
  EarshotRegisteredEvent,
  EarshotRegistrationFailedEvent,
  EarshotUnregisteredEvent,
  type CallInfo,
} from '../events/public-events.ts';
import type { CallState } from '../services/sip/call-state.ts';
import { RegistrationStatus, type RegistrationState } from '../services/sip/registration-state.ts';
import type { PhoneLine } from './phone-line.ts';

/** Resolves a caller's number to a name (CRM screen-pop); null when unknown. */
export type CallerLookup = (number: string) => Promise<string | null> | string | null;

/** The public view of a call. */
export function callInfo(s: CallState): CallInfo {
  return { id: s.id, direction: s.direction, number: s.remote, name: s.remoteName };
}

/** Shows the name the host's lookup found for a caller (in every tab sharing the line). */
export type CallerRename = (callId: string, name: string) => Promise<void>;

/**
 * Translates the line's state changes into the composed events the host page listens to, and asks
 * the host's caller lookup for the name of whoever is calling. The line is this tab's own or the
 * leader tab's, so a host page in any tab hears about the shared calls.
 */
export class HostEventsController implements ReactiveController {
  #line: PhoneLine | undefined;
  #last: RegistrationState['status'] = RegistrationStatus.LoggedOut;
  readonly #answered = new Set<string>();

  constructor(
    private readonly host: HTMLElement & { addController(c: ReactiveController): void },
    private readonly lookup: () => CallerLookup | undefined,
    private readonly rename: CallerRename,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    // Subscriptions happen in watch(), once, for the element's lifetime.
  }

  /** Starts following `line` (once). */
  watch(line: PhoneLine): void {
    if (this.#line === line) return;
    this.#line = line;
    line.addEventListener('registration', () => {
      this.#onRegistration(line.registration);
    });
    line.addEventListener(
      'incoming',
      (event) => void this.#onIncoming((event as CustomEvent<CallState>).detail),
    );
    line.addEventListener('calls', () => {
      this.#onCalls(line.calls);
    });
  }

  #emit(event: Event): void {
    this.host.dispatchEvent(event);
  }

  #onRegistration(r: RegistrationState): void {
    const was = this.#last;
    this.#last = r.status;
    if (r.status === was) return;
    if (r.status === RegistrationStatus.Registered && r.extension)
      this.#emit(new EarshotRegisteredEvent(r.extension));
    else if (was === RegistrationStatus.Registered) this.#emit(new EarshotUnregisteredEvent(r.extension));
    if (r.status === RegistrationStatus.Failed && r.reason && r.message) {
      this.#emit(new EarshotRegistrationFailedEvent(r.reason, r.message));
    }
  }

  async #onIncoming(call: CallState): Promise<void> {
    const lookup = this.lookup();
    let name = call.remoteName;
    if (lookup && !name) {
      name = await Promise.resolve(lookup(call.remote)).catch(() => null);
      if (name) await this.rename(call.id, name).catch(() => undefined);
    }
    this.#emit(new EarshotIncomingCallEvent(callInfo({ ...call, remoteName: name })));
  }

  #onCalls(calls: readonly CallState[]): void {
    for (const call of calls) {
      if (call.status !== 'active' || this.#answered.has(call.id)) continue;
      this.#answered.add(call.id);
      this.#emit(new EarshotCallStartedEvent(callInfo(call)));
    }
  }
}
