/** A parsed SIP request as the fake server in component tests sees it. */
export interface SipRequest {
  method: string;
  uri: string;
  headers: Map<string, string[]>;
  body: string;
}

/** Parses one SIP request (the text JsSIP sends over its WebSocket). */
export function parseRequest(text: string): SipRequest | null {
  const [head = '', body = ''] = text.split('\r\n\r\n', 2);
  const [start = '', ...lines] = head.split('\r\n');
  const match = /^([A-Z]+) (\S+) SIP\/2\.0$/.exec(start);
  if (!match) return null;
  const headers = new Map<string, string[]>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return { method: match[1] ?? '', uri: match[2] ?? '', headers, body };
}

/** First value of a header. */
export function header(request: SipRequest, name: string): string {
  return request.headers.get(name.toLowerCase())?.[0] ?? '';
}

/** Builds a response to `request` copying the dialog headers, adding a To tag when missing. */
export function response(
  request: SipRequest,
  status: number,
  reason: string,
  extra: Record<string, string> = {},
  body = '',
): string {
  const to = header(request, 'to');
  const lines = [
    `SIP/2.0 ${status} ${reason}`,
    ...(request.headers.get('via') ?? []).map((via) => `Via: ${via}`),
    `From: ${header(request, 'from')}`,
    `To: ${to.includes('tag=') || status === 100 ? to : `${to};tag=fake${Math.random().toString(36).slice(2, 8)}`}`,
    `Call-ID: ${header(request, 'call-id')}`,
    `CSeq: ${header(request, 'cseq')}`,
    ...Object.entries(extra).map(([name, value]) => `${name}: ${value}`),
    `Content-Length: ${new TextEncoder().encode(body).length}`,
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}
