import type { ReactiveController } from 'lit';
import {
  EarshotCallStartedEvent,
  EarshotIncomingCallEvent,
  EarshotRegisteredEvent,
  EarshotRegistrationFailedEvent,
  EarshotUnregisteredEvent,
  type CallInfo,
} from '../events/public-events.ts';
import type { Call } from '../services/sip/call.ts';
import { RegistrationStatus, type RegistrationState } from '../services/sip/registration-state.ts';
import type { SipService } from '../services/sip/sip-service.ts';

/** Resolves a caller's number to a name (CRM screen-pop); null when unknown. */
export type CallerLookup = (number: string) => Promise<string | null> | string | null;

/** The public view of a call. */
export function callInfo(call: Call): CallInfo {
  const s = call.state;
  return { id: s.id, direction: s.direction, number: s.remote, name: s.remoteName };
}

/**
 * Translates the SIP service's state changes into the composed events the host page listens to,
 * and asks the host's caller lookup for the name of whoever is calling.
 */
export class HostEventsController implements ReactiveController {
  #sip: SipService | undefined;
  #last: RegistrationState['status'] = RegistrationStatus.LoggedOut;
  readonly #answered = new WeakSet<Call>();

  constructor(
    private readonly host: HTMLElement & { addController(c: ReactiveController): void },
    private readonly lookup: () => CallerLookup | undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    // Subscriptions happen in watch(): the SIP service exists only after the first login.
  }

  /** Starts following `sip` (once per service). */
  watch(sip: SipService): void {
    if (this.#sip === sip) return;
    this.#sip = sip;
    sip.addEventListener('registration', () => {
      this.#onRegistration(sip.registration);
    });
    sip.addEventListener('incoming', (event) => void this.#onIncoming((event as CustomEvent<Call>).detail));
    sip.addEventListener('calls', () => {
      this.#onCalls(sip.calls);
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

  async #onIncoming(call: Call): Promise<void> {
    const lookup = this.lookup();
    if (lookup && !call.state.remoteName) {
      const name = await Promise.resolve(lookup(call.state.remote)).catch(() => null);
      if (name) call.setDisplayName(name);
    }
    this.#emit(new EarshotIncomingCallEvent(callInfo(call)));
  }

  #onCalls(calls: readonly Call[]): void {
    for (const call of calls) {
      if (call.state.status !== 'active' || this.#answered.has(call)) continue;
      this.#answered.add(call);
      this.#emit(new EarshotCallStartedEvent(callInfo(call)));
    }
  }
}
