// Just enough SIP message handling for the test user agent: parse, build, digest.
import { createHash, randomBytes } from 'node:crypto';

/** A parsed SIP request or response (header names lower-cased; repeated headers kept in order). */
export interface SipMessage {
  /** Request method, or undefined for a response. */
  method?: string;
  uri?: string;
  status?: number;
  reason?: string;
  headers: [string, string][];
  body: string;
}

const COMPACT: Record<string, string> = {
  v: 'via',
  f: 'from',
  t: 'to',
  i: 'call-id',
  m: 'contact',
  l: 'content-length',
  c: 'content-type',
};

/** Parses one SIP message (a whole UDP datagram or WebSocket frame). */
export function parseSip(text: string): SipMessage {
  const split = text.indexOf('\r\n\r\n');
  const head = split === -1 ? text : text.slice(0, split);
  const body = split === -1 ? '' : text.slice(split + 4);
  const [start = '', ...lines] = head.split('\r\n');
  const headers = lines.map((line): [string, string] => {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    return [COMPACT[name] ?? name, line.slice(colon + 1).trim()];
  });
  const response = /^SIP\/2\.0 (\d{3}) ?(.*)$/.exec(start);
  if (response) return { status: Number(response[1]), reason: response[2] ?? '', headers, body };
  const [method, uri] = start.split(' ');
  return { method: method ?? '', uri: uri ?? '', headers, body };
}

/** First value of a header, or undefined. */
export function header(message: SipMessage, name: string): string | undefined {
  return message.headers.find(([key]) => key === name.toLowerCase())?.[1];
}

/** Every value of a header, in order. */
export function headers(message: SipMessage, name: string): string[] {
  return message.headers.filter(([key]) => key === name.toLowerCase()).map(([, value]) => value);
}

/** Serialises a request or response; Content-Length is computed. */
export function buildSip(startLine: string, fields: [string, string][], body = ''): string {
  const lines = [
    startLine,
    ...fields.map(([name, value]) => `${name}: ${value}`),
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** A random token for tags, branches and Call-IDs. */
export const token = (bytes = 8): string => randomBytes(bytes).toString('hex');

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

/** Parses `Digest realm="x", nonce="y", qop="auth"` into a map. */
export function parseChallenge(value: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const match of value.replace(/^Digest\s+/i, '').matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]+))/g)) {
    const key = match[1];
    if (key) params[key.toLowerCase()] = match[2] ?? match[3] ?? '';
  }
  return params;
}

/** The Authorization header value answering an MD5 digest challenge (qop=auth when offered). */
export function digestAuthorization(
  challenge: Record<string, string>,
  credentials: { user: string; password: string },
  method: string,
  uri: string,
): string {
  const realm = challenge.realm ?? '';
  const nonce = challenge.nonce ?? '';
  const ha1 = md5(`${credentials.user}:${realm}:${credentials.password}`);
  const ha2 = md5(`${method}:${uri}`);
  const base = `Digest username="${credentials.user}", realm="${realm}", nonce="${nonce}", uri="${uri}", algorithm=MD5`;
  const opaque = challenge.opaque === undefined ? '' : `, opaque="${challenge.opaque}"`;
  if (
    !challenge.qop
      ?.split(',')
      .map((q) => q.trim())
      .includes('auth')
  ) {
    return `${base}, response="${md5(`${ha1}:${nonce}:${ha2}`)}"${opaque}`;
  }
  const cnonce = token();
  const nc = '00000001';
  const response = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
  return `${base}, response="${response}", qop=auth, nc=${nc}, cnonce="${cnonce}"${opaque}`;
}

/** A minimal audio offer; nobody sends media in these tests. */
export function minimalSdp(ip: string): string {
  const id = Date.now();
  return [
    'v=0',
    `o=- ${id} ${id} IN IP4 ${ip}`,
    's=-',
    `c=IN IP4 ${ip}`,
    't=0 0',
    'm=audio 40000 RTP/AVP 0',
    'a=rtpmap:0 PCMU/8000',
    '',
  ].join('\r\n');
}
