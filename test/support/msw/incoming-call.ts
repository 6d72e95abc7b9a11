/** What the fake server needs to ring the registered softphone. */
export interface Callee {
  /** The Contact URI the softphone registered (where INVITEs go). */
  contactUri: string;
  send(text: string): void;
}

interface PendingCall {
  callId: string;
  peer: RTCPeerConnection;
  toTag: string | null;
}

let pending: PendingCall | null = null;

function invite(callee: Callee, from: string, displayName: string, callId: string, sdp: string): string {
  const lines = [
    `INVITE ${callee.contactUri} SIP/2.0`,
    `Via: SIP/2.0/WSS sip.earshot.test;branch=z9hG4bK${callId}`,
    'Max-Forwards: 70',
    `From: "${displayName}" <sip:${from}@earshot.test>;tag=caller${callId}`,
    `To: <${callee.contactUri}>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 INVITE',
    `Contact: <sip:${from}@sip.earshot.test;transport=ws>`,
    'Content-Type: application/sdp',
    `Content-Length: ${new TextEncoder().encode(sdp).length}`,
  ];
  return `${lines.join('\r\n')}\r\n\r\n${sdp}`;
}

/** Rings the softphone with an INVITE carrying a real SDP offer from a peer connection in the page. */
export async function ringSoftphone(callee: Callee, from: string, displayName: string): Promise<void> {
  const peer = new RTCPeerConnection();
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  stream.getTracks().forEach((track) => peer.addTrack(track, stream));
  await peer.setLocalDescription(await peer.createOffer());
  const callId = `in${Date.now().toString(36)}`;
  pending = { callId, peer, toTag: null };
  callee.send(invite(callee, from, displayName, callId, peer.localDescription?.sdp ?? ''));
}

const responseWaiters: { status: number; resolve: (text: string) => void }[] = [];

/** Resolves with the next response of this status the softphone sends (e.g. 486 to a second call). */
export function waitForResponse(status: number): Promise<string> {
  return new Promise((resolve) => responseWaiters.push({ status, resolve }));
}

function notifyWaiters(text: string): void {
  const index = responseWaiters.findIndex((w) => text.startsWith(`SIP/2.0 ${w.status} `));
  if (index >= 0) responseWaiters.splice(index, 1)[0]?.resolve(text);
}

/** Feeds the softphone's responses to the incoming INVITE; ACKs a 200 and applies its SDP answer. */
export async function handleCalleeResponse(text: string, callee: Callee): Promise<void> {
  notifyWaiters(text);
  const call = pending;
  if (!call || !text.includes(`Call-ID: ${call.callId}`) || !text.startsWith('SIP/2.0 200')) return;
  const [head = '', body = ''] = text.split('\r\n\r\n', 2);
  call.toTag = /^To:.*;tag=([^;\s]+)/m.exec(head)?.[1] ?? null;
  await call.peer.setRemoteDescription({ type: 'answer', sdp: body });
  const ack = [
    `ACK ${callee.contactUri} SIP/2.0`,
    `Via: SIP/2.0/WSS sip.earshot.test;branch=z9hG4bKack${call.callId}`,
    'Max-Forwards: 70',
    `From: ${/^From: (.*)$/m.exec(head)?.[1] ?? ''}`,
    `To: ${/^To: (.*)$/m.exec(head)?.[1] ?? ''}`,
    `Call-ID: ${call.callId}`,
    'CSeq: 1 ACK',
    'Content-Length: 0',
  ];
  callee.send(`${ack.join('\r\n')}\r\n\r\n`);
}
