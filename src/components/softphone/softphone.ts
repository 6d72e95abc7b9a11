import { element } from '../../internal/define.ts';
import { ContextProvider } from '@lit/context';
import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import {
  accountApiContext,
  mediaContext,
  ringtoneContext,
  passwordChangerContext,
  sipContext,
  storageContext,
} from '../../contexts/services.ts';
import { PhoneController } from '../../controllers/phone-controller.ts';
import { QualityController } from '../../controllers/quality-controller.ts';
import { ServiceEventsController } from '../../controllers/service-events-controller.ts';
import type { EarshotAnswerEvent } from '../../events/answer.ts';
import type { CallControl, EarshotCallControlEvent } from '../../events/call-control.ts';
import type { EarshotDeviceChangeEvent } from '../../events/device-change.ts';
import type { EarshotDialEvent } from '../../events/dial.ts';
import type { EarshotHangupEvent } from '../../events/hangup.ts';
import type { EarshotLoginEvent } from '../../events/login.ts';
import {
  callInfo,
  HostEventsController,
  type CallerLookup,
} from '../../controllers/host-events-controller.ts';
import type { CallInfo } from '../../events/public-events.ts';
import { checkDialString } from '../../internal/phone-number.ts';
import type { CallState } from '../../services/sip/call-state.ts';
import type { RegistrationState } from '../../services/sip/registration-state.ts';
import type { CallRecord } from '../../services/storage/schema.ts';
import '../account-page/account-page.ts';
import '../call-history/call-history.ts';
import '../call-panel/call-panel.ts';
import '../device-picker/device-picker.ts';
import '../dialpad/dialpad.ts';
import '../login/login.ts';
import { baseStyles } from '../styles/base.styles.ts';
import { softphoneStyles } from './softphone.styles.ts';
import { dialableNumber, runIntent } from './intents.ts';
import { nextTask, STATUS_DELAY_MS, whenIdle } from '../../internal/scheduling.ts';
import { tabList } from './tab-list.ts';
import { STATUS_LABEL, type Tab } from './labels.ts';

/**
 * @summary The Earshot softphone: login, dialer, calls, history and the agent's account page.
 * @fires earshot-registered - Registered and ready for calls (`extension`).
 * @fires earshot-unregistered - The registration ended: logout, connection lost, or kicked.
 * @fires earshot-registration-failed - A login or re-registration was refused (`reason`, `message`).
 * @fires earshot-incoming-call - A call rings (`call`: id, direction, number, name).
 * @fires earshot-call-started - A call was answered and is up (`call`).
 * @fires earshot-call-ended - A call ended (`detail`: number, direction, outcome, durationSeconds, message).
 * @fires earshot-password-changed - The agent changed the password (the softphone re-registered).
 * @csspart base - The wrapper.
 * @cssproperty --earshot-accent-color - Buttons, links and focus rings.
 * @cssproperty --earshot-on-accent-color - Text on accent-coloured buttons.
 * @cssproperty --earshot-success-color - "Ready", answer and call buttons.
 * @cssproperty --earshot-danger-color - Errors, hang up and decline.
 * @cssproperty --earshot-surface-color - Background of the softphone and its inputs.
 * @cssproperty --earshot-text-color - Text.
 * @cssproperty --earshot-muted-color - Secondary text.
 * @cssproperty --earshot-subtle-background - Keypad keys and notices.
 * @cssproperty --earshot-alert-background - Behind error messages.
 * @cssproperty --earshot-warning-background - Behind warnings (sound blocked, desk-phone reminder).
 * @cssproperty --earshot-font-family - Font.
 * @cssproperty --earshot-radius - Corner radius.
 * @cssproperty --earshot-softphone-padding - Inner spacing.
 * @cssproperty --earshot-softphone-max-width - Widest the softphone grows.
 */
@element('earshot-softphone')
export class EarshotSoftphone extends LitElement {
  static override styles = [baseStyles, softphoneStyles];

  /** WebSocket URL of the SIP server (ws:// or wss://); discovered from the account service when empty. */
  @property({ attribute: 'sip-server' }) sipServer = '';
  /** Base URL of the account service; defaults to this page's origin. */
  @property({ attribute: 'api-url' }) apiUrl = '';
  /** SIP realm; discovered with the SIP server when empty. */
  @property() realm = '';
  /** DTMF transport: `rfc2833` (in the audio, default) or `info` (SIP INFO). */
  @property({ attribute: 'dtmf-transport' }) dtmfTransport: 'rfc2833' | 'info' = 'rfc2833';
  /** `relay`: audio only through the TURN server (to check a remote agent's path); default `all`. */
  @property({ attribute: 'ice-transport-policy' }) iceTransportPolicy: RTCIceTransportPolicy = 'all';
  /** `full` (phone, history and account tabs) or `compact` (the phone only, for narrow sidebars). */
  @property({ reflect: true }) layout: 'full' | 'compact' = 'full';
  /** `light` or `dark` colours (fine-tune with the --earshot-* custom properties). */
  @property({ reflect: true }) theme: 'light' | 'dark' = 'light';
  /** Host hook: resolves a caller's number to a name shown on incoming calls (CRM screen-pop). */
  @property({ attribute: false }) callerLookup: CallerLookup | undefined;
  /** Extension number to pre-fill on the login form. */
  @property() extension = '';

  @state() private tab: Tab = 'phone';
  @state() private history: CallRecord[] = [];
  @state() private lastNumber = '';
  @state() private notice = '';
  /** The login form has been on screen (a login started earlier shows a status line instead). */
  #loginShown = false;

  /** @internal The phone's services; the host uses the methods below. */
  readonly phone = new PhoneController(this, () => ({
    sipServer: this.sipServer,
    apiUrl: this.apiUrl,
    realm: this.realm,
    dtmfTransport: this.dtmfTransport === 'info' ? 'INFO' : 'RFC2833',
    iceTransportPolicy: this.iceTransportPolicy,
  }));
  readonly #hostEvents = new HostEventsController(
    this,
    () => this.callerLookup,
    (callId, name) => this.phone.rename(callId, name),
  );
  readonly #quality = new QualityController(this, () => this.phone.sip);
  readonly #providers = {
    api: new ContextProvider(this, { context: accountApiContext }),
    sip: new ContextProvider(this, { context: sipContext }),
    storage: new ContextProvider(this, { context: storageContext, initialValue: this.phone.storage }),
    media: new ContextProvider(this, { context: mediaContext, initialValue: this.phone.media }),
    ringtone: new ContextProvider(this, { context: ringtoneContext, initialValue: this.phone.ringtone }),
    password: new ContextProvider(this, { context: passwordChangerContext, initialValue: this.phone }),
  };

  constructor() {
    super();
    // Re-render on registration, call and ringtone changes for the element's lifetime. The line
    // is this tab's SIP service's, or the one of the tab of this browser that holds the registration.
    new ServiceEventsController(this, () => this.phone.line, ['registration', 'calls', 'account']);
    this.#hostEvents.watch(this.phone.line);
    new ServiceEventsController(this, () => this.phone.ringtone, ['change']);
    this.addEventListener('earshot-history-changed', () => void this.loadHistory());
    // A call that failed (busy, not found, refused) says why after its panel is gone.
    this.addEventListener('earshot-call-ended', (event) => {
      this.notice = event.detail.message ?? '';
    });
  }

  /** First render a task later, and a login() started at definition first settles (STATUS_DELAY_MS). */
  protected override async scheduleUpdate(): Promise<void> {
    if (!this.hasUpdated) await nextTask().then(() => this.phone.line.settled(STATUS_DELAY_MS));
    await super.scheduleUpdate();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.restore();
  }

  private async restore(): Promise<void> {
    // A page's first IndexedDB open holds up a WebSocket handshake under way (measured: +25 ms to
    // registered): a login started with the page connects first, then the extension and history.
    await whenIdle().then(() => this.phone.line.settled());
    const prefs = await this.phone.storage.preferences();
    this.extension ||= prefs.extension ?? '';
    // A tab opened while another one is logged in with this extension shows that tab's line.
    this.phone.watchTabs(prefs.extension ?? '');
    await this.loadHistory();
  }

  override willUpdate(): void {
    this.#providers.sip.setValue(this.phone.sip as never);
    // Only a signed-in client: the account page, opened the moment the agent is Ready, would
    // otherwise ask before the account session opens (it follows the registration) and fail.
    this.#providers.api.setValue(this.phone.api.signedIn ? this.phone.api : undefined);
  }

  private async loadHistory(): Promise<void> {
    this.history = await this.phone.storage.calls();
    this.lastNumber = this.history.find((r) => r.direction === 'outgoing')?.number ?? '';
  }

  private async handleLogin(event: EarshotLoginEvent): Promise<void> {
    this.notice = '';
    await runIntent(this, () => this.phone.login(event.extension, event.password));
  }

  private async handleDial(event: EarshotDialEvent): Promise<void> {
    this.notice = '';
    this.lastNumber = event.number;
    if (!this.phone.canDial) {
      this.notice = 'Your extension is not allowed to place calls. Ask your administrator.';
      return;
    }
    await runIntent(this, () => this.phone.dial(event.number));
  }

  private handleAnswer(event: EarshotAnswerEvent): void {
    void runIntent(this, () => this.phone.answer(event.callId));
  }

  private handleHangup(event: EarshotHangupEvent): void {
    void runIntent(this, () => this.phone.hangup(event.callId, event.decline));
  }

  private handleCallControl(event: EarshotCallControlEvent): void {
    void runIntent(this, () => this.phone.control(event.callId, event.control));
  }

  private handleDeviceChange(event: EarshotDeviceChangeEvent): void {
    void runIntent(this, () => this.phone.setDevice(event.kind, event.deviceId));
  }

  private async handleClearHistory(): Promise<void> {
    await this.phone.storage.clearCalls();
    await this.loadHistory();
  }

  private handleTabClick(event: Event): void {
    this.tab = (event.currentTarget as HTMLElement).dataset.tab as Tab;
  }

  /** The registration state (read-only). */
  get registration(): RegistrationState {
    return this.phone.line.registration;
  }

  /** The call in progress, or null (read-only). */
  get currentCall(): CallInfo | null {
    const call = this.#current();
    return call ? callInfo(call) : null;
  }

  #current(): CallState | undefined {
    const calls = this.phone.line.calls;
    return calls.find((c) => c.status === 'active' && !c.held) ?? calls[0];
  }

  /** The current call's id; throws when there is none. */
  #requireCall(): string {
    const call = this.#current();
    if (!call) throw new Error('There is no call in progress.');
    return call.id;
  }

  /** Applies a control to the current call (in the tab that holds the line). */
  #control(control: CallControl): void {
    void runIntent(this, () => this.phone.control(this.#requireCall(), control));
  }

  /** Registers with an extension and password; rejects with the reason the agent sees. */
  login(extension: string, password: string): Promise<void> {
    return this.phone.login(extension, password);
  }

  /** Unregisters and closes the account session. */
  logout(): Promise<void> {
    return this.phone.logout();
  }

  /** Calls a number (right after login, once the account details are known); refused with a clear reason. */
  async call(number: string): Promise<void> {
    this.lastNumber = await dialableNumber(this.phone, number);
    await this.phone.dial(this.lastNumber);
  }

  /** Answers the ringing call. */
  answer(): void {
    const ringing = this.phone.line.calls.find((c) => c.status === 'incoming');
    if (!ringing) throw new Error('No call is ringing.');
    void runIntent(this, () => this.phone.answer(ringing.id));
  }

  /** Ends (or cancels) the current call. */
  hangup(): void {
    const callId = this.#requireCall();
    void runIntent(this, () => this.phone.hangup(callId, false));
  }

  /** Puts the current call on hold (or resumes it with `false`). */
  hold(on = true): void {
    this.#control({ kind: 'hold', on });
  }

  /** Mutes the microphone for the current call (or unmutes with `false`). */
  mute(on = true): void {
    this.#control({ kind: 'mute', on });
  }

  /** Sends DTMF digits on the current call. */
  sendDtmf(tones: string): void {
    if (!/^[0-9*#A-D]+$/i.test(tones)) throw new Error('DTMF digits are 0-9, *, # and A-D.');
    this.#control({ kind: 'dtmf', tones });
  }

  /** Blind-transfers the current call to a number. */
  transfer(target: string): void {
    const check = checkDialString(target);
    if (!check.ok) throw new Error(check.message);
    this.#control({ kind: 'transfer', target: check.number });
  }

  /**
   * Shows a plain-language notice above the phone (used by intents that fail).
   * @internal
   */
  showNotice(message: string): void {
    this.notice = message;
  }

  private renderBar() {
    const r = this.phone.line.registration;
    return html`<div class="bar">
      <span class="state" data-status=${r.status} role="status"
        >${r.extension ?? ''} · ${STATUS_LABEL[r.status]}</span
      >
      <button class="secondary" @click=${() => void this.phone.logout()}>Log out</button>
    </div>`;
  }

  private renderPhone() {
    const calls = this.phone.line.calls;
    const ringing = calls.some((c) => c.status === 'incoming');
    return html`${
        ringing && this.phone.ringtone.blocked
          ? html`<div class="sound" role="alert">
              Your browser muted the ringtone.
              <button @click=${() => void this.phone.ringtone.unlock()}>Enable sound</button>
            </div>`
          : nothing
      }
      ${
        calls.length
          ? html`<earshot-call-panel
              .calls=${calls}
              .quality=${this.#quality.mos}
              ?recording=${this.phone.me?.extension.callRecording ?? false}
              ?can-dial=${this.phone.canDial}
            ></earshot-call-panel>`
          : nothing
      }
      ${
        this.phone.canDial
          ? calls.length
            ? nothing
            : html`<earshot-dialpad last-number=${this.lastNumber}></earshot-dialpad>`
          : html`<p class="notice">
              ${this.phone.meError ?? 'Your extension takes incoming calls only: manual dialing is off.'}
            </p>`
      }
      <details class="devices">
        <summary>Audio devices</summary>
        <earshot-device-picker></earshot-device-picker>
      </details>`;
  }

  private renderTabs() {
    return this.layout === 'compact' ? nothing : tabList(this.tab, (event) => this.handleTabClick(event));
  }

  private renderPanel() {
    if (this.layout === 'compact') return this.renderPhone();
    if (this.tab === 'history')
      return html`<earshot-call-history
        .records=${this.history}
        ?can-dial=${this.phone.canDial}
      ></earshot-call-history>`;
    if (this.tab === 'account') return html`<earshot-account-page></earshot-account-page>`;
    return this.renderPhone();
  }

  private renderNotice() {
    return this.notice ? html`<p class="notice" role="alert">${this.notice}</p>` : nothing;
  }

  private renderContent() {
    const line = this.phone.line;
    const r = line.registration;
    // A login the host started before this element first rendered: no form to show until it fails.
    if (!line.active && r.status === 'connecting' && !this.#loginShown) {
      return html`<p class="connecting" role="status">Connecting as ${r.extension}…</p>`;
    }
    if (!line.active) {
      this.#loginShown = true;
      return html`${this.renderNotice()}
        <earshot-login .registration=${r} extension=${this.extension}></earshot-login>`;
    }
    return html`${this.renderBar()} ${this.renderNotice()} ${this.renderTabs()}
      <div id="panel" role="tabpanel" aria-labelledby="tab-${this.tab}">${this.renderPanel()}</div>`;
  }

  // Intents are not composed: they bubble inside this shadow root up to the wrapper, not to the host page.
  override render() {
    return html`<div
      part="base"
      @earshot-login=${this.handleLogin}
      @earshot-dial=${this.handleDial}
      @earshot-answer=${this.handleAnswer}
      @earshot-hangup=${this.handleHangup}
      @earshot-call-control=${this.handleCallControl}
      @earshot-clear-history=${this.handleClearHistory}
      @earshot-device-change=${this.handleDeviceChange}
    >
      ${this.renderContent()}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'earshot-softphone': EarshotSoftphone;
  }
}
