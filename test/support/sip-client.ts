// A minimal SIP user agent for tests against the real Kamailio: REGISTER with digest, INVITE
// (with a 200 → ACK → BYE when answered), and answering incoming requests. No retransmissions:
// everything runs on loopback, and "no answer" is itself an outcome some tests assert.
import {
  buildSip,
  digestAuthorization,
  header,
  headers,
  minimalSdp,
  parseChallenge,
  parseSip,
  token,
  type SipMessage,
} from './sip-message.ts';
import type { SipTransport } from './sip-transport.ts';

/** How the agent answers an incoming INVITE. */
export type AnswerMode = 'answer' | 'ring' | 'busy';

export interface SipClientOptions {
  transport: SipTransport;
  user: string;
  password: string;
  /** The SIP domain (the realm) used in AORs. */
  domain: string;
  userAgent?: string;
  answer?: AnswerMode;
  timeoutMs?: number;
  /** The SDP this agent offers and answers with (default: minimalSdp, plain RTP/AVP). */
  sdp?: () => string;
}

/** A final answer: status 0 means no answer within the timeout. */
export interface SipResult {
  status: number;
  reason: string;
  response: SipMessage | null;
}

/** The state one request needs: Call-ID, tags, CSeq, target and route set. */
export interface SipDialog {
  callId: string;
  fromTag: string;
  toTag?: string;
  cseq: number;
  uri: string;
  routes?: string[];
  to: string;
}

const NO_ANSWER: SipResult = { status: 0, reason: 'no answer', response: null };

/** One SIP user agent on one transport. */
export class SipClient {
  /** Changeable between requests (password-change tests). */
  password: string;
  /** Every request the agent received, in order. */
  readonly received: SipMessage[] = [];
  /** The dialogs of calls this agent answered, to send in-dialog requests as the callee. */
  readonly answered: SipDialog[] = [];
  readonly #pending = new Map<string, (message: SipMessage) => void>();
  readonly #waiters: { method: string; resolve: (message: SipMessage) => void }[] = [];
  /** INVITEs left ringing ('ring' mode), by Call-ID, for a CANCEL to end. */
  readonly #ringing = new Map<string, { request: SipMessage; toTag: string }>();
  readonly #registration: SipDialog;

  constructor(readonly options: SipClientOptions) {
    this.password = options.password;
    options.transport.onMessage((text) => {
      this.#handle(parseSip(text));
    });
    this.#registration = {
      callId: token(12),
      fromTag: token(),
      cseq: 0,
      uri: `sip:${options.domain}`,
      to: this.aor,
    };
  }

  /** `sip:<user>@<domain>`. */
  get aor(): string {
    return `sip:${this.options.user}@${this.options.domain}`;
  }

  /** The Call-ID of this agent's registration (Kamailio keys its registered-since record on it). */
  get registrationCallId(): string {
    return this.#registration.callId;
  }

  /** The Contact URI this agent registers. */
  get contact(): string {
    const { transport, user } = this.options;
    return `sip:${user}@${transport.sentBy}${transport.contactParams}`;
  }

  /** REGISTER (answering a 401 once); returns the final answer. */
  register(expires = 300): Promise<SipResult> {
    return this.#withAuth('REGISTER', this.#registration, [
      ['Contact', `<${this.contact}>;expires=${expires}`],
      ['Expires', String(expires)],
    ]);
  }

  /** REGISTER with Expires 0. */
  unregister(): Promise<SipResult> {
    return this.register(0);
  }

  /** INVITE `number`; answers a 401/407 once, ACKs the final answer, and hangs up when answered. */
  async invite(number: string): Promise<SipResult> {
    const call = await this.call(number);
    await call.hangup();
    return call;
  }

  /**
   * INVITE `number` like `invite()`, but an answered call stays up until `hangup()` (which sends
   * the BYE and resolves with its answer; for an unanswered call it does nothing). `extraFields`
   * are added to the INVITE. `media.offer` '' sends the INVITE without SDP (the answer then goes
   * in the ACK: `media.ackSdp`).
   */
  async call(
    number: string,
    extraFields: [string, string][] = [],
    media: { offer?: string; ackSdp?: string } = {},
  ): Promise<SipResult & { dialog: SipDialog | null; hangup: () => Promise<SipResult | null> }> {
    const uri = `sip:${number}@${this.options.domain}`;
    const dialog: SipDialog = { callId: token(12), fromTag: token(), cseq: 0, uri, to: uri };
    const offer = media.offer ?? this.#sdp();
    const result = await this.#withAuth(
      'INVITE',
      dialog,
      [
        ['Contact', `<${this.contact}>`],
        ...(offer ? [['Content-Type', 'application/sdp'] as [string, string]] : []),
        ...extraFields,
      ],
      offer,
    );
    const answered = result.response && result.status >= 200 && result.status < 300;
    const inDialog = answered && result.response ? this.#ack(dialog, result.response, media.ackSdp) : null;
    let hungUp = false;
    const hangup = async (): Promise<SipResult | null> => {
      if (!inDialog || hungUp) return null;
      hungUp = true;
      return this.request('BYE', inDialog, []);
    };
    return { ...result, dialog: inDialog, hangup };
  }

  /**
   * INVITE `number` and CANCEL it once `ringing()` resolves (e.g. the callee got the INVITE);
   * resolves with the INVITE's final answer (487 when the CANCEL won), which is ACKed.
   */
  async cancelledCall(number: string, ringing: () => Promise<unknown>): Promise<SipResult> {
    const uri = `sip:${number}@${this.options.domain}`;
    const dialog: SipDialog = { callId: token(12), fromTag: token(), cseq: 0, uri, to: uri };
    const branch = `z9hG4bK${token()}`;
    const fields: [string, string][] = [
      ['Contact', `<${this.contact}>`],
      ['Content-Type', 'application/sdp'],
    ];
    const final = this.#withAuth('INVITE', dialog, fields, this.#sdp(), branch);
    await ringing();
    const cancel = this.#baseFields('CANCEL', dialog, branch);
    this.options.transport.send(buildSip(`CANCEL ${uri} SIP/2.0`, cancel));
    const result = await final;
    if (result.response && result.status >= 300) this.#ackFailure(dialog, result.response);
    return result;
  }

  /** A re-INVITE (ACKed when answered) or UPDATE in `dialog` carrying `sdp`; resolves with the final answer. */
  async reoffer(dialog: SipDialog, sdp: string, method: 'INVITE' | 'UPDATE' = 'INVITE'): Promise<SipResult> {
    const fields: [string, string][] = [
      ['Contact', `<${this.contact}>`],
      ['Content-Type', 'application/sdp'],
    ];
    const result = await this.request(method, dialog, fields, sdp);
    if (method === 'INVITE' && result.status >= 200 && result.status < 300) this.#sendAck(dialog);
    return result;
  }

  /** Resolves with the next received request of `method` (or one already received). */
  waitForRequest(method: string, timeoutMs = this.options.timeoutMs ?? 3000): Promise<SipMessage | null> {
    const seen = this.received.find((message) => message.method === method);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const waiter = { method, resolve };
      this.#waiters.push(waiter);
      setTimeout(() => {
        const index = this.#waiters.indexOf(waiter);
        if (index !== -1) this.#waiters.splice(index, 1);
        resolve(null);
      }, timeoutMs);
    });
  }

  /** Sends one request (already-built header fields) and waits for its final answer. */
  request(
    method: string,
    dialog: SipDialog,
    fields: [string, string][],
    body = '',
    branch = `z9hG4bK${token()}`,
  ): Promise<SipResult> {
    dialog.cseq += 1;
    const text = buildSip(
      `${method} ${dialog.uri} SIP/2.0`,
      [...this.#baseFields(method, dialog, branch), ...fields],
      body,
    );
    return this.#send(branch, text);
  }

  /** Closes the transport. */
  close(): Promise<void> {
    return this.options.transport.close();
  }

  #baseFields(method: string, dialog: SipDialog, branch: string): [string, string][] {
    const { transport, userAgent } = this.options;
    const toTag = dialog.toTag ? `;tag=${dialog.toTag}` : '';
    return [
      ['Via', `SIP/2.0/${transport.via} ${transport.sentBy};branch=${branch};rport`],
      ...(dialog.routes ?? []).map((route): [string, string] => ['Route', route]),
      ['Max-Forwards', '70'],
      ['From', `<${this.aor}>;tag=${dialog.fromTag}`],
      ['To', `<${dialog.to}>${toTag}`],
      ['Call-ID', dialog.callId],
      ['CSeq', `${dialog.cseq} ${method}`],
      ['User-Agent', userAgent ?? 'earshot-test-agent'],
    ];
  }

  #send(branch: string, text: string): Promise<SipResult> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(branch);
        resolve(NO_ANSWER);
      }, this.options.timeoutMs ?? 3000);
      this.#pending.set(branch, (response) => {
        clearTimeout(timer);
        this.#pending.delete(branch);
        resolve({ status: response.status ?? 0, reason: response.reason ?? '', response });
      });
      this.options.transport.send(text);
    });
  }

  /** `branch`: the Via branch of the request with credentials (a CANCEL needs it). */
  async #withAuth(
    method: string,
    dialog: SipDialog,
    fields: [string, string][],
    body = '',
    branch?: string,
  ): Promise<SipResult> {
    const first = await this.request(method, dialog, fields, body);
    if ((first.status !== 401 && first.status !== 407) || !first.response) return first;
    if (method === 'INVITE') this.#ackFailure(dialog, first.response);
    const www = first.status === 401;
    const challenge = parseChallenge(
      header(first.response, www ? 'www-authenticate' : 'proxy-authenticate') ?? '',
    );
    const credentials = { user: this.options.user, password: this.password };
    const authorization = digestAuthorization(challenge, credentials, method, dialog.uri);
    return this.request(
      method,
      dialog,
      [...fields, [www ? 'Authorization' : 'Proxy-Authorization', authorization]],
      body,
      branch,
    );
  }

  // A non-2xx final answer to INVITE is acknowledged hop by hop, on the INVITE's branch.
  #ackFailure(dialog: SipDialog, response: SipMessage): void {
    const via = header(response, 'via') ?? '';
    const to = header(response, 'to') ?? `<${dialog.to}>`;
    const fields: [string, string][] = [
      ['Via', via],
      ['Max-Forwards', '70'],
      ['From', header(response, 'from') ?? ''],
      ['To', to],
      ['Call-ID', dialog.callId],
      ['CSeq', `${dialog.cseq} ACK`],
    ];
    this.options.transport.send(buildSip(`ACK ${dialog.uri} SIP/2.0`, fields));
  }

  // A 2xx is acknowledged end to end along the route set; returns the dialog for the BYE.
  #ack(dialog: SipDialog, response: SipMessage, sdp = ''): SipDialog {
    const contact = /<([^>]+)>/.exec(header(response, 'contact') ?? '')?.[1] ?? dialog.uri;
    const toTag = /;tag=([^;>\s]+)/.exec(header(response, 'to') ?? '')?.[1];
    const inDialog: SipDialog = {
      ...dialog,
      uri: contact,
      routes: headers(response, 'record-route').reverse(),
      ...(toTag ? { toTag } : {}),
    };
    this.#sendAck(inDialog, sdp);
    return inDialog;
  }

  /** The ACK of the INVITE with `dialog.cseq`, along the dialog's route set. */
  #sendAck(dialog: SipDialog, sdp = ''): void {
    const ackFields = this.#baseFields('ACK', dialog, `z9hG4bK${token()}`).map(([n, v]): [string, string] => [
      n,
      n === 'CSeq' ? `${dialog.cseq} ACK` : v,
    ]);
    if (sdp) ackFields.push(['Content-Type', 'application/sdp']);
    this.options.transport.send(buildSip(`ACK ${dialog.uri} SIP/2.0`, ackFields, sdp));
  }

  #handle(message: SipMessage): void {
    if (message.status !== undefined) {
      // A CANCEL's own answer shares the INVITE's branch: only the INVITE's answer counts.
      if (message.status < 200 || (header(message, 'cseq') ?? '').endsWith('CANCEL')) return;
      const branch = /branch=([^;\s,]+)/.exec(header(message, 'via') ?? '')?.[1] ?? '';
      this.#pending.get(branch)?.(message);
      return;
    }
    this.received.push(message);
    const index = this.#waiters.findIndex((waiter) => waiter.method === message.method);
    if (index !== -1) this.#waiters.splice(index, 1)[0]?.resolve(message);
    this.#answer(message);
  }

  #sdp(): string {
    return this.options.sdp?.() ?? minimalSdp('127.0.0.1');
  }

  #answer(request: SipMessage): void {
    if (request.method === 'ACK') return;
    if (request.method === 'CANCEL') {
      // The ringing INVITE it cancels ends with 487.
      const ringing = this.#ringing.get(header(request, 'call-id') ?? '');
      if (ringing) this.#reply(ringing.request, 487, 'Request Terminated', ringing.toTag);
    }
    if (request.method !== 'INVITE') {
      // An UPDATE's offer gets an answer.
      this.#reply(request, 200, 'OK', undefined, request.body ? this.#sdp() : '');
      return;
    }
    if ((header(request, 'to') ?? '').includes(';tag=')) {
      this.#reply(request, 200, 'OK', undefined, this.#sdp());
      return;
    }
    const mode = this.options.answer ?? 'answer';
    const toTag = token();
    this.#reply(request, 180, 'Ringing', toTag);
    if (mode === 'answer') {
      this.answered.push(this.#calleeDialog(request, toTag));
      this.#reply(request, 200, 'OK', toTag, this.#sdp());
    }
    if (mode === 'busy') this.#reply(request, 486, 'Busy Here', toTag);
    if (mode === 'ring') this.#ringing.set(header(request, 'call-id') ?? '', { request, toTag });
  }

  /** The callee's view of the dialog an INVITE creates (our tag as From, the caller's as To). */
  #calleeDialog(request: SipMessage, toTag: string): SipDialog {
    const from = header(request, 'from') ?? '';
    const callerTag = /;tag=([^;>\s]+)/.exec(from)?.[1];
    return {
      callId: header(request, 'call-id') ?? '',
      fromTag: toTag,
      ...(callerTag ? { toTag: callerTag } : {}),
      cseq: 100,
      uri: /<([^>]+)>/.exec(header(request, 'contact') ?? '')?.[1] ?? '',
      routes: headers(request, 'record-route'),
      to: /<([^>]+)>/.exec(from)?.[1] ?? '',
    };
  }

  #reply(request: SipMessage, status: number, reason: string, toTag?: string, body = ''): void {
    const to = header(request, 'to') ?? '';
    const fields: [string, string][] = [
      ...headers(request, 'via').map((via): [string, string] => ['Via', via]),
      ...headers(request, 'record-route').map((rr): [string, string] => ['Record-Route', rr]),
      ['From', header(request, 'from') ?? ''],
      ['To', toTag && !to.includes(';tag=') ? `${to};tag=${toTag}` : to],
      ['Call-ID', header(request, 'call-id') ?? ''],
      ['CSeq', header(request, 'cseq') ?? ''],
      ['Contact', `<${this.contact}>`],
      ...(body ? [['Content-Type', 'application/sdp'] as [string, string]] : []),
    ];
    this.options.transport.send(buildSip(`SIP/2.0 ${status} ${reason}`, fields, body));
  }
}
