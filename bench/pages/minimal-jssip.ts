// The baseline softphone: JsSIP and nothing else (no UI framework, no storage, no account
// service), the least a page needs to register, call and answer with audio. Bundled with
// esbuild by bench/lib/bench-pages.ts and served from the Earshot stack at /bench/.
import * as JsSIP from 'jssip';
import type { RTCSession } from 'jssip/lib/RTCSession.js';
import type { IncomingRTCSessionEvent, OutgoingRTCSessionEvent } from 'jssip/lib/UA.js';
import { READY_EVENT, type BenchLogin, type BenchPhone } from './bench-phone.ts';

const MEDIA = { mediaConstraints: { audio: true, video: false }, pcConfig: { iceServers: [] } };

class MinimalPhone implements BenchPhone {
  #ua: JsSIP.UA | null = null;
  #realm = '';
  #session: RTCSession | null = null;
  readonly #speaker = new Audio();

  constructor() {
    this.#speaker.autoplay = true;
  }

  register(login: BenchLogin): Promise<number> {
    this.#realm = login.realm;
    const ua = new JsSIP.UA({
      sockets: [new JsSIP.WebSocketInterface(login.wsUrl)],
      uri: `sip:${login.extension}@${login.realm}`,
      password: login.password,
      register: true,
      session_timers: false,
    });
    this.#ua = ua;
    ua.on('newRTCSession', (event: IncomingRTCSessionEvent | OutgoingRTCSessionEvent) => {
      this.#adopt(event.session, (event.originator as string) === 'remote' && login.autoAnswer === true);
    });
    return new Promise((resolve, reject) => {
      ua.on('registered', () => {
        resolve(performance.now());
      });
      ua.on('registrationFailed', (event) => {
        reject(new Error(`Registration failed: ${event.cause}`));
      });
      ua.start();
    });
  }

  call(number: string): Promise<void> {
    if (!this.#ua) return Promise.reject(new Error('Not registered'));
    this.#ua.call(`sip:${number}@${this.#realm}`, {
      ...MEDIA,
      rtcOfferConstraints: { offerToReceiveAudio: true, offerToReceiveVideo: false },
    });
    return Promise.resolve();
  }

  hangup(): Promise<void> {
    const session = this.#session;
    if (!session) return Promise.reject(new Error('No call'));
    const ended = new Promise<void>((resolve) => {
      session.on('ended', () => {
        resolve();
      });
      session.on('failed', () => {
        resolve();
      });
    });
    session.terminate();
    return ended;
  }

  #adopt(session: RTCSession, answer: boolean): void {
    this.#session = session;
    const forget = () => {
      if (this.#session === session) this.#session = null;
    };
    session.on('ended', forget);
    session.on('failed', forget);
    const play = (peer: RTCPeerConnection) => {
      peer.addEventListener('track', (event) => {
        this.#speaker.srcObject = event.streams[0] ?? new MediaStream([event.track]);
      });
    };
    // An outgoing session has its peer connection already; an incoming one gets it on answer.
    const existing = session.connection as RTCPeerConnection | undefined;
    if (existing) play(existing);
    else session.on('peerconnection', (event) => play(event.peerconnection));
    if (answer) session.answer(MEDIA);
  }
}

window.benchPhone = new MinimalPhone();
window.dispatchEvent(new Event(READY_EVENT));
