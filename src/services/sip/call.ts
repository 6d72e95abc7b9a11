import type { RTCSession } from 'jssip/lib/RTCSession.js';
import { estimateMos, type QualitySample } from '../../internal/mos.ts';
import { CallDirection, CallStatus, classifyEnd, outcomeMessage, type CallState } from './call-state.ts';
import { IceCutoff } from './ice-cutoff.ts';
import { readQualitySample } from './quality-stats.ts';

/** How DTMF digits travel: in the RTP stream (RFC 4733/2833, what IVRs expect) or as SIP INFO. */
export type DtmfTransport = 'RFC2833' | 'INFO';

export interface CallOptions {
  direction: CallDirection;
  /** The microphone stream this call sends; stopped when the call ends. */
  localStream: MediaStream | null;
  dtmfTransport: DtmfTransport;
  /** The peer connection's configuration (STUN/TURN servers) at answer time. */
  pcConfig(): RTCConfiguration;
  iceCutoffMs: number;
  /** Receives the remote audio (an <audio> the audio service owns). */
  onRemoteStream(stream: MediaStream): void;
  /** The other party transferred us (REFER): the service places the new call. */
  onRefer(accept: ReferAccept): void;
  /** An attended transfer replaces this call with an incoming one: the service adopts it. */
  onReplaces(accept: (initCallback: (session: RTCSession) => void) => void): void;
}

/** JsSIP's accept() of a REFER: places the call to the Refer-To target. */
export type ReferAccept = (
  initCallback: (session: RTCSession) => void,
  options: Record<string, unknown>,
) => void;

let nextId = 0;

/**
 * One SIP call: translates a JsSIP RTCSession's events into our CallState and exposes the controls.
 * Fires `change` (state updated) and `end` (final state) events.
 */
export class Call extends EventTarget {
  #state: CallState;
  readonly #session: RTCSession;
  readonly #options: CallOptions;
  readonly #ice: IceCutoff;
  /** The microphone stream being sent; replaced when the agent switches devices. */
  #localStream: MediaStream | null;

  constructor(session: RTCSession, options: CallOptions) {
    super();
    this.#session = session;
    this.#options = options;
    this.#ice = new IceCutoff(options.iceCutoffMs);
    this.#localStream = options.localStream;
    const identity = session.remote_identity;
    this.#state = {
      status: options.direction === CallDirection.Incoming ? CallStatus.Incoming : CallStatus.Dialing,
      id: `call-${Date.now()}-${nextId++}`,
      direction: options.direction,
      remote: identity.uri.user,
      remoteName: identity.display_name || null,
      startedAt: Date.now(),
      answeredAt: null,
      endedAt: null,
      muted: false,
      held: false,
      outcome: null,
      message: null,
    };
    this.#listen();
    const peer = this.#peer();
    if (peer) this.#watchPeer(peer);
  }

  /** The current state (a fresh object after every change). */
  get state(): CallState {
    return this.#state;
  }

  /** The underlying session, for attended transfer between two calls of this service. */
  get session(): RTCSession {
    return this.#session;
  }

  #stopLocal(): void {
    this.#localStream?.getTracks().forEach((track) => {
      track.stop();
    });
  }

  // JsSIP's types promise a connection, but an incoming session has none until it is answered.
  #peer(): RTCPeerConnection | undefined {
    const peer: RTCPeerConnection | undefined = this.#session.connection;
    return peer;
  }

  #update(patch: Partial<CallState>): void {
    this.#state = { ...this.#state, ...patch };
    this.dispatchEvent(new Event('change'));
  }

  #listen(): void {
    const s = this.#session;
    s.on('peerconnection', ({ peerconnection }) => {
      this.#watchPeer(peerconnection);
    });
    s.on('icecandidate', ({ candidate, ready }) => {
      this.#ice.onCandidate(candidate, ready);
    });
    s.on('progress', () => {
      if (this.#state.status === CallStatus.Dialing) this.#update({ status: CallStatus.Ringing });
    });
    s.on('accepted', () => {
      this.#update({ status: CallStatus.Active, answeredAt: Date.now() });
    });
    s.on('hold', () => {
      this.#update({ held: true });
    });
    s.on('unhold', () => {
      this.#update({ held: false });
    });
    s.on('muted', () => {
      this.#update({ muted: true });
    });
    s.on('unmuted', () => {
      this.#update({ muted: false });
    });
    s.on('refer', (event) => {
      this.#options.onRefer(event.accept as ReferAccept);
    });
    s.on('replaces', (event) => {
      this.#options.onReplaces(event.accept as (initCallback: (session: RTCSession) => void) => void);
    });
    s.on('ended', (event) => {
      this.#finish(event);
    });
    s.on('failed', (event) => {
      this.#finish(event);
    });
  }

  #watchPeer(peer: RTCPeerConnection): void {
    peer.addEventListener('track', (event) => {
      const stream = event.streams[0] ?? new MediaStream([event.track]);
      this.#options.onRemoteStream(stream);
    });
  }

  #finish(event: { cause: string; originator: string; message?: unknown }): void {
    if (this.#state.status === CallStatus.Ended) return;
    this.#ice.dispose();
    this.#stopLocal();
    const response = event.message as { status_code?: number; reason_phrase?: string } | undefined;
    const outcome = classifyEnd({
      cause: event.cause,
      originator: event.originator as 'local' | 'remote' | 'system',
      statusCode: response?.status_code,
      reasonPhrase: response?.reason_phrase,
      answered: this.#state.answeredAt !== null,
      direction: this.#state.direction,
    });
    this.#update({
      status: CallStatus.Ended,
      endedAt: Date.now(),
      outcome,
      message: outcomeMessage(outcome),
    });
    this.dispatchEvent(new Event('end'));
  }

  /** Shows a name for the other party (e.g. from the host's CRM lookup). */
  setDisplayName(name: string): void {
    this.#update({ remoteName: name });
  }

  /** Answers an incoming call with the given microphone stream. */
  answer(): void {
    this.#session.answer({
      pcConfig: this.#options.pcConfig(),
      mediaStream: this.#localStream ?? undefined,
      mediaConstraints: { audio: true, video: false },
    });
  }

  /** Ends the call whatever its stage: cancel, reject (busy here) or bye. */
  hangup(): void {
    if (this.#session.isEnded()) return;
    const rejecting = this.#state.status === CallStatus.Incoming;
    this.#session.terminate(rejecting ? { status_code: 486, reason_phrase: 'Busy Here' } : undefined);
  }

  /** Declines an incoming call (603 Decline). */
  reject(): void {
    if (!this.#session.isEnded()) this.#session.terminate({ status_code: 603, reason_phrase: 'Decline' });
  }

  /** Mutes or unmutes the microphone for this call. */
  setMuted(muted: boolean): void {
    if (muted) this.#session.mute({ audio: true });
    else this.#session.unmute({ audio: true });
  }

  /** Puts the call on hold (re-INVITE sendonly) or resumes it. */
  setHeld(held: boolean): void {
    this.#sendHold(held, 0);
  }

  #sendHold(held: boolean, attempt: number): void {
    if (this.#session.isEnded()) return;
    const sent = held ? this.#session.hold() : this.#session.unhold();
    // JsSIP refuses a new re-INVITE while the previous one is in flight (hold then resume quickly):
    // try again shortly instead of dropping the agent's request.
    if (!sent && this.#session.isOnHold().local !== held && attempt < 20) {
      setTimeout(() => {
        this.#sendHold(held, attempt + 1);
      }, 150);
    }
  }

  /** Sends DTMF digits (0-9, *, #, A-D). */
  sendDtmf(tones: string): void {
    const options = { transportType: this.#options.dtmfTransport } as unknown as Parameters<
      RTCSession['sendDTMF']
    >[1];
    this.#session.sendDTMF(tones, options);
  }

  /** Blind transfer: REFER the other party to `target`; we leave the call once it is accepted. */
  transfer(target: string): void {
    this.#session.refer(target, { eventHandlers: this.#referHandlers() });
  }

  /** Attended transfer: REFER this call's party to the party of `consultation`, replacing it. */
  transferTo(consultation: Call): void {
    this.#session.refer(consultation.session.remote_identity.uri, {
      replaces: consultation.session,
      eventHandlers: this.#referHandlers(),
    });
  }

  // The transferee reports progress with NOTIFY: a 2xx means the new call is up, so the transferor hangs up.
  #referHandlers() {
    return {
      accepted: () => {
        this.hangup();
      },
      failed: () => {
        this.#update({ message: 'The transfer did not go through; you are still in the call.' });
      },
      requestFailed: () => {
        this.#update({ message: 'The other side refused the transfer; you are still in the call.' });
      },
    };
  }

  /** Swaps the microphone mid-call without renegotiation; the old device is released. */
  async replaceMicrophone(stream: MediaStream): Promise<void> {
    const track = stream.getAudioTracks()[0];
    const sender = this.#peer()
      ?.getSenders()
      .find((s) => s.track?.kind === 'audio');
    if (!track || !sender) {
      stream.getTracks().forEach((t) => {
        t.stop();
      });
      return;
    }
    track.enabled = !this.#state.muted;
    await sender.replaceTrack(track);
    this.#stopLocal();
    this.#localStream = stream;
  }

  /** Live quality: the E-model MOS from getStats, or null before media flows. */
  async quality(): Promise<{ mos: number; sample: QualitySample } | null> {
    const peer = this.#peer();
    if (!peer) return null;
    const sample = await readQualitySample(peer);
    return sample ? { mos: estimateMos(sample), sample } : null;
  }
}
