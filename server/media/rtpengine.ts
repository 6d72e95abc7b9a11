// rtpengine, the media relay, as a child daemon of the stack: userspace only (--table=-1, there is
// no kernel module), in the foreground logging to stderr, with its own config file in a fresh run
// dir, its ng control socket on loopback only. Kamailio's rtpengine module drives it.
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config.ts';
import { runs, spawnDaemon, type DaemonExit, type DaemonHandle } from '../stack/daemon.ts';
import { createRunDir, reapStaleRunDirs } from '../stack/run-dir.ts';
import { NgClient } from './ng-client.ts';

/** Every start gets a fresh run dir `<dataDir>/rtpengine-run-XXXXXX` (config and pid file). */
export const RTPENGINE_RUN_DIR_PREFIX = 'rtpengine-run-';
export const RTPENGINE_PID_FILE = 'rtpengine.pid';
const CONFIG_FILE = 'rtpengine.conf';

/** What one rtpengine needs. */
export interface RtpengineSettings {
  /** The ng control port; rtpengine listens on 127.0.0.1 only. */
  ngPort: number;
  /** One `interface` each: `IP`, or `IP!ADVERTISED` (the address put in SDP, behind NAT). */
  interfaces: string[];
  /** The UDP port range for relayed audio. */
  portMin: number;
  portMax: number;
  /** Syslog-style level: 3 errors, 4 warnings, 5 notices, 6 info, 7 debug. */
  logLevel: number;
  /** A call whose audio stops for this long is dropped (seconds). */
  mediaTimeoutSeconds: number;
}

/** The settings `npm start` derives from the configuration. */
export function rtpengineSettingsFromConfig(config: Config): RtpengineSettings {
  const { media } = config;
  return {
    ngPort: media.ngPort,
    interfaces: media.addresses,
    portMin: media.portMin,
    portMax: media.portMax,
    logLevel: media.logLevel,
    mediaTimeoutSeconds: 60,
  };
}

/** Throws, in words, for an address devices could not send audio to. */
function checkInterface(spec: string): string {
  const [local = '', advertised, extra] = spec.split('!');
  for (const address of [local, ...(advertised === undefined ? [] : [advertised])]) {
    if (!isIP(address))
      throw new Error(
        `Media address "${spec}" is not an IP address (EARSHOT_MEDIA_LISTEN: IP or IP!PUBLIC_IP).`,
      );
    if (address === '0.0.0.0' || address === '::')
      throw new Error(
        `Media address ${address} is not one a phone can send audio to: set EARSHOT_MEDIA_LISTEN to this machine's address.`,
      );
  }
  if (extra !== undefined) throw new Error(`Media address "${spec}" has more than one "!".`);
  return spec;
}

function validate(s: RtpengineSettings): void {
  if (s.interfaces.length === 0) throw new Error('rtpengine needs at least one media address.');
  s.interfaces.forEach(checkInterface);
  if (!(s.portMin >= 1024 && s.portMax <= 65535 && s.portMax - s.portMin >= 3))
    throw new Error(`rtpengine port range ${String(s.portMin)}-${String(s.portMax)} is not usable.`);
  if (s.ngPort >= s.portMin && s.ngPort <= s.portMax)
    throw new Error(`rtpengine's control port ${String(s.ngPort)} lies inside its RTP port range.`);
}

/** rtpengine's config file (GKeyFile, section [rtpengine]) for one start in `runDir`. */
export function renderRtpengineConfig(s: RtpengineSettings, runDir: string): string {
  validate(s);
  return [
    '# Written by Earshot (server/media/rtpengine.ts) for one start; edits are lost.',
    '[rtpengine]',
    '# Userspace forwarding only: no kernel module.',
    'table = -1',
    `interface = ${s.interfaces.join(';')}`,
    '# Control protocol on loopback only: whoever can send ng commands controls the media.',
    `listen-ng = 127.0.0.1:${String(s.ngPort)}`,
    `port-min = ${String(s.portMin)}`,
    `port-max = ${String(s.portMax)}`,
    `timeout = ${String(s.mediaTimeoutSeconds)}`,
    'silent-timeout = 3600',
    '# A call offered but never answered (Kamailio gives up ringing after 120 s) is dropped after this.',
    'offer-timeout = 300',
    '# A BYE ends the call in rtpengine at once (a retransmitted BYE finds nothing: harmless).',
    'delete-delay = 0',
    'tos = 184',
    'foreground = true',
    'log-stderr = true',
    'no-log-timestamps = true',
    `log-level = ${String(s.logLevel)}`,
    `pidfile = ${join(runDir, RTPENGINE_PID_FILE)}`,
    '',
  ].join('\n');
}

/** The command line: our config file only (never /etc/rtpengine/rtpengine.conf). */
export function rtpengineArgs(configPath: string): string[] {
  return [`--config-file=${configPath}`, '--config-section=rtpengine'];
}

/**
 * rtpengine starts with an address this machine does not have and only fails each call later:
 * say so at start instead.
 */
function assertLocalAddresses(interfaces: string[]): void {
  const local = new Set(
    Object.values(networkInterfaces())
      .flat()
      .map((entry) => entry?.address),
  );
  for (const spec of interfaces) {
    const address = spec.split('!')[0] ?? '';
    if (!local.has(address))
      throw new Error(
        `Media address ${address} is not an address of this machine: set EARSHOT_MEDIA_LISTEN to one it has (or IP!PUBLIC_IP behind NAT).`,
      );
  }
}

/**
 * rtpengine binds its control socket with SO_REUSEPORT: a second rtpengine on the same port starts
 * without complaint and takes half the commands. A plain bind fails while any rtpengine holds it.
 */
function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      reject(
        new Error(
          `rtpengine's control port 127.0.0.1:${String(port)} (UDP) is in use by another program (another rtpengine?): stop it or set EARSHOT_RTPENGINE_NG_PORT.`,
        ),
      );
    });
    socket.bind(port, '127.0.0.1', () => {
      socket.close(() => {
        resolve();
      });
    });
  });
}

export interface RtpengineProcessOptions {
  settings: RtpengineSettings;
  /** Run dirs go here (`<data dir>/rtpengine` for `npm start`). */
  dataDir: string;
  /** Every line rtpengine logs. */
  onLog?: (line: string) => void;
  /** What the launcher itself has to say (a left-over rtpengine stopped). */
  onNotice?: (message: string) => void;
  binary?: string;
  readyTimeoutMs?: number;
}

/** One rtpengine daemon: start (ready when it answers ng ping), stop (nothing left behind). */
export class RtpengineProcess {
  #daemon: DaemonHandle | null = null;
  #runDir: string | null = null;
  readonly #logTail: string[] = [];

  constructor(readonly options: RtpengineProcessOptions) {}

  /** A client for this rtpengine's ng socket. */
  ngClient(timeoutMs?: number): NgClient {
    return new NgClient({ port: this.options.settings.ngPort, ...(timeoutMs ? { timeoutMs } : {}) });
  }

  get pid(): number | undefined {
    return this.#daemon?.pid;
  }

  get exited(): Promise<DaemonExit> {
    return this.#daemon?.exited ?? Promise.resolve({ code: null, signal: null });
  }

  /** The last lines rtpengine logged (for error messages). */
  get logTail(): string {
    return this.#logTail.join('\n');
  }

  /** Stops what a dead run left, writes the config, starts rtpengine, resolves once ng answers. */
  async start(): Promise<void> {
    if (this.#daemon) throw new Error('rtpengine is already running');
    await this.#reapStaleRuns();
    assertLocalAddresses(this.options.settings.interfaces);
    await assertPortFree(this.options.settings.ngPort);
    const runDir = createRunDir(this.options.dataDir, RTPENGINE_RUN_DIR_PREFIX);
    this.#runDir = runDir;
    const configPath = join(runDir, CONFIG_FILE);
    writeFileSync(configPath, renderRtpengineConfig(this.options.settings, runDir));
    this.#spawn(configPath);
    try {
      await this.#waitReady();
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** SIGTERM, then SIGKILL to whatever is left; removes the run dir. */
  async stop(): Promise<void> {
    await this.#daemon?.stop();
    this.#daemon = null;
    if (this.#runDir) rmSync(this.#runDir, { recursive: true, force: true });
    this.#runDir = null;
  }

  get #binary(): string {
    return this.options.binary ?? 'rtpengine';
  }

  async #reapStaleRuns(): Promise<void> {
    const stopped = await reapStaleRunDirs({
      dataDir: this.options.dataDir,
      prefix: RTPENGINE_RUN_DIR_PREFIX,
      pidFile: RTPENGINE_PID_FILE,
      isOurs: (argv, runDir) => runs(argv, this.#binary, rtpengineArgs(join(runDir, CONFIG_FILE))[0] ?? ''),
    });
    if (stopped.length)
      this.options.onNotice?.(
        `Stopped an rtpengine left running by an earlier start that died (pid ${stopped.join(', ')}).`,
      );
  }

  #spawn(configPath: string): void {
    this.#daemon = spawnDaemon(this.#binary, rtpengineArgs(configPath), (line) => {
      this.#logTail.push(line);
      if (this.#logTail.length > 40) this.#logTail.shift();
      this.options.onLog?.(line);
    });
  }

  async #waitReady(): Promise<void> {
    const deadline = Date.now() + (this.options.readyTimeoutMs ?? 10_000);
    const ng = this.ngClient(300);
    try {
      while (Date.now() < deadline) {
        if (!this.#daemon?.running) throw new Error(`rtpengine failed to start:\n${this.logTail}`);
        // The port was free before the spawn, so the answer is this rtpengine's.
        if (
          await ng.ping().then(
            () => true,
            () => false,
          )
        )
          return;
        await sleep(50);
      }
    } finally {
      ng.close();
    }
    throw new Error(
      `rtpengine did not answer on its control port within the start timeout:\n${this.logTail}`,
    );
  }
}
