// SDP bodies the test user agents send, and a summary of one for assertions: a browser's WebRTC
// offer/answer (ICE, DTLS-SRTP, rtcp-mux, Opus first) and a desk phone's plain RTP/AVP G.711.
// Nobody sends media in the Kamailio-level tests: the addresses only have to be recognisable.

const WEBRTC_CODECS = [
  ['111', 'opus/48000/2'],
  ['0', 'PCMU/8000'],
  ['8', 'PCMA/8000'],
  ['101', 'telephone-event/8000'],
] as const;

/** Chromium's shape of an audio offer (`answer`: its answer, `setup:active`); a direction for hold. */
export function webrtcSdp(
  options: { address?: string; port?: number; answer?: boolean; direction?: string } = {},
): string {
  const { address = '127.0.0.8', port = 50000, answer = false, direction = 'sendrecv' } = options;
  const id = Date.now();
  return [
    'v=0',
    `o=- ${String(id)} 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=group:BUNDLE 0',
    'a=msid-semantic: WMS',
    `m=audio ${String(port)} UDP/TLS/RTP/SAVPF ${WEBRTC_CODECS.map(([pt]) => pt).join(' ')}`,
    `c=IN IP4 ${address}`,
    'a=rtcp:9 IN IP4 0.0.0.0',
    `a=candidate:1 1 udp 2113937151 ${address} ${String(port)} typ host generation 0`,
    'a=ice-ufrag:t3st',
    'a=ice-pwd:abcdefghijklmnopqrstuvwx',
    'a=ice-options:trickle',
    'a=fingerprint:sha-256 12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0',
    `a=setup:${answer ? 'active' : 'actpass'}`,
    'a=mid:0',
    `a=${direction}`,
    'a=rtcp-mux',
    ...WEBRTC_CODECS.map(([pt, name]) => `a=rtpmap:${pt} ${name}`),
    'a=fmtp:111 minptime=10;useinbandfec=1',
    'a=ssrc:1 cname:test',
    '',
  ].join('\r\n');
}

/** A desk phone's offer or answer: plain RTP/AVP, PCMU/PCMA and RFC 4733 DTMF, no ICE. */
export function deviceSdp(options: { address?: string; port?: number; direction?: string } = {}): string {
  const { address = '127.0.0.7', port = 40000, direction = 'sendrecv' } = options;
  const id = Date.now();
  return [
    'v=0',
    `o=desk ${String(id)} ${String(id)} IN IP4 ${address}`,
    's=-',
    `c=IN IP4 ${address}`,
    't=0 0',
    `m=audio ${String(port)} RTP/AVP 0 8 101`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-16',
    `a=${direction}`,
    '',
  ].join('\r\n');
}

/** What the assertions look at in one SDP body (its first audio section). */
export interface SdpSummary {
  /** The c= address that applies to the audio (media-level, else session-level). */
  address: string;
  port: number;
  protocol: string;
  /** Codec names from a=rtpmap, in m= line order. */
  codecs: string[];
  ice: boolean;
  fingerprint: boolean;
  rtcpMux: boolean;
  direction: string;
}

/** Summarises `sdp`; throws when it has no audio section. */
export function summarizeSdp(sdp: string): SdpSummary {
  const lines = sdp.split(/\r?\n/);
  const audioAt = lines.findIndex((line) => line.startsWith('m=audio '));
  if (audioAt === -1) throw new Error(`No audio section in SDP:\n${sdp}`);
  const session = lines.slice(0, audioAt);
  const media = lines.slice(audioAt);
  const [, port = '0', protocol = '', ...payloads] = (media[0] ?? '').slice(2).split(' ');
  const connection = (part: string[]) => part.find((l) => l.startsWith('c='))?.split(' ')[2];
  const rtpmap = new Map(
    media
      .map((l) => /^a=rtpmap:(\d+) ([^/]+)/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1] ?? '', m[2] ?? '']),
  );
  const has = (prefix: string) =>
    media.some((l) => l.startsWith(prefix)) || session.some((l) => l.startsWith(prefix));
  return {
    address: connection(media) ?? connection(session) ?? '',
    port: Number(port),
    protocol,
    codecs: payloads.map((pt) => rtpmap.get(pt) ?? pt),
    ice: has('a=ice-ufrag') || has('a=candidate'),
    fingerprint: has('a=fingerprint'),
    rtcpMux: has('a=rtcp-mux'),
    direction: ['sendrecv', 'sendonly', 'recvonly', 'inactive'].find((d) => has(`a=${d}`)) ?? 'sendrecv',
  };
}
