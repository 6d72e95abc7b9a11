import { ws } from 'msw';
import { handleCalleeResponse, ringSoftphone, type Callee } from './incoming-call.ts';
import { header, parseRequest, response, type SipRequest } from './sip-message.ts';

/** How the fake SIP server in component tests behaves; one per named scenario. */
export interface SipBehaviour {
  /** Answer to an authenticated REGISTER. */
  register: { status: number; reason: string };
  /** Answer to an INVITE; 200 builds a real SDP answer with an in-page RTCPeerConnection. */
  invite: { status: number; reason: string };
  /** Close every connection at once (server unreachable). */
  refuseConnections?: boolean;
  /** Answer this many authenticated REGISTERs with 500 before the normal answer (JsSIP does not retry). */
  serverErrorsFirst?: number;
}

/** A REGISTER the fake server answered with 200: the contact it bound, or removed (expires 0). */
export interface AnsweredRegister {
  contactUri: string;
  removed: boolean;
}

const answeredRegisters: AnsweredRegister[] = [];

/**
 * The REGISTERs answered 200 so far in this page, oldest first. A test that polls for one knows
 * JsSIP has the answer too: msw hands it to the page's WebSocket in a microtask, before any timer.
 */
export function registersAnswered(): readonly AnsweredRegister[] {
  return answeredRegisters;
}

const CHALLENGE = 'Digest realm="earshot.test", nonce="abc123", algorithm=MD5, qop="auth"';

export const SIP_TEST_URL = 'ws://sip.earshot.test:8088';

/** The callee's peer connection per Call-ID: a re-INVITE (hold, resume) must be answered by the same one. */
const callees = new Map<string, RTCPeerConnection>();

function silentTrack(): MediaStreamTrack {
  const context = new AudioContext();
  const track = context.createMediaStreamDestination().stream.getAudioTracks()[0];
  if (!track) throw new Error('no audio track');
  return track;
}

/** SDP answer from a real peer connection in the test page, so JsSIP's own connection accepts it. */
async function answerSdp(callId: string, offer: string): Promise<string> {
  const peer = callees.get(callId) ?? new RTCPeerConnection();
  callees.set(callId, peer);
  await peer.setRemoteDescription({ type: 'offer', sdp: offer });
  // Send audio back, as a real callee does; without a track the answer would be recvonly.
  for (const transceiver of peer.getTransceivers()) {
    if (!transceiver.sender.track) await transceiver.sender.replaceTrack(silentTrack());
    if (transceiver.direction === 'recvonly') transceiver.direction = 'sendrecv';
  }
  await peer.setLocalDescription(await peer.createAnswer());
  return peer.localDescription?.sdp ?? '';
}

function answeredRegister(request: SipRequest): AnsweredRegister {
  const contact = header(request, 'contact');
  return {
    contactUri: /<([^>]+)>/.exec(contact)?.[1] ?? '',
    removed: /;expires=0\b/.test(contact) || header(request, 'expires') === '0',
  };
}

async function reply(
  request: SipRequest,
  behaviour: SipBehaviour,
  send: (text: string) => void,
): Promise<void> {
  const contact = { Contact: `<sip:fake@sip.earshot.test;transport=ws>;expires=300` };
  switch (request.method) {
    case 'REGISTER': {
      if (!header(request, 'authorization')) {
        send(response(request, 401, 'Unauthorized', { 'WWW-Authenticate': CHALLENGE }));
        return;
      }
      const failing = (behaviour.serverErrorsFirst ?? 0) > 0;
      if (failing) behaviour.serverErrorsFirst = (behaviour.serverErrorsFirst ?? 0) - 1;
      const { status, reason } = failing
        ? { status: 500, reason: 'Server Internal Error' }
        : behaviour.register;
      // A registrar echoes the binding it stored; JsSIP ignores a 200 without its own Contact.
      const binding = { Contact: `${header(request, 'contact')};expires=300` };
      send(response(request, status, reason, status === 200 ? binding : {}));
      if (status === 200) answeredRegisters.push(answeredRegister(request));
      return;
    }
    case 'INVITE': {
      send(response(request, 100, 'Trying'));
      const inDialog = header(request, 'to').includes('tag=');
      // One To tag for the 180 and the 200, or they would open two dialogs.
      if (!inDialog)
        request.headers.set('to', [`${header(request, 'to')};tag=callee${Date.now().toString(36)}`]);
      if (behaviour.invite.status !== 200) {
        send(response(request, behaviour.invite.status, behaviour.invite.reason));
        return;
      }
      if (!inDialog) send(response(request, 180, 'Ringing', contact));
      const sdp = await answerSdp(header(request, 'call-id'), request.body);
      send(response(request, 200, 'OK', { ...contact, 'Content-Type': 'application/sdp' }, sdp));
      return;
    }
    case 'ACK':
      return;
    case 'BYE':
      callees.get(header(request, 'call-id'))?.close();
      callees.delete(header(request, 'call-id'));
      send(response(request, 200, 'OK'));
      return;
    default:
      send(response(request, 200, 'OK'));
  }
}

/** An msw WebSocket handler that plays a tiny SIP registrar/callee for JsSIP. */
let registered: Callee | null = null;

/** Rings the softphone that registered last (component tests of incoming calls). */
export function ringRegisteredSoftphone(from: string, displayName: string): Promise<void> {
  if (!registered) throw new Error('No softphone has registered with the fake SIP server.');
  return ringSoftphone(registered, from, displayName);
}

function remember(request: SipRequest, send: (text: string) => void): void {
  const contactUri = /<([^>]+)>/.exec(header(request, 'contact'))?.[1];
  if (request.method === 'REGISTER' && contactUri) registered = { contactUri, send };
}

/** An msw WebSocket handler that plays a tiny SIP registrar/callee for JsSIP. */
export function sipServer(behaviour: SipBehaviour) {
  const link = ws.link(SIP_TEST_URL);
  return link.addEventListener('connection', ({ client }) => {
    if (behaviour.refuseConnections) {
      client.close(1006);
      return;
    }
    const send = (text: string): void => {
      client.send(text);
    };
    client.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') return;
      if (event.data.startsWith('SIP/2.0') && registered) {
        void handleCalleeResponse(event.data, registered);
        return;
      }
      const request = parseRequest(event.data);
      if (!request) return;
      remember(request, send);
      void reply(request, behaviour, send);
    });
  });
}
