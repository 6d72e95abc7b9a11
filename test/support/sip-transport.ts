import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { connect as tcpConnect, type Socket as TcpSocket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import WebSocket from 'ws';

/** Where the user agent's messages go and how it appears in Via/Contact. */
export interface SipTransport {
  /** `UDP` or `WS`, as written in Via. */
  readonly via: string;
  /** The host:port (UDP) or made-up `.invalid` host (WS) the agent puts in Via and Contact. */
  readonly sentBy: string;
  /** Contact URI parameters, e.g. `;transport=ws`. */
  readonly contactParams: string;
  send(text: string): void;
  onMessage(handler: (text: string) => void): void;
  close(): Promise<void>;
}

/** SIP over UDP from a loopback address (127.0.0.2 etc. lets one test look like another host). */
export class UdpTransport implements SipTransport {
  readonly via = 'UDP';
  readonly contactParams = '';
  #handler: (text: string) => void = () => undefined;

  private constructor(
    readonly socket: Socket,
    readonly server: { host: string; port: number },
  ) {
    socket.on('message', (data) => {
      this.#handler(data.toString('utf8'));
    });
  }

  /** Binds a UDP socket on `localAddress` (default 127.0.0.1) to talk to `server`. */
  static async open(
    server: { host: string; port: number },
    localAddress = '127.0.0.1',
  ): Promise<UdpTransport> {
    const socket = createSocket('udp4');
    socket.bind(0, localAddress);
    await once(socket, 'listening');
    return new UdpTransport(socket, server);
  }

  /** Our address as the server sees it. */
  get sentBy(): string {
    const address = this.socket.address();
    return `${address.address}:${address.port}`;
  }

  send(text: string): void {
    this.socket.send(text, this.server.port, this.server.host);
  }

  onMessage(handler: (text: string) => void): void {
    this.#handler = handler;
  }

  async close(): Promise<void> {
    this.socket.close();
    await once(this.socket, 'close');
  }
}

/** Cuts a SIP byte stream (TCP, TLS) into messages by their Content-Length. */
export function splitSipStream(buffer: Buffer): { messages: string[]; rest: Buffer } {
  const messages: string[] = [];
  let rest = buffer;
  for (;;) {
    // Keep-alive CRLFs between messages are not messages.
    while (rest.subarray(0, 2).toString('latin1') === '\r\n') rest = rest.subarray(2);
    const end = rest.indexOf('\r\n\r\n');
    if (end === -1) return { messages, rest };
    const head = rest.subarray(0, end).toString('utf8');
    const length = Number(/^(?:content-length|l)\s*:\s*(\d+)/im.exec(head)?.[1] ?? 0);
    if (rest.length < end + 4 + length) return { messages, rest };
    messages.push(rest.subarray(0, end + 4 + length).toString('utf8'));
    rest = rest.subarray(end + 4 + length);
  }
}

/** SIP over one TCP or TLS connection, the way a desk phone on `transport=tcp|tls` talks. */
export class StreamTransport implements SipTransport {
  readonly contactParams: string;
  #handler: (text: string) => void = () => undefined;
  #buffer: Buffer = Buffer.alloc(0);

  private constructor(
    readonly socket: TcpSocket,
    readonly via: 'TCP' | 'TLS',
  ) {
    this.contactParams = `;transport=${via.toLowerCase()}`;
    socket.on('data', (data: Buffer) => {
      const { messages, rest } = splitSipStream(Buffer.concat([this.#buffer, data]));
      this.#buffer = rest;
      for (const message of messages) this.#handler(message);
    });
  }

  /** Connects over TCP to `server`. */
  static async tcp(server: { host: string; port: number }): Promise<StreamTransport> {
    const socket = tcpConnect(server.port, server.host);
    await once(socket, 'connect');
    return new StreamTransport(socket, 'TCP');
  }

  /** Connects over TLS to `server`, trusting only `ca` (the server's certificate, PEM); rejects when the handshake fails. */
  static async tls(server: { host: string; port: number }, ca?: string): Promise<StreamTransport> {
    const socket = tlsConnect({ host: server.host, port: server.port, ...(ca ? { ca } : {}) });
    await once(socket, 'secureConnect');
    return new StreamTransport(socket, 'TLS');
  }

  /** Our address as the server sees it. */
  get sentBy(): string {
    return `${this.socket.localAddress ?? '127.0.0.1'}:${String(this.socket.localPort ?? 0)}`;
  }

  send(text: string): void {
    this.socket.write(text);
  }

  onMessage(handler: (text: string) => void): void {
    this.#handler = handler;
  }

  async close(): Promise<void> {
    if (this.socket.destroyed) return;
    this.socket.end();
    this.socket.destroy();
    await once(this.socket, 'close');
  }
}

/** Thrown when the WebSocket handshake is refused (e.g. 403 for a disallowed Origin). */
export class HandshakeRefused extends Error {
  constructor(readonly status: number) {
    super(`WebSocket handshake refused with HTTP ${status}`);
    this.name = 'HandshakeRefused';
  }
}

/** SIP over WebSocket (subprotocol `sip`), the way a browser softphone connects. */
export class WsTransport implements SipTransport {
  readonly via = 'WS';
  readonly contactParams = ';transport=ws';
  readonly sentBy = `${Math.random().toString(36).slice(2, 12)}.invalid`;
  /** Resolves with the close code when the server (or we) close the connection. */
  readonly closed: Promise<number>;
  #handler: (text: string) => void = () => undefined;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      this.#handler(data.toString('utf8'));
    });
    this.closed = new Promise((resolve) => {
      socket.once('close', (code: number) => {
        resolve(code);
      });
    });
  }

  /** Opens `url` with the given Origin; rejects with HandshakeRefused on a non-101 answer. `ca` trusts a test CA for wss. */
  static open(url: string, origin: string, ca?: string): Promise<WsTransport> {
    const socket = new WebSocket(url, 'sip', { origin, ...(ca ? { ca } : {}) });
    return new Promise((resolve, reject) => {
      socket.once('open', () => {
        resolve(new WsTransport(socket));
      });
      socket.once('unexpected-response', (_request, response) => {
        reject(new HandshakeRefused(response.statusCode ?? 0));
        socket.terminate();
      });
      socket.once('error', reject);
    });
  }

  send(text: string): void {
    this.socket.send(text);
  }

  onMessage(handler: (text: string) => void): void {
    this.#handler = handler;
  }

  /** Resolves with the close code once the connection is closed; rejects if it is still open after `ms`. */
  async closedWithin(ms: number): Promise<number> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`The WebSocket is still open after ${ms} ms.`));
      }, ms);
    });
    try {
      return await Promise.race([this.closed, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close();
    await this.closed;
  }
}
