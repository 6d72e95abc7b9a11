import * as JsSIP from 'jssip';
import type { IncomingRTCSessionEvent, OutgoingRTCSessionEvent, UA } from 'jssip/lib/UA.js';
import { isExtension } from '../../internal/phone-number.ts';
import { Call, type CallOptions, type DtmfTransport, type ReferAccept } from './call.ts';
import { CallDirection } from './call-state.ts';
import { explainRegisterFailure, LoginError, messageFor } from './failure.ts';
import { startMicrophoneCheck, type MicrophoneCheck } from './microphone-check.ts';
import {
  FailureReason,
  LOGGED_OUT,
  RegistrationStatus,
  type RegistrationState,
} from './registration-state.ts';
import { RetrySchedule } from './retry-schedule.ts';
import { uaConfiguration, type SipSettings } from './ua-config.ts';
import { whenIdle } from '../../internal/scheduling.ts';

/** The UA events a login waits for. */
type UaEvent = 'connected' | 'disconnected' | 'registered' | 'registrationFailed';

/** The media the SIP service needs, provided by the media service. */
export interface MediaPort {
  /** A fresh microphone stream from the chosen device; rejects with a DOMException. */
  getMicrophone(): Promise<MediaStream>;
  /** Plays the other party's audio on the chosen speaker. */
  playRemote(stream: MediaStream): void;
}

export interface SipServiceOptions extends SipSettings {
  media: MediaPort;
  dtmfTransport?: DtmfTransport;
  iceCutoffMs?: number;
  /** STUN/TURN servers for the next call (TURN credentials are refreshed elsewhere). */
  iceServers?: () => RTCIceServer[];
  /** `relay`: audio only through TURN (diagnostics, tests). */
  iceTransportPolicy?: RTCIceTransportPolicy;
}

/**
 * The only place that talks to JsSIP. Owns the UA, the registration state machine (with the retries
 * JsSIP does not do) and the calls. Fires `registration` and `calls` events (read `registration`,
 * `calls`) and `incoming` with the new Call.
 */
export class SipService extends EventTarget {
  #ua: UA | null = null;
  #registration: RegistrationState = LOGGED_OUT;
  #calls: Call[] = [];
  #everRegistered = false;
  readonly #retry = new RetrySchedule();
  readonly #options: SipServiceOptions;
  /** The incoming session an accepted Replaces is about to bring. */
  #replacing: unknown = null;
  #pendingLogin: { resolve: () => void; reject: (error: LoginError) => void } | null = null;
  /** The login's microphone check, as far as "registered" waits for it. */
  #microphoneAllowed: Promise<void> = Promise.resolve();
  /** rebind() came while registering: register once more when that REGISTER succeeds. */
  #rebindPending = false;

  constructor(options: SipServiceOptions) {
    super();
    this.#options = options;
  }

  /** Current registration state. */
  get registration(): RegistrationState {
    return this.#registration;
  }

  /** True from the first successful registration until logout or a refusal (drives the logged-in view). */
  get active(): boolean {
    return this.#everRegistered && this.#ua !== null;
  }

  /** Calls in progress, oldest first (a consultation call for attended transfer is the second). */
  get calls(): readonly Call[] {
    return this.#calls;
  }

  #setRegistration(patch: Partial<RegistrationState> & Pick<RegistrationState, 'status'>): void {
    const extension = this.#registration.extension;
    this.#registration = { extension, ...patch };
    this.dispatchEvent(new Event('registration'));
  }

  /**
   * Registers `extension`; resolves once registered and the microphone opened, rejects with a
   * LoginError the agent can act on. `microphone` is a check the caller started earlier; by
   * default one starts now.
   */
  async login(extension: string, password: string, microphone?: MicrophoneCheck): Promise<void> {
    try {
      if (!isExtension(extension)) throw new LoginError(FailureReason.InvalidExtension);
      if (!globalThis.isSecureContext) throw new LoginError(FailureReason.InsecureContext);
    } catch (error) {
      this.#refuse(extension, error);
      throw error;
    }
    this.#stopUa();
    this.#registration = { status: RegistrationStatus.Connecting, extension };
    this.dispatchEvent(new Event('registration'));
    this.#everRegistered = false;
    const done = new Promise<void>((resolve, reject) => {
      this.#pendingLogin = { resolve, reject };
    });
    done.catch(() => undefined);
    try {
      this.#startUa(extension, password);
    } catch {
      // JsSIP throws synchronously on a malformed server URL or URI.
      this.#fail(FailureReason.Misconfigured);
      return done;
    }
    // The permission is asked while the REGISTER is on its way (the waits overlap). Where the browser
    // would ask, the device opens once the WebSocket is up (earlier slowed the handshake, measured);
    // where the microphone is allowed already, once the REGISTER is answered and the page is idle.
    const check =
      microphone ??
      startMicrophoneCheck(this.#options.media, {
        asking: this.#uaEvent(['connected', 'disconnected'], 1000),
        granted: this.#uaEvent(['registered', 'registrationFailed', 'disconnected'], 2000).then(() =>
          whenIdle(),
        ),
      });
    this.#microphoneAllowed = check.allowed;
    await check.done.catch((error: unknown) => {
      if (!(error instanceof LoginError)) throw error;
      // Also after "registered" (the permission said yes, the device would not open): not logged in.
      this.#fail(error.reason);
      throw error;
    });
    return done;
  }

  /** Settles on the UA's first of `events` (or after `maxMs`): the login's waypoints. */
  #uaEvent(events: readonly UaEvent[], maxMs: number): Promise<void> {
    const ua = this.#ua;
    return new Promise((resolve) => {
      const settle = (): void => {
        for (const event of events) ua?.off(event, settle);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(settle, maxMs);
      for (const event of events) ua?.once(event, settle);
    });
  }

  /** Shows a refusal found before anything was sent on the login form like any other. */
  #refuse(extension: string, error: unknown): void {
    if (!(error instanceof LoginError)) return;
    this.#registration = {
      status: RegistrationStatus.Failed,
      extension,
      reason: error.reason,
      message: error.message,
    };
    this.dispatchEvent(new Event('registration'));
  }

  #startUa(extension: string, password: string): void {
    const ua = new JsSIP.UA(uaConfiguration(this.#options, extension, password));
    this.#ua = ua;
    ua.on('registered', () => {
      this.#handleRegistered();
    });
    ua.on('registrationFailed', (event) => {
      this.#handleRegistrationFailed(event);
    });
    ua.on('disconnected', () => {
      this.#handleDisconnected(extension, password);
    });
    ua.on('newRTCSession', (event: IncomingRTCSessionEvent | OutgoingRTCSessionEvent) => {
      this.#handleNewSession(event);
    });
    ua.start();
  }

  #handleRegistered(): void {
    // "Registered" only once the microphone is known to be allowed (a failed check ends the login).
    void this.#microphoneAllowed.then(
      () => {
        if (this.#ua) this.#markRegistered();
      },
      () => undefined,
    );
  }

  #markRegistered(): void {
    if (this.#rebindPending) {
      this.#rebindPending = false;
      this.#ua?.register();
    }
    this.#everRegistered = true;
    this.#retry.reset();
    this.#setRegistration({ status: RegistrationStatus.Registered });
    this.#pendingLogin?.resolve();
    this.#pendingLogin = null;
  }

  #handleRegistrationFailed(event: {
    cause?: string;
    response?: { status_code?: number; reason_phrase?: string };
  }): void {
    const explained = explainRegisterFailure({
      cause: event.cause ?? '',
      statusCode: event.response?.status_code,
      reasonPhrase: event.response?.reason_phrase,
    });
    if (explained.retryable) {
      // JsSIP never retries a failed REGISTER while connected (FACTS: a 500 leaves the agent unregistered).
      this.#scheduleRetry(explained.reason, () => this.#ua?.register());
      return;
    }
    this.#fail(explained.reason);
  }

  #fail(reason: FailureReason): void {
    this.#stopUa();
    this.#setRegistration({ status: RegistrationStatus.Failed, reason, message: messageFor(reason) });
    this.#pendingLogin?.reject(new LoginError(reason));
    this.#pendingLogin = null;
  }

  #handleDisconnected(extension: string, password: string): void {
    if (this.#everRegistered) {
      // JsSIP reconnects and re-registers by itself; calls keep their media meanwhile.
      this.#setRegistration({
        status: RegistrationStatus.Reconnecting,
        message: 'Connection lost. Reconnecting…',
      });
      return;
    }
    // Never registered yet: retry on our own schedule so the login form can show a countdown.
    this.#stopUa();
    this.#scheduleRetry(FailureReason.ServerUnreachable, () => {
      this.#startUa(extension, password);
    });
  }

  #scheduleRetry(reason: FailureReason, attempt: () => void): void {
    const retryAt = this.#retry.schedule(attempt);
    this.#setRegistration({
      status: RegistrationStatus.RetryScheduled,
      reason,
      message: messageFor(reason),
      retryAt,
    });
  }

  #handleNewSession(event: IncomingRTCSessionEvent | OutgoingRTCSessionEvent): void {
    if ((event.originator as string) !== 'remote') return;
    if (event.session === this.#replacing) {
      // Attended transfer: this INVITE replaces a call we are in; take it without ringing.
      this.#replacing = null;
      void this.#adoptIncoming(event as IncomingRTCSessionEvent).then((call) => {
        call.answer();
      });
      return;
    }
    if (this.#calls.length > 0) {
      // One call at a time for an agent: a second caller hears busy instead of a crash or a silent ring.
      event.session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
      return;
    }
    void this.#adoptIncoming(event as IncomingRTCSessionEvent);
  }

  async #adoptIncoming(event: IncomingRTCSessionEvent): Promise<Call> {
    const stream = await this.#options.media.getMicrophone().catch(() => null);
    const call = this.#track(new Call(event.session, this.#callOptions(CallDirection.Incoming, stream)));
    this.dispatchEvent(new CustomEvent<Call>('incoming', { detail: call }));
    return call;
  }

  #callOptions(direction: CallDirection, localStream: MediaStream | null): CallOptions {
    return {
      direction,
      localStream,
      dtmfTransport: this.#options.dtmfTransport ?? 'RFC2833',
      pcConfig: () => this.#pcConfig(),
      iceCutoffMs: this.#options.iceCutoffMs ?? 2000,
      onRemoteStream: (remote: MediaStream) => {
        this.#options.media.playRemote(remote);
      },
      onRefer: (accept) => void this.#followTransfer(accept),
      onReplaces: (accept) => {
        accept((session) => {
          this.#replacing = session;
        });
      },
    };
  }

  #pcConfig(): RTCConfiguration {
    return {
      iceServers: this.#options.iceServers?.() ?? [],
      iceTransportPolicy: this.#options.iceTransportPolicy ?? 'all',
    };
  }

  /** We were transferred: call the Refer-To target with a fresh microphone stream. */
  async #followTransfer(accept: ReferAccept): Promise<void> {
    const stream = await this.#options.media.getMicrophone();
    accept(
      (session) => {
        this.#track(new Call(session, this.#callOptions(CallDirection.Outgoing, stream)));
      },
      { mediaStream: stream, pcConfig: this.#pcConfig() },
    );
  }

  #track(call: Call): Call {
    this.#calls = [...this.#calls, call];
    call.addEventListener('change', () => this.dispatchEvent(new Event('calls')));
    call.addEventListener('end', () => {
      this.#calls = this.#calls.filter((c) => c !== call);
      this.dispatchEvent(new Event('calls'));
      this.dispatchEvent(new CustomEvent<Call>('call-ended', { detail: call }));
    });
    this.dispatchEvent(new Event('calls'));
    return call;
  }

  /** Places a call to `number` (already validated by the dialer). */
  async call(number: string): Promise<Call> {
    const ua = this.#ua;
    if (!ua || this.#registration.status !== RegistrationStatus.Registered) {
      throw new Error('You are not connected to the phone server.');
    }
    const stream = await this.#options.media.getMicrophone();
    const session = ua.call(`sip:${number}@${this.#options.realm}`, {
      mediaStream: stream,
      pcConfig: this.#pcConfig(),
      rtcOfferConstraints: { offerToReceiveAudio: true, offerToReceiveVideo: false },
    });
    return this.#track(new Call(session, this.#callOptions(CallDirection.Outgoing, stream)));
  }

  /** Uses `password` from now on (after a change on the account page) and re-registers with it. */
  updatePassword(password: string): void {
    if (!this.#ua) return;
    this.#ua.set('password', password);
    if (this.#ua.isConnected()) this.#ua.register();
  }

  /** Re-registers promptly (browser back online, tab visible again). */
  refresh(): void {
    if (this.#registration.status === RegistrationStatus.Registered) this.#ua?.register();
    else this.#retry.runNow();
  }

  /**
   * Registers again, once the REGISTER under way (if any) has finished: another tab of this browser
   * took the binding (same instance id) and has given it back.
   */
  rebind(): void {
    if (this.#registration.status === RegistrationStatus.Registered) this.#ua?.register();
    else this.#rebindPending = true;
  }

  /** logout(), resolving once the server answered the un-REGISTER (or after `timeoutMs`). */
  async logoutAcknowledged(timeoutMs = 2_000): Promise<void> {
    const ua = this.#ua;
    const registered = ua?.isRegistered() ?? false;
    this.logout();
    if (!ua || !registered) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      ua.once('unregistered', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Ends every call, unregisters and closes the connection. */
  logout(): void {
    this.#calls.forEach((call) => {
      call.hangup();
    });
    this.#stopUa();
    this.#registration = LOGGED_OUT;
    this.dispatchEvent(new Event('registration'));
  }

  #stopUa(): void {
    this.#retry.cancel();
    this.#rebindPending = false;
    const ua = this.#ua;
    this.#ua = null;
    if (!ua) return;
    ua.removeAllListeners();
    ua.stop();
  }
}
