// baresip's ctrl_tcp module: JSON commands and events over TCP, each message a netstring
// (`<length>:<json>,`). Commands carry a token their response echoes.
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** One event baresip reported (ua events: registration, calls, DTMF, …). */
export interface ControlEvent {
  /** baresip's name, e.g. REGISTER_OK, CALL_ESTABLISHED, CALL_DTMF_START. */
  type: string;
  class?: string;
  accountaor?: string;
  direction?: 'incoming' | 'outgoing';
  peeruri?: string;
  /** baresip's call id. */
  id?: string;
  /** Depends on the type: the status line, the peer, the DTMF digit, the close reason. */
  param?: string;
}

interface ControlMessage extends Partial<ControlEvent> {
  event?: boolean;
  response?: boolean;
  ok?: boolean;
  data?: string;
  token?: string;
}

/** Cuts complete netstrings off the front of `buffer`. */
export function splitNetstrings(buffer: Buffer): { messages: string[]; rest: Buffer } {
  const messages: string[] = [];
  let rest = buffer;
  for (;;) {
    const colon = rest.indexOf(':');
    if (colon === -1) return { messages, rest };
    const length = Number(rest.subarray(0, colon).toString('latin1'));
    if (!Number.isInteger(length)) throw new Error(`ctrl_tcp: not a netstring: ${rest.toString('utf8')}`);
    if (rest.length < colon + 1 + length + 1) return { messages, rest };
    messages.push(rest.subarray(colon + 1, colon + 1 + length).toString('utf8'));
    rest = rest.subarray(colon + 1 + length + 1);
  }
}

/** A connection to one baresip's ctrl_tcp listener. */
export class BaresipControl {
  readonly #pending = new Map<string, { resolve: (data: string) => void; reject: (error: Error) => void }>();
  #buffer: Buffer = Buffer.alloc(0);
  #token = 0;

  private constructor(
    readonly socket: Socket,
    onEvent: (event: ControlEvent) => void,
  ) {
    socket.on('data', (chunk: Buffer) => {
      const { messages, rest } = splitNetstrings(Buffer.concat([this.#buffer, chunk]));
      this.#buffer = rest;
      for (const text of messages) this.#handle(JSON.parse(text) as ControlMessage, onEvent);
    });
    socket.on('close', () => {
      for (const waiter of this.#pending.values())
        waiter.reject(new Error('baresip closed its control connection'));
      this.#pending.clear();
    });
  }

  /** Connects to `port`, retrying while baresip starts, until `deadline` (epoch ms) or `gone()` says it exited. */
  static async connect(
    port: number,
    onEvent: (event: ControlEvent) => void,
    deadline: number,
    gone: () => boolean,
  ): Promise<BaresipControl> {
    for (;;) {
      const socket = connect(port, '127.0.0.1');
      const connected = await new Promise<boolean>((resolve) => {
        socket.once('connect', () => resolve(true));
        socket.once('error', () => resolve(false));
      });
      if (connected) return new BaresipControl(socket, onEvent);
      socket.destroy();
      if (gone() || Date.now() > deadline) throw new Error(`baresip's ctrl_tcp did not open on port ${port}`);
      await sleep(25);
    }
  }

  /** Runs a menu command (`dial sip:…`, `accept`, `hangup`, `hold`, `sndcode 1`, `uanew …`); resolves with its output. */
  command(command: string, params = ''): Promise<string> {
    this.#token += 1;
    const token = String(this.#token);
    const json = JSON.stringify({ command, params, token });
    return new Promise((resolve, reject) => {
      this.#pending.set(token, { resolve, reject });
      this.socket.write(`${Buffer.byteLength(json)}:${json},`);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  #handle(message: ControlMessage, onEvent: (event: ControlEvent) => void): void {
    if (message.event && message.type) {
      onEvent(message as ControlEvent);
      return;
    }
    const waiter = message.token ? this.#pending.get(message.token) : undefined;
    if (!message.response || !waiter || !message.token) return;
    this.#pending.delete(message.token);
    if (message.ok) waiter.resolve(message.data ?? '');
    else waiter.reject(new Error(`baresip refused the command: ${message.data ?? ''}`));
  }
}
