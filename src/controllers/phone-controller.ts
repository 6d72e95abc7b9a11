import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CallControl } from '../events/call-control.ts';
import { AccountApi, ApiError } from '../services/account-api/account-api.ts';
import { IceServerSource } from '../services/account-api/ice-servers.ts';
import type { Me } from '../services/account-api/types.ts';
import { MediaService } from '../services/media/media-service.ts';
import { Ringtone } from '../services/media/ringtone.ts';
import { CallNotifier } from '../services/notifications.ts';
import type { Call } from '../services/sip/call.ts';
import type { CallState } from '../services/sip/call-state.ts';
import { LOGGED_OUT, RegistrationStatus } from '../services/sip/registration-state.ts';
import type { MicrophoneCheck } from '../services/sip/microphone-check.ts';
import { SipService } from '../services/sip/sip-service.ts';
import { StorageService } from '../services/storage/storage-service.ts';
import { TabRole, type TabCredentials } from '../services/tabs/messages.ts';
import { applyCallCommand } from './call-actions.ts';
import { lineKey, LineSharing } from './line-sharing.ts';
import { PhoneLine, type PhoneCommand, type PhoneSnapshot } from './phone-line.ts';
import { announceCallEnded, toCallRecord } from './call-record.ts';
import { apiUrlOf, endpointsFor, sipOptions, type PhoneEndpoints } from './endpoints.ts';
import { RingingAlerts } from './ringing.ts';
import { DeviceChoice } from './devices.ts';
import { AHEAD_CLAIM_WAIT_MS, prepareLogin, type Preparation } from './login-preparation.ts';

/**
 * Creates and wires the services for one <earshot-softphone>: login/logout across SIP and the
 * account service, call history, ringtone and notifications, page lifecycle. Views only render.
 *
 * One registration per browser: the tabs logged in with the same extension share one line
 * (LineSharing, Web Locks + BroadcastChannel). The leader tab runs the SIP service and publishes
 * `line`; a follower creates no UA, shows the leader's `line` and sends it its commands.
 * Media lives where the UA is: when an agent answers in a follower tab, the leader tab answers,
 * takes the microphone and plays the caller's audio (as other multi-tab softphones do), so the
 * ringtone and desktop notification also come from the leader only.
 */
export class PhoneController implements ReactiveController {
  readonly storage: StorageService;
  readonly media = new MediaService();
  readonly ringtone = new Ringtone();
  readonly notifier = new CallNotifier();
  readonly #ringing = new RingingAlerts(this.ringtone, this.notifier);
  readonly #devices: DeviceChoice;
  readonly #ice = new IceServerSource();
  api: AccountApi;
  sip: SipService | undefined;
  /** The agent's extension settings (manual dialing …); null until loaded or when unavailable. */
  me: Me | null = null;
  meError: string | null = null;
  readonly #abort = new AbortController();
  /** The line as this tab shows it: its own SIP service's, or the leader tab's. */
  readonly line = new PhoneLine();
  readonly #sharing: LineSharing;
  /** The login this tab registered with, kept in memory only, for a follower that takes over. */
  #credentials: TabCredentials | null = null;
  #ended: CallState | null = null;
  /** The page is going away: the SIP logout that follows is a handover, not news for the other tabs. */
  #leaving = false;
  /** Registering after the leader tab closed: keep the logged-in view while that happens. */
  #takingOver = false;

  constructor(
    private readonly host: ReactiveControllerHost & EventTarget,
    private readonly readEndpoints: () => PhoneEndpoints,
    storageName?: string,
  ) {
    this.storage = new StorageService(storageName);
    this.#devices = new DeviceChoice(this.media, this.storage);
    this.api = new AccountApi(location.origin);
    this.#sharing = new LineSharing(
      this.line,
      {
        snapshot: () => this.#snapshot(),
        credentials: () => this.#credentials,
        execute: (command) => this.#execute(command),
        rebind: () => this.sip?.rebind(),
      },
      (credentials) => void this.#takeOver(credentials),
      (credentials) => void this.#openFollowerSession(credentials),
    );
    this.line.addEventListener('account', () => {
      this.#handleLineAccount();
    });
    this.line.addEventListener('call-ended', (event) => {
      announceCallEnded(this.host, (event as CustomEvent<CallState>).detail);
    });
    host.addController(this);
  }

  get #following(): boolean {
    return this.#sharing.role === TabRole.Follower;
  }

  /** True when /me says this extension may place calls. */
  get canDial(): boolean {
    return this.me?.extension.manualDialing ?? false;
  }

  hostConnected(): void {
    const signal = this.#abort.signal;
    // Leaving the page unregisters, so the next load (same instance id) starts clean.
    window.addEventListener('pagehide', () => this.#leave(), { signal });
    window.addEventListener('online', () => this.sip?.refresh(), { signal });
    document.addEventListener('visibilitychange', () => !document.hidden && this.sip?.refresh(), { signal });
  }

  hostDisconnected(): void {
    this.#abort.abort();
    this.#leave();
    this.#ringing.stop();
  }

  /** Unregisters this tab's UA, then frees the lock so another tab of this browser takes over. */
  #leave(): void {
    this.#leaving = true;
    this.sip?.logout();
    this.#sharing.close();
  }

  #createSip(endpoints: PhoneEndpoints): SipService {
    const sip = new SipService(sipOptions(endpoints, this.storage.instanceId(), this.media, this.#ice));
    this.api = new AccountApi(endpoints.apiUrl);
    sip.addEventListener('incoming', (event) => {
      this.#ringing.incoming((event as CustomEvent<Call>).detail, sip.calls);
    });
    sip.addEventListener('call-ended', (event) => {
      void this.#handleCallEnded((event as CustomEvent<Call>).detail);
    });
    sip.addEventListener('calls', () => {
      this.#sync();
      this.#ringing.sync(sip.calls);
    });
    sip.addEventListener('registration', () => {
      this.#sync();
      // Refused (wrong password, disabled, kicked): the line is free for whichever tab logs in next.
      if (sip.registration.status === RegistrationStatus.Failed && this.#sharing.role === TabRole.Leader) {
        this.#sharing.resign(true);
      }
    });
    return sip;
  }

  /**
   * Registers and opens the account session with the same credentials. Rejects with LoginError.
   * When another tab of this browser already holds this extension, shows its line instead.
   */
  async login(extension: string, password: string): Promise<void> {
    const key = this.#keyFor(extension);
    this.#leaving = false;
    const tabs = this.#sharing.watch(key);
    // No tab of this browser is known to lead this line: register at once, while the browser
    // decides the Web Lock (tens of ms in a fresh profile). Otherwise the microphone and SIP server
    // checks overlap the lock request instead of following it.
    const ahead = tabs.leaderKnown ? null : this.#registerSip(extension, password);
    ahead?.catch(() => undefined);
    const early = ahead ? undefined : this.#prepare(extension);
    // Registered ahead, a lock held a moment longer (a tab that just logged out) is worth waiting for.
    if (!(await tabs.claim(ahead ? AHEAD_CLAIM_WAIT_MS : 0))) {
      // That tab registered already; this one's password serves only if it closes before sharing its own.
      this.#sharing.follow(key, { extension, password });
      if (ahead) void this.#undoRegistration(ahead);
      return;
    }
    this.#sync();
    try {
      await (ahead ?? this.#registerSip(extension, password, early));
      await this.#loggedIn(extension, password);
    } catch (error) {
      this.#sharing.resign(true);
      throw error;
    }
  }

  /**
   * Registered ahead, then lost the lock to a tab that registered too (two tabs logging in at once):
   * same instance id, so Kamailio kept whichever REGISTER came last. Take this tab's binding back,
   * then have the leader register again, so the one contact is the leader's.
   */
  async #undoRegistration(ahead: Promise<void>): Promise<void> {
    await ahead.catch(() => undefined);
    await this.sip?.logoutAcknowledged();
    this.#sharing.rebind();
  }

  #prepare(extension: string): Preparation {
    return prepareLogin(extension, this.media, this.sip ? null : this.readEndpoints());
  }

  /** Starts listening for a tab of this browser that is (or gets) logged in with `extension`. */
  watchTabs(extension: string): void {
    if (extension && this.#sharing.role === TabRole.Alone) this.#sharing.watch(this.#keyFor(extension));
  }

  #keyFor(extension: string): string {
    const given = this.readEndpoints();
    return lineKey(apiUrlOf(given), given.sipServer, extension);
  }

  /** The leader tab closed: register here with the login it shared. */
  async #takeOver(credentials: TabCredentials): Promise<void> {
    this.#takingOver = true;
    try {
      await this.#register(credentials.extension, credentials.password);
    } catch {
      // Shown on the login form in every tab (the snapshot says why); nobody else takes over.
      this.#sharing.resign(true);
    } finally {
      this.#takingOver = false;
      this.#sync();
    }
  }

  async #register(extension: string, password: string): Promise<void> {
    await this.#registerSip(extension, password);
    await this.#loggedIn(extension, password);
  }

  /**
   * Starts registering: synchronously up to the WebSocket when the SIP server and realm are known
   * (given, or the SIP service exists), after looking them up otherwise. Without `early`, the
   * microphone check starts once the WebSocket is on its way.
   */
  #registerSip(extension: string, password: string, early?: Preparation): Promise<void> {
    const start = (endpoints: PhoneEndpoints | null) =>
      this.#startSip(extension, password, endpoints, early?.microphone);
    if (this.sip) return start(null);
    const endpoints = early?.endpoints ?? endpointsFor(this.readEndpoints());
    return endpoints instanceof Promise ? endpoints.then(start) : start(endpoints);
  }

  async #startSip(
    extension: string,
    password: string,
    endpoints: PhoneEndpoints | null,
    microphone: MicrophoneCheck | undefined,
  ): Promise<void> {
    if (endpoints) this.sip ??= this.#createSip(endpoints);
    this.host.requestUpdate();
    await this.sip?.login(extension, password, microphone);
  }

  /** Registered as the leader: keeps the login in memory, remembers the extension, opens the account session. */
  async #loggedIn(extension: string, password: string): Promise<void> {
    this.#credentials = { extension, password };
    // Asked once registered: the browser's prompt would slow the WebSocket down if asked earlier.
    void this.notifier.requestPermission();
    // The devices matter for the first call, not for registering (and IndexedDB would slow it).
    void this.#devices.restore();
    await this.storage.savePreferences({ extension });
    await this.#openAccountSession(extension, password);
  }

  async #openAccountSession(extension: string, password: string): Promise<void> {
    try {
      await this.api.login(extension, password);
      this.#ice.start(this.api, this.#abort.signal);
      await this.refreshMe();
    } catch (error) {
      this.meError = error instanceof ApiError ? error.message : 'Your account details could not be loaded.';
    }
    this.#sync();
    this.host.requestUpdate();
  }

  /**
   * Changes the agent's password, always in the tab that holds the registration (its account
   * session is the one the change keeps; the service revokes the others), re-registers with it and
   * hands it to the other tabs, which open their account sessions again with it.
   */
  changePassword(current: string, next: string): Promise<void> {
    return this.#run({ kind: 'password', current, next });
  }

  async #changePassword(current: string, next: string): Promise<void> {
    await this.api.changePassword(current, next);
    this.sip?.updatePassword(next);
    if (this.#credentials) this.#credentials = { ...this.#credentials, password: next };
    this.#sharing.shareCredentials();
  }

  /** Follower: its own account session (account page, password suggestions) with the leader's login. */
  async #openFollowerSession({ extension, password }: TabCredentials): Promise<void> {
    if (!this.#following) return;
    this.api = new AccountApi(apiUrlOf(this.readEndpoints()));
    this.host.requestUpdate();
    await this.api.login(extension, password).catch(() => undefined);
    this.host.requestUpdate();
  }

  /** Reloads the agent's settings (manual dialing may have changed). */
  async refreshMe(signal?: AbortSignal): Promise<Me> {
    this.me = await this.api.me(signal);
    this.meError = null;
    this.#sync();
    this.host.requestUpdate();
    return this.me;
  }

  /** Unregisters and closes the account session, in every tab of this browser. */
  async logout(): Promise<void> {
    if (this.#following) {
      // The leader logs out and tells every tab, this one included, which then shows the login form.
      await this.#sharing.send({ kind: 'logout' }).catch(() => undefined);
      return;
    }
    this.sip?.logout();
    this.#ice.stop();
    this.#credentials = null;
    this.me = null;
    this.#sync();
    this.#sharing.resign(true);
    await this.api.logout().catch(() => undefined);
    this.host.requestUpdate();
  }

  /** Places a call (the view checked canDial; Kamailio enforces it too). */
  dial(number: string): Promise<void> {
    return this.#run({ kind: 'dial', number });
  }

  /** Answers a ringing call (in the leader tab, which plays the audio). */
  answer(callId: string): Promise<void> {
    return this.#run({ kind: 'answer', callId });
  }

  /** Hangs up, cancels, or (decline) rejects a call. */
  hangup(callId: string, decline: boolean): Promise<void> {
    return this.#run({ kind: 'hangup', callId, decline });
  }

  /** Mute, hold, DTMF and transfers. */
  control(callId: string, control: CallControl): Promise<void> {
    return this.#run({ kind: 'control', callId, control });
  }

  /** Shows `name` for the caller (the host page's lookup) in every tab. */
  rename(callId: string, name: string): Promise<void> {
    return this.#run({ kind: 'rename', callId, name });
  }

  /** Runs a command here, or in the leader tab when this one follows. */
  #run(command: PhoneCommand): Promise<void> {
    return this.#following ? this.#sharing.send(command) : this.#execute(command);
  }

  /** Carries out a command of this tab or of a follower (the SIP service lives here). */
  async #execute(command: PhoneCommand): Promise<void> {
    if (command.kind === 'logout') return this.logout();
    if (command.kind === 'device') return this.setDevice(command.device, command.deviceId);
    if (command.kind === 'password') return this.#changePassword(command.current, command.next);
    if (command.kind === 'answer') this.#ringing.stop();
    if (!this.sip) throw new Error('You are not logged in.');
    await applyCallCommand(this.sip, command);
  }

  /** The leader's view of the line (what `line` shows here and the other tabs receive). */
  #snapshot(): PhoneSnapshot {
    const sip = this.sip;
    return {
      registration: sip?.registration ?? LOGGED_OUT,
      active: (sip?.active ?? false) || this.#takingOver,
      calls: sip?.calls.map((call) => call.state) ?? [],
      ended: this.#ended,
      me: this.me,
      meError: this.meError,
    };
  }

  /** Leader: shows the SIP service's state here and sends it to the other tabs. */
  #sync(): void {
    if (this.#following) return;
    const snapshot = this.#snapshot();
    this.line.apply(snapshot);
    if (!this.#leaving) this.#sharing.publish(snapshot);
  }

  /** Follower: the leader's account details (manual dialing …) apply here too. */
  #handleLineAccount(): void {
    if (!this.#following) return;
    this.me = this.line.snapshot.me;
    this.meError = this.line.snapshot.meError;
  }

  /** Switches microphone or speaker, remembers it for this browser, and swaps the mic into live calls. */
  async setDevice(kind: 'microphone' | 'speaker', deviceId: string | null): Promise<void> {
    // The devices are the leader tab's: that is where the microphone is taken and the audio plays.
    if (this.#following) return this.#sharing.send({ kind: 'device', device: kind, deviceId });
    await this.#devices.choose(kind, deviceId, this.sip?.calls ?? []);
  }

  /** Leader: writes the history entry (one per browser), then lets every tab announce the end. */
  async #handleCallEnded(call: Call): Promise<void> {
    if (!this.sip?.calls.length) this.media.stopRemote();
    await this.storage.addCall(toCallRecord(call.state)).catch(() => undefined);
    this.#ended = call.state;
    this.#sync();
  }
}
