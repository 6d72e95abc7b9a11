// A client for rtpengine's ng control protocol over UDP: each datagram is `<cookie> <bencoded
// dictionary>`, and the answer comes back with the same cookie. Used for health (ping) and by
// tests (list, query); Kamailio's rtpengine module is what drives calls.
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { bdecode, bencode, type BencodeValue } from './bencode.ts';

/** An ng answer: a dictionary whose `result` is `ok`, `pong`, `error` … */
export type NgReply = Record<string, BencodeValue>;

/** rtpengine answered with `result: error` (or something that is not an ng answer). */
export class NgError extends Error {
  constructor(
    readonly command: string,
    readonly reason: string,
  ) {
    super(`rtpengine refused "${command}": ${reason}`);
    this.name = 'NgError';
  }
}

/** No answer within the timeout: rtpengine is not running, or not on that port. */
export class NgTimeoutError extends Error {
  /** Like a Node system error, so callers that show only error codes can show this one. */
  readonly code = 'ETIMEDOUT';

  constructor(
    readonly command: string,
    readonly timeoutMs: number,
  ) {
    super(`rtpengine did not answer "${command}" within ${String(timeoutMs)} ms`);
    this.name = 'NgTimeoutError';
  }
}

export interface NgClientOptions {
  /** The ng control address (rtpengine's listen-ng); loopback by design. */
  host?: string;
  port: number;
  /** How long one command waits for its answer (default 1000 ms). */
  timeoutMs?: number;
}

interface Pending {
  command: string;
  resolve: (reply: NgReply) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** One UDP socket to one rtpengine; commands in flight are matched to answers by cookie. */
export class NgClient {
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;
  readonly #pending = new Map<string, Pending>();
  #socket: Socket | null = null;

  constructor(options: NgClientOptions) {
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port;
    this.timeoutMs = options.timeoutMs ?? 1000;
  }

  /** Sends `command` with `args`; resolves with the answer, rejects with NgError or NgTimeoutError. */
  command(command: string, args: Record<string, BencodeValue> = {}): Promise<NgReply> {
    const cookie = randomBytes(8).toString('hex');
    const datagram = Buffer.concat([Buffer.from(`${cookie} `), bencode({ ...args, command })]);
    return new Promise<NgReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#settle(cookie)?.reject(new NgTimeoutError(command, this.timeoutMs));
      }, this.timeoutMs);
      this.#pending.set(cookie, { command, resolve, reject, timer });
      this.#open().send(datagram, this.port, this.host, (error) => {
        if (error) this.#settle(cookie)?.reject(error);
      });
    });
  }

  /** Resolves when rtpengine answers `ping` with `pong`. */
  async ping(): Promise<void> {
    const reply = await this.command('ping');
    if (reply.result !== 'pong') throw new NgError('ping', `answered ${JSON.stringify(reply.result)}`);
  }

  /** The call ids rtpengine holds (at most `limit`). */
  async list(limit = 1000): Promise<string[]> {
    const reply = await this.#ok('list', { limit });
    const calls = reply.calls;
    return Array.isArray(calls) ? calls.filter((id): id is string => typeof id === 'string') : [];
  }

  /** What rtpengine knows about one call (tags, streams, packet counters). */
  query(callId: string): Promise<NgReply> {
    return this.#ok('query', { 'call-id': callId });
  }

  /** Closes the socket; commands still waiting fail. */
  close(): void {
    for (const cookie of [...this.#pending.keys()]) {
      const pending = this.#settle(cookie);
      pending?.reject(new NgError(pending.command, 'client closed'));
    }
    this.#socket?.close();
    this.#socket = null;
  }

  async #ok(command: string, args: Record<string, BencodeValue>): Promise<NgReply> {
    const reply = await this.command(command, args);
    if (reply.result !== 'ok') {
      const reason =
        typeof reply['error-reason'] === 'string' ? reply['error-reason'] : JSON.stringify(reply.result);
      throw new NgError(command, reason);
    }
    return reply;
  }

  #open(): Socket {
    if (this.#socket) return this.#socket;
    const socket = createSocket(this.host.includes(':') ? 'udp6' : 'udp4');
    socket.on('message', (message) => {
      this.#receive(message);
    });
    // A send error is reported to its command; nothing else on this socket is fatal.
    socket.on('error', () => undefined);
    // Health checks must not keep the process alive.
    socket.unref();
    this.#socket = socket;
    return socket;
  }

  #receive(message: Buffer): void {
    const space = message.indexOf(0x20);
    if (space <= 0) return;
    const pending = this.#settle(message.toString('latin1', 0, space));
    if (!pending) return;
    try {
      const reply = bdecode(message.subarray(space + 1));
      if (typeof reply !== 'object' || Array.isArray(reply)) throw new Error('not a dictionary');
      pending.resolve(reply);
    } catch (error) {
      pending.reject(new NgError(pending.command, error instanceof Error ? error.message : String(error)));
    }
  }

  /** Takes the command waiting on `cookie` out of the table (null when none: late or foreign answer). */
  #settle(cookie: string): Pending | null {
    const pending = this.#pending.get(cookie);
    if (!pending) return null;
    clearTimeout(pending.timer);
    this.#pending.delete(cookie);
    return pending;
  }
}
