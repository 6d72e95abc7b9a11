import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CallControl } from '../events/call-control.ts';
import { EarshotCallEndedEvent } from '../events/call-ended.ts';
import { AccountApi, ApiError, fetchClientConfig } from '../services/account-api/account-api.ts';
import type { Me } from '../services/account-api/types.ts';
import { MediaService } from '../services/media/media-service.ts';
import { Ringtone } from '../services/media/ringtone.ts';
import { CallNotifier } from '../services/notifications.ts';
import type { Call, DtmfTransport } from '../services/sip/call.ts';
import { checkMicrophone, SipService } from '../services/sip/sip-service.ts';
import { DEFAULT_REGISTER_EXPIRES } from '../services/sip/ua-config.ts';
import { StorageService } from '../services/storage/storage-service.ts';
import { applyCallControl } from './call-actions.ts';
import { isExtension } from '../internal/phone-number.ts';
import { toCallRecord } from './call-record.ts';

/** Where the softphone finds its servers. */
export interface PhoneEndpoints {
  sipServer: string;
  apiUrl: string;
  realm: string;
  /** How DTMF digits travel: in the audio (RFC 4733/2833, what IVRs expect) or as SIP INFO. */
  dtmfTransport?: DtmfTransport;
}

export const USER_AGENT = 'Earshot/0.1 (JsSIP)';

/**
 * Creates and wires the services for one <earshot-softphone>: login/logout across SIP and the
 * account service, call history, ringtone and notifications, page lifecycle. Views only render.
 */
export class PhoneController implements ReactiveController {
  readonly storage: StorageService;
  readonly media = new MediaService();
  readonly ringtone = new Ringtone();
  readonly notifier = new CallNotifier();
  api: AccountApi;
  sip: SipService | undefined;
  /** The agent's extension settings (manual dialing …); null until loaded or when unavailable. */
  me: Me | null = null;
  meError: string | null = null;
  readonly #abort = new AbortController();

  #endpoints: PhoneEndpoints | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & EventTarget,
    private readonly readEndpoints: () => PhoneEndpoints,
    /** Told about the SIP service as soon as it exists, before its first event. */
    private readonly onSip: (sip: SipService) => void = () => undefined,
    storageName?: string,
  ) {
    this.storage = new StorageService(storageName);
    this.api = new AccountApi(location.origin);
    host.addController(this);
  }

  /** True when /me says this extension may place calls. */
  get canDial(): boolean {
    return this.me?.extension.manualDialing ?? false;
  }

  hostConnected(): void {
    const signal = this.#abort.signal;
    // Leaving the page unregisters, so the next load (same instance id) starts clean.
    window.addEventListener('pagehide', () => this.sip?.logout(), { signal });
    window.addEventListener('online', () => this.sip?.refresh(), { signal });
    document.addEventListener('visibilitychange', () => !document.hidden && this.sip?.refresh(), { signal });
  }

  hostDisconnected(): void {
    this.#abort.abort();
    this.sip?.logout();
    this.ringtone.stop();
  }

  /** Reads the attributes; asks the account service for the SIP server and realm when not given. */
  async #resolveEndpoints(): Promise<PhoneEndpoints> {
    const given = this.readEndpoints();
    const apiUrl = given.apiUrl || location.origin;
    if (given.sipServer && given.realm) return { ...given, apiUrl };
    const discovered = await fetchClientConfig(apiUrl);
    return {
      apiUrl,
      sipServer: given.sipServer || discovered.sipServer,
      realm: given.realm || discovered.realm,
    };
  }

  async #createSip(endpoints: Promise<PhoneEndpoints>): Promise<SipService> {
    // The SIP server lookup and IndexedDB are read at the same time: login waits for the slower.
    const [{ sipServer, realm, dtmfTransport }, prefs] = await Promise.all([
      endpoints,
      this.storage.preferences(),
    ]);
    this.media.setMicrophone(prefs.microphoneId);
    // The speaker matters for the first ring, not for registering: it is chosen meanwhile.
    void this.media.setSpeaker(prefs.speakerId).catch(() => undefined);
    const sip = new SipService({
      wsUrl: sipServer,
      realm,
      instanceId: prefs.instanceId,
      userAgent: USER_AGENT,
      registerExpires: DEFAULT_REGISTER_EXPIRES,
      media: this.media,
      dtmfTransport: dtmfTransport ?? 'RFC2833',
    });
    sip.addEventListener('incoming', (event) => {
      this.#handleIncoming((event as CustomEvent<Call>).detail);
    });
    sip.addEventListener('call-ended', (event) => {
      void this.#handleCallEnded((event as CustomEvent<Call>).detail);
    });
    sip.addEventListener('calls', () => {
      this.#syncRinging();
    });
    return sip;
  }

  /** Registers and opens the account session with the same credentials. Rejects with LoginError. */
  async login(extension: string, password: string): Promise<void> {
    // Asked first, so the microphone check overlaps the lookups below instead of following them.
    const microphone =
      isExtension(extension) && globalThis.isSecureContext ? checkMicrophone(this.media) : undefined;
    // SipService.login reports its failure; this only keeps a failed lookup from orphaning it.
    microphone?.catch(() => undefined);
    if (!this.sip) {
      const endpoints = this.#resolveEndpoints();
      this.sip = await this.#createSip(endpoints);
      this.#endpoints = await endpoints;
      this.api = new AccountApi(this.#endpoints.apiUrl);
      this.onSip(this.sip);
    }
    this.host.requestUpdate();
    void this.notifier.requestPermission();
    await this.sip.login(extension, password, microphone);
    await this.storage.savePreferences({ extension });
    await this.#openAccountSession(extension, password);
  }

  async #openAccountSession(extension: string, password: string): Promise<void> {
    try {
      await this.api.login(extension, password);
      await this.refreshMe();
    } catch (error) {
      this.meError = error instanceof ApiError ? error.message : 'Your account details could not be loaded.';
    }
    this.host.requestUpdate();
  }

  /** Reloads the agent's settings (manual dialing may have changed). */
  async refreshMe(signal?: AbortSignal): Promise<Me> {
    this.me = await this.api.me(signal);
    this.meError = null;
    this.host.requestUpdate();
    return this.me;
  }

  /** Unregisters and closes the account session. */
  async logout(): Promise<void> {
    this.sip?.logout();
    this.me = null;
    await this.api.logout().catch(() => undefined);
    this.host.requestUpdate();
  }

  /** Places a call (the view checked canDial; Kamailio enforces it too). */
  async dial(number: string): Promise<void> {
    if (!this.sip) throw new Error('You are not logged in.');
    await this.sip.call(number);
  }

  /** Answers a ringing call. */
  answer(callId: string): void {
    this.ringtone.stop();
    this.#find(callId)?.answer();
  }

  /** Hangs up, cancels, or (decline) rejects a call. */
  hangup(callId: string, decline: boolean): void {
    const call = this.#find(callId);
    if (decline) call?.reject();
    else call?.hangup();
  }

  /** Mute, hold, DTMF and transfers. */
  control(callId: string, control: CallControl): Promise<void> {
    return this.sip ? applyCallControl(this.sip, callId, control) : Promise.resolve();
  }

  /** Switches microphone or speaker, remembers it for this browser, and swaps the mic into live calls. */
  async setDevice(kind: 'microphone' | 'speaker', deviceId: string | null): Promise<void> {
    if (kind === 'speaker') {
      await this.media.setSpeaker(deviceId);
      await this.storage.savePreferences({ speakerId: deviceId });
      return;
    }
    this.media.setMicrophone(deviceId);
    await this.storage.savePreferences({ microphoneId: deviceId });
    for (const call of this.sip?.calls ?? []) {
      await call.replaceMicrophone(await this.media.getMicrophone());
    }
  }

  #find(callId: string): Call | undefined {
    return this.sip?.calls.find((c) => c.state.id === callId);
  }

  #handleIncoming(call: Call): void {
    this.notifier.incoming(call.state.remoteName ?? call.state.remote);
    this.#syncRinging();
  }

  #syncRinging(): void {
    const ringing = this.sip?.calls.some((c) => c.state.status === 'incoming') ?? false;
    if (ringing && !this.#ringing) this.ringtone.start();
    if (!ringing && this.#ringing) {
      this.ringtone.stop();
      this.notifier.clear();
    }
    this.#ringing = ringing;
  }

  #ringing = false;

  async #handleCallEnded(call: Call): Promise<void> {
    if (!this.sip?.calls.length) this.media.stopRemote();
    const record = toCallRecord(call.state);
    this.host.dispatchEvent(
      new EarshotCallEndedEvent({
        direction: record.direction,
        number: record.number,
        outcome: record.outcome,
        durationSeconds: record.durationSeconds,
        message: call.state.message,
      }),
    );
    await this.storage.addCall(record);
    this.host.dispatchEvent(new Event('earshot-history-changed'));
  }
}
