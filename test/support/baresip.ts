// A real desk phone for tests: Debian's baresip (package baresip-core), headless. It registers
// with digest over UDP, TCP or TLS, plays a tone (or a wav) as its microphone, records what it
// hears (sndfile's decoded dump), answers by itself or when told, and is driven over ctrl_tcp:
//
//   const phone = await startBaresip({ extension: '1001', password, kamailio: h, toneHz: 440 });
//   await phone.dial('1002');
//   await phone.waitFor('call established');
//   const heard = await phone.stopAndReadRecording();   // analyseTone(heard, 1000) …
//
// RTP goes wherever the SDP says: run these tests in the loopback-only namespace (test/media/).
//
// baresip 1.0's trap: after a re-INVITE that changes the media direction (hold, resume, either
// side) its decode filters are dropped and never rebuilt while the encode ones live (audio.c
// aufilt_setup), so the recording stops there. After hold/resume, check `rtpReceived()` grows
// instead; the next call records again.
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnDaemon, type DaemonHandle } from '../../server/stack/daemon.ts';
import { BaresipControl, type ControlEvent } from './baresip-control.ts';
import { freeSipPort, freeTcpPort, TEST_REALM } from './kamailio-harness.ts';
import { readWav, writeToneWav, type Audio } from './tone.ts';

export type BaresipTransport = 'udp' | 'tcp' | 'tls';

/** What a test waits for; baresip's own event types are mapped to these. */
export type PhoneEventName =
  | 'registered'
  | 'registration failed'
  | 'incoming call'
  | 'ringing'
  | 'call established'
  | 'rtp established'
  | 'call closed'
  | 'dtmf';

const EVENT_NAMES: Record<string, PhoneEventName> = {
  REGISTER_OK: 'registered',
  REGISTER_FAIL: 'registration failed',
  CALL_INCOMING: 'incoming call',
  CALL_RINGING: 'ringing',
  CALL_ESTABLISHED: 'call established',
  CALL_RTPESTAB: 'rtp established',
  CALL_CLOSED: 'call closed',
  CALL_DTMF_START: 'dtmf',
};

/** One event of the phone, in the order baresip reported it. */
export interface PhoneEvent extends ControlEvent {
  /** Our name for it; null for the types tests do not wait for (SDP, RTCP, …). */
  name: PhoneEventName | null;
}

type Endpoint = { host: string; port: number };

export interface BaresipOptions {
  extension: string;
  password: string;
  /** Where Kamailio listens (a KamailioHarness, or a test stack's `kamailio`). */
  kamailio: { sip: Endpoint; sipTls: Endpoint | null };
  /** Default udp; tls needs `kamailio.sipTls`. */
  transport?: BaresipTransport;
  /** The SIP domain of the extension (default: the test realm). */
  realm?: string;
  /** The microphone: a sine at this frequency (default 440 Hz) … */
  toneHz?: number;
  /** … or this 16-bit mono 8 kHz wav. */
  audioFile?: string;
  /** Length of the tone; baresip hangs up when its source ends (default 120 s). */
  toneSeconds?: number;
  /** `auto` answers every call (default); `manual` waits for `answer()`. */
  answer?: 'auto' | 'manual';
  /** Codecs offered, in order (default PCMU, PCMA). */
  codecs?: string[];
  /** PEM certificate to trust for TLS (the test's or the development certificate). */
  caFile?: string;
  /** SRTP with SDES keys, mandatory (a TLS device's media; `srtp-mand` in baresip). */
  srtp?: boolean;
  /** Wait for the registration's 200 (default true; a refused one rejects). */
  register?: boolean;
  /** Default wait of `waitFor` and the start (default 10 s). */
  timeoutMs?: number;
}

const WAV_HEADER_BYTES = 44;
const G711_RATE = 8000;
const SAFE_PARAM = /^[A-Za-z0-9._~!$&'()*+=:@/-]+$/;
const DTMF = /^[0-9*#A-D]+$/;

/** A port P free on UDP and TCP whose P + 1 is free on TCP too (baresip's TLS listens there). */
async function sipListenPort(): Promise<number> {
  for (;;) {
    const port = await freeSipPort();
    if (await tcpFree(port + 1)) return port;
  }
}

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => {
      resolve(false);
    });
    server.listen(port, '127.0.0.1', () => {
      server.close(() => {
        resolve(true);
      });
    });
  });
}

function kamailioEndpoint(options: BaresipOptions, transport: BaresipTransport): Endpoint {
  if (transport !== 'tls') return options.kamailio.sip;
  if (!options.kamailio.sipTls)
    throw new Error('This Kamailio has no SIP-over-TLS listener: start it with `tls`.');
  return options.kamailio.sipTls;
}

/** The `uanew` line: the AOR, digest password, Kamailio as outbound proxy, answer mode and codecs. */
export function accountLine(options: BaresipOptions): string {
  const transport = options.transport ?? 'udp';
  const realm = options.realm ?? TEST_REALM;
  for (const [name, value] of [
    ['extension', options.extension],
    ['password', options.password],
    ['realm', realm],
  ] as const)
    if (!SAFE_PARAM.test(value) || value.includes(';'))
      throw new Error(`baresip ${name} cannot carry "${value}"`);
  const proxy = kamailioEndpoint(options, transport);
  return [
    `<sip:${options.extension}@${realm};transport=${transport}>`,
    `auth_pass=${options.password}`,
    `outbound="sip:${proxy.host}:${proxy.port};transport=${transport}"`,
    `answermode=${options.answer ?? 'auto'}`,
    `audio_codecs=${(options.codecs ?? ['PCMU', 'PCMA']).join(',')}`,
    'regint=300',
    ...(options.srtp ? ['mediaenc=srtp-mand'] : []),
  ].join(';');
}

/** baresip's config: loopback SIP, wav in, sndfile dumps out, ctrl_tcp, no audio device at all. */
export function baresipConfig(
  dir: string,
  ports: { sip: number; control: number },
  options: { source: string; caFile?: string; srtp?: boolean },
): string {
  return [
    'poll_method epoll',
    `sip_listen 127.0.0.1:${ports.sip}`,
    ...(options.caFile ? [`sip_cafile ${options.caFile}`] : []),
    'call_max_calls 4',
    `audio_source aufile,${options.source}`,
    // sndfile writes dump-<time>-dec.wav (what the far end sent, decoded) and -enc.wav here.
    `snd_path ${dir}`,
    'module_path /usr/lib/baresip/modules',
    'module g711.so',
    'module aufile.so',
    'module sndfile.so',
    ...(options.srtp ? ['module srtp.so'] : []),
    'module_app menu.so',
    'module_app ctrl_tcp.so',
    `ctrl_tcp_listen 127.0.0.1:${ports.control}`,
    // No status line (it is rewritten in place with \r, never ending a log line) and no ringback.
    'statmode_default off',
    'ringback_disabled yes',
    '',
  ].join('\n');
}

/** One running baresip. */
export class BaresipPhone {
  /** Every ctrl_tcp event so far. */
  readonly events: PhoneEvent[] = [];
  /** Every line baresip printed. */
  readonly log: string[] = [];
  readonly #waiters = new Set<() => void>();
  #control: BaresipControl | null = null;
  #daemon: DaemonHandle | null = null;
  #removed = false;

  constructor(
    readonly options: BaresipOptions,
    /** The config dir (the recordings are written here). */
    readonly dir: string,
  ) {}

  /** The baresip process id while it runs. */
  get pid(): number | undefined {
    return this.#daemon?.pid;
  }

  /** The digits received so far (RFC 4733 events, in order). */
  get receivedDigits(): string {
    return this.events
      .filter((event) => event.name === 'dtmf')
      .map((event) => event.param ?? '')
      .join('');
  }

  /** Starts the process, connects to ctrl_tcp and adds the account (so no event is missed). */
  async start(ports: { sip: number; control: number }): Promise<void> {
    this.#daemon = spawnDaemon('baresip', ['-f', this.dir], (line) => {
      this.log.push(line);
      this.#notify();
    });
    void this.#daemon.exited.then(() => {
      this.#notify();
    });
    const deadline = Date.now() + this.#timeout;
    const gone = () => !this.#daemon?.running;
    this.#control = await BaresipControl.connect(
      ports.control,
      (event) => this.#record(event),
      deadline,
      gone,
    );
    await this.command('uanew', accountLine(this.options));
    if (this.options.register === false) return;
    const outcome = await this.waitForAny(['registered', 'registration failed']);
    if (outcome.name === 'registration failed')
      throw new Error(`baresip ${this.options.extension} could not register: ${outcome.param ?? ''}`);
  }

  /** Calls an extension number (or a full SIP URI). */
  dial(target: string): Promise<string> {
    const uri = target.includes(':') ? target : `sip:${target}@${this.options.realm ?? TEST_REALM}`;
    return this.command('dial', uri);
  }

  /** Answers the ringing call (answer mode `manual`). */
  answer(): Promise<string> {
    return this.command('accept');
  }

  hangup(): Promise<string> {
    return this.command('hangup');
  }

  /** Puts the current call on hold (re-INVITE, sendonly) … */
  hold(): Promise<string> {
    return this.command('hold');
  }

  /** … and takes it off hold. */
  resume(): Promise<string> {
    return this.command('resume');
  }

  /** Sends DTMF (RFC 4733 telephone-events in the RTP), one digit after the other. */
  async sendDtmf(digits: string): Promise<void> {
    if (!DTMF.test(digits)) throw new Error(`Not DTMF digits: "${digits}"`);
    for (const digit of digits) await this.command('sndcode', digit);
  }

  /** Runs any baresip menu command; resolves with what it printed. */
  command(command: string, params = ''): Promise<string> {
    if (!this.#control) return Promise.reject(new Error('baresip is not running'));
    return this.#control.command(command, params);
  }

  /** The `count`-th event called `name` (default the first), as soon as it has happened. */
  async waitFor(
    name: PhoneEventName,
    options: { count?: number; timeoutMs?: number } = {},
  ): Promise<PhoneEvent> {
    const count = options.count ?? 1;
    const found = () => this.events.filter((event) => event.name === name)[count - 1];
    return this.#until(found, `"${name}" #${count}`, options.timeoutMs);
  }

  /** The first event called one of `names`. */
  waitForAny(names: PhoneEventName[], timeoutMs?: number): Promise<PhoneEvent> {
    const found = () => this.events.find((event) => event.name !== null && names.includes(event.name));
    return this.#until(found, names.map((n) => `"${n}"`).join(' or '), timeoutMs);
  }

  /** The `count`-th log line matching `pattern` (default the first), as soon as baresip printed it. */
  waitForLog(pattern: RegExp, options: { count?: number; timeoutMs?: number } = {}): Promise<string> {
    const count = options.count ?? 1;
    const found = () => this.log.filter((line) => pattern.test(line))[count - 1];
    return this.#until(found, `log line ${String(pattern)} #${count}`, options.timeoutMs);
  }

  /** Resolves once these digits have been received (after any received before). */
  async waitForDigits(digits: string, timeoutMs?: number): Promise<string> {
    const found = () => (this.receivedDigits.endsWith(digits) ? this.receivedDigits : undefined);
    return this.#until(found, `DTMF "${digits}" (received so far: "${this.receivedDigits}")`, timeoutMs);
  }

  /** Decoded recordings of the far end's audio, one per call, oldest first. */
  recordings(): string[] {
    return readdirSync(this.dir)
      .filter((name) => name.startsWith('dump-') && name.endsWith('-dec.wav'))
      .sort()
      .map((name) => join(this.dir, name));
  }

  /**
   * Seconds of far-end audio the current (last) call's recording holds so far, from its size
   * (the wav header is completed only when the call ends): 16-bit mono at 8 kHz for G.711.
   */
  recordedSeconds(): number {
    const last = this.recordings().at(-1);
    if (!last) return 0;
    return Math.max(0, statSync(last).size - WAV_HEADER_BYTES) / (2 * G711_RATE);
  }

  /** Resolves once the current call's recording holds at least `seconds` of audio (polled). */
  async waitForRecording(seconds: number, timeoutMs = this.#timeout): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const recorded = this.recordedSeconds();
      if (recorded >= seconds) return recorded;
      if (Date.now() > deadline)
        throw new Error(
          `baresip ${this.options.extension} recorded ${recorded.toFixed(2)} s, not ${seconds} s, within ${timeoutMs} ms:\n${this.#tail()}`,
        );
      await sleep(100);
    }
  }

  /** RTP packets received in the current call so far (its RTCP member count, from `audio_debug`). */
  async rtpReceived(): Promise<number> {
    const debug = await this.command('audio_debug');
    return Number(/\brcvd=(\d+)/.exec(debug)?.[1] ?? 0);
  }

  /** Resolves once the current call has received at least `packets` RTP packets (polled). */
  async waitForRtp(packets: number, timeoutMs = this.#timeout): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const received = await this.rtpReceived();
      if (received >= packets) return received;
      if (Date.now() > deadline)
        throw new Error(
          `baresip ${this.options.extension} received ${received} RTP packets, not ${packets}, within ${timeoutMs} ms:\n${this.#tail()}`,
        );
      await sleep(100);
    }
  }

  /** Stops baresip (its recordings are complete then), reads the last call's recording, removes the files. */
  async stopAndReadRecording(): Promise<Audio> {
    await this.#stopProcess();
    try {
      const last = this.recordings().at(-1);
      if (!last) throw new Error(`baresip ${this.options.extension} recorded nothing:\n${this.#tail()}`);
      return readWav(last);
    } finally {
      this.#removeFiles();
    }
  }

  /** SIGTERM (it unregisters), SIGKILL if it lingers; the config dir and recordings are removed. */
  async stop(): Promise<void> {
    await this.#stopProcess();
    this.#removeFiles();
  }

  get #timeout(): number {
    return this.options.timeoutMs ?? 10_000;
  }

  async #stopProcess(): Promise<void> {
    this.#control?.close();
    this.#control = null;
    await this.#daemon?.stop(3000);
  }

  #removeFiles(): void {
    if (this.#removed) return;
    this.#removed = true;
    rmSync(this.dir, { recursive: true, force: true });
  }

  #record(event: ControlEvent): void {
    this.events.push({ ...event, name: EVENT_NAMES[event.type] ?? null });
    this.#notify();
  }

  #notify(): void {
    for (const check of [...this.#waiters]) check();
  }

  #tail(): string {
    return this.log.slice(-25).join('\n');
  }

  #until<T>(found: () => T | undefined, what: string, timeoutMs = this.#timeout): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(
          new Error(`baresip ${this.options.extension}: no ${what} within ${timeoutMs} ms:\n${this.#tail()}`),
        );
      }, timeoutMs);
      const check = () => {
        const value = found();
        if (value === undefined) {
          if (this.#daemon && !this.#daemon.running)
            settle(new Error(`baresip ${this.options.extension} exited`));
          return;
        }
        settle(null, value);
      };
      const settle = (error: Error | null, value?: T) => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        if (error) reject(new Error(`${error.message} before ${what}:\n${this.#tail()}`));
        else resolve(value as T);
      };
      this.#waiters.add(check);
      check();
    });
  }
}

/** Starts a baresip desk phone registered (by default) as `extension`; stop it with `stop()`. */
export async function startBaresip(options: BaresipOptions): Promise<BaresipPhone> {
  const dir = mkdtempSync(join(tmpdir(), `earshot-baresip-${options.extension}-`));
  const source = options.audioFile ?? join(dir, 'tone.wav');
  if (!options.audioFile)
    writeToneWav(source, options.toneHz ?? 440, { seconds: options.toneSeconds ?? 120 });
  const ports = { sip: await sipListenPort(), control: await freeTcpPort() };
  writeFileSync(join(dir, 'config'), baresipConfig(dir, ports, { source, ...pick(options) }));
  writeFileSync(join(dir, 'accounts'), '# added over ctrl_tcp (uanew), after the control connection is up\n');
  const phone = new BaresipPhone(options, dir);
  try {
    await phone.start(ports);
  } catch (error) {
    await phone.stop();
    throw error;
  }
  return phone;
}

function pick(options: BaresipOptions): { caFile?: string; srtp?: boolean } {
  return {
    ...(options.caFile ? { caFile: options.caFile } : {}),
    ...(options.srtp ? { srtp: true } : {}),
  };
}
