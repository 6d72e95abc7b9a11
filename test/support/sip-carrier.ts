// A fake carrier (the far end of the SIP trunk) on a loopback UDP address, for Kamailio tests:
// answers the INVITEs Kamailio sends it (after a digest challenge when it has credentials), records
// every request, and hangs up from its side. Signalling only: nobody sends media.
import { createHash } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import {
  buildSip,
  header,
  headers,
  minimalSdp,
  parseChallenge,
  parseSip,
  token,
  type SipMessage,
} from './sip-message.ts';

export interface CarrierOptions {
  /** Digest credentials the carrier demands (401 with WWW-Authenticate until they are right). */
  credentials?: { user: string; password: string; realm: string };
  /** How it answers an INVITE it accepts. */
  answer?: 'answer' | 'busy';
}

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

/** The digest response an Authorization header should carry (RFC 2617, MD5, qop=auth or none). */
function expectedResponse(auth: Record<string, string>, method: string, password: string): string {
  const ha1 = md5(`${auth.username ?? ''}:${auth.realm ?? ''}:${password}`);
  const ha2 = md5(`${method}:${auth.uri ?? ''}`);
  const nonce = auth.nonce ?? '';
  return auth.qop
    ? md5(`${ha1}:${nonce}:${auth.nc ?? ''}:${auth.cnonce ?? ''}:${auth.qop}:${ha2}`)
    : md5(`${ha1}:${nonce}:${ha2}`);
}

export class FakeCarrier {
  /** Every request received, in order. */
  readonly received: SipMessage[] = [];
  /** INVITEs that carried credentials the carrier accepted. */
  readonly authorized: SipMessage[] = [];
  readonly #nonce = token();
  readonly #waiters: { test: (m: SipMessage) => boolean; resolve: (m: SipMessage) => void }[] = [];
  #peer: { address: string; port: number } | null = null;

  private constructor(
    readonly socket: Socket,
    readonly options: CarrierOptions,
  ) {
    socket.on('message', (data, peer) => {
      this.#peer = { address: peer.address, port: peer.port };
      const message = parseSip(data.toString('utf8'));
      if (message.method) this.#handle(message);
    });
  }

  /** A carrier listening on `address` (a free port). */
  static async open(address: string, options: CarrierOptions = {}): Promise<FakeCarrier> {
    const socket = createSocket('udp4');
    socket.bind(0, address);
    await once(socket, 'listening');
    return new FakeCarrier(socket, options);
  }

  get address(): string {
    return this.socket.address().address;
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** INVITEs received (challenged ones too). */
  invites(): SipMessage[] {
    return this.received.filter((m) => m.method === 'INVITE');
  }

  /** The next request matching `test` (or one already received); null after `timeoutMs`. */
  waitFor(test: (m: SipMessage) => boolean, timeoutMs = 3000): Promise<SipMessage | null> {
    const seen = this.received.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const waiter = { test, resolve };
      this.#waiters.push(waiter);
      setTimeout(() => {
        const index = this.#waiters.indexOf(waiter);
        if (index !== -1) this.#waiters.splice(index, 1);
        resolve(null);
      }, timeoutMs);
    });
  }

  /** Hangs up an answered INVITE from the carrier's side (BYE along the route set). */
  hangup(invite: SipMessage, toTag: string): void {
    const contact = /<([^>]+)>/.exec(header(invite, 'contact') ?? '')?.[1] ?? '';
    const from = header(invite, 'from') ?? '';
    const to = header(invite, 'to') ?? '';
    const cseq = Number((header(invite, 'cseq') ?? '1').split(' ')[0]) + 100;
    const fields: [string, string][] = [
      ['Via', `SIP/2.0/UDP ${this.address}:${this.port};branch=z9hG4bK${token()};rport`],
      ...headers(invite, 'record-route').map((rr): [string, string] => ['Route', rr]),
      ['Max-Forwards', '70'],
      ['From', `${to};tag=${toTag}`],
      ['To', from],
      ['Call-ID', header(invite, 'call-id') ?? ''],
      ['CSeq', `${cseq} BYE`],
    ];
    this.#send(buildSip(`BYE ${contact} SIP/2.0`, fields));
  }

  close(): Promise<void> {
    this.socket.close();
    return once(this.socket, 'close').then(() => undefined);
  }

  /** The To tag the carrier answered `invite` with (for hangup). */
  static readonly TO_TAG = 'carrier';

  #handle(request: SipMessage): void {
    this.received.push(request);
    for (const waiter of [...this.#waiters])
      if (waiter.test(request)) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve(request);
      }
    if (request.method === 'ACK') return;
    if (request.method !== 'INVITE') {
      this.#reply(request, 200, 'OK');
      return;
    }
    this.#answerInvite(request);
  }

  #answerInvite(invite: SipMessage): void {
    const credentials = this.options.credentials;
    if (credentials) {
      const auth = parseChallenge(header(invite, 'authorization') ?? '');
      const valid =
        auth.username === credentials.user &&
        auth.realm === credentials.realm &&
        auth.nonce === this.#nonce &&
        auth.response === expectedResponse(auth, 'INVITE', credentials.password);
      if (!valid) {
        const challenge = `Digest realm="${credentials.realm}", nonce="${this.#nonce}", qop="auth", algorithm=MD5`;
        this.#reply(invite, 401, 'Unauthorized', FakeCarrier.TO_TAG, '', [['WWW-Authenticate', challenge]]);
        return;
      }
      this.authorized.push(invite);
    }
    this.#reply(invite, 100, 'Trying');
    if (this.options.answer === 'busy') {
      this.#reply(invite, 486, 'Busy Here', FakeCarrier.TO_TAG);
      return;
    }
    this.#reply(invite, 180, 'Ringing', FakeCarrier.TO_TAG);
    this.#reply(invite, 200, 'OK', FakeCarrier.TO_TAG, minimalSdp(this.address));
  }

  #reply(
    request: SipMessage,
    status: number,
    reason: string,
    toTag?: string,
    body = '',
    extra: [string, string][] = [],
  ): void {
    const to = header(request, 'to') ?? '';
    const fields: [string, string][] = [
      ...headers(request, 'via').map((via): [string, string] => ['Via', via]),
      ...headers(request, 'record-route').map((rr): [string, string] => ['Record-Route', rr]),
      ['From', header(request, 'from') ?? ''],
      ['To', toTag && !to.includes(';tag=') ? `${to};tag=${toTag}` : to],
      ['Call-ID', header(request, 'call-id') ?? ''],
      ['CSeq', header(request, 'cseq') ?? ''],
      ['Contact', `<sip:carrier@${this.address}:${this.port}>`],
      ...extra,
      ...(body ? [['Content-Type', 'application/sdp'] as [string, string]] : []),
    ];
    this.#send(buildSip(`SIP/2.0 ${status} ${reason}`, fields, body));
  }

  #send(text: string): void {
    const peer = this.#peer;
    if (peer) this.socket.send(text, peer.port, peer.address);
  }
}
