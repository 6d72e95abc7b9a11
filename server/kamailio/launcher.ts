import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runs, spawnDaemon, type DaemonExit, type DaemonHandle } from '../stack/daemon.ts';
import { createRunDir, reapStaleRunDirs } from '../stack/run-dir.ts';
import {
  renderKamailioConfig,
  renderTlsConfig,
  tlsCertificate,
  TRUNK_PASSWORD_ENV,
  type KamailioSettings,
} from './render.ts';
import { KamailioRpc } from './rpc.ts';

export { groupAlive } from '../stack/daemon.ts';
export { OWNER_FILE } from '../stack/run-dir.ts';

/** Every start gets a fresh run dir `<dataDir>/kamailio-run-XXXXXX` holding config, pid file and work files. */
export const RUN_DIR_PREFIX = 'kamailio-run-';
/** Kamailio's pid file in the run dir (-P). */
export const PID_FILE = 'kamailio.pid';

/** How to run one Kamailio node. */
export interface KamailioProcessOptions {
  /** Settings without the run dir: every start gets a fresh one under `dataDir`. */
  settings: Omit<KamailioSettings, 'runDir'>;
  dataDir: string;
  /** Receives every line Kamailio logs (it logs to stderr with -E). */
  onLog?: (line: string) => void;
  /** Receives what the launcher itself has to say (a left-over Kamailio stopped). */
  onNotice?: (message: string) => void;
  binary?: string;
  readyTimeoutMs?: number;
}

/** Thrown when the rendered config does not pass `kamailio -c`. */
export class KamailioConfigError extends Error {
  constructor(
    readonly configPath: string,
    readonly output: string,
  ) {
    super(`Kamailio rejected ${configPath}:\n${output}`);
    this.name = 'KamailioConfigError';
  }
}

/** Kamailio in the foreground (-DD, logging to stderr) with its pid file and work files in `runDir`. */
export function foregroundArgs(configPath: string, runDir: string): string[] {
  return ['-DD', '-E', '-f', configPath, '-P', join(runDir, PID_FILE), '-Y', runDir, '-w', runDir];
}

/**
 * A Kamailio started in the foreground (-DD) as its own process group, so it can be stopped whole,
 * and with a parent-death signal, so it stops when this process dies (see spawnDaemon).
 */
export class KamailioProcess {
  #daemon: DaemonHandle | null = null;
  #runDir: string | null = null;
  #startFailure: string | null = null;
  readonly #logTail: string[] = [];

  constructor(readonly options: KamailioProcessOptions) {}

  /** The JSON-RPC client of this node. */
  get rpc(): KamailioRpc {
    return new KamailioRpc(`http://127.0.0.1:${this.options.settings.rpcPort}/RPC`);
  }

  /** The PID of the main Kamailio process, while it runs. */
  get pid(): number | undefined {
    return this.#daemon?.pid;
  }

  /** Resolves when the current main process exits (at once when none was started). */
  get exited(): Promise<DaemonExit> {
    return this.#daemon?.exited ?? Promise.resolve({ code: null, signal: null });
  }

  /**
   * Stops a Kamailio a crashed run left behind in `dataDir`, renders and checks the config, starts
   * Kamailio and resolves once JSON-RPC answers.
   */
  async start(): Promise<void> {
    if (this.#daemon) throw new Error('Kamailio is already running');
    await this.#reapStaleRuns();
    const configPath = this.#prepareRunDir();
    this.#check(configPath);
    this.#spawn(configPath);
    try {
      await this.#waitReady();
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** SIGTERM to the main process, then SIGKILL to whatever of its group is left. */
  async stop(): Promise<void> {
    const daemon = this.#daemon;
    if (!daemon) return;
    // With -DD a main process can wait forever on a child that failed; the group goes with it.
    await daemon.stop();
    this.#daemon = null;
    if (this.#runDir) rmSync(this.#runDir, { recursive: true, force: true });
    this.#runDir = null;
  }

  /** Stops and starts again with a fresh run dir (the database keeps every account). */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** The last lines Kamailio logged (for error messages). */
  get logTail(): string {
    return this.#logTail.join('\n');
  }

  get #binary(): string {
    return this.options.binary ?? 'kamailio';
  }

  /** Stops a Kamailio that a start which died left running in `dataDir` (see reapStaleRunDirs). */
  async #reapStaleRuns(): Promise<void> {
    const stopped = await reapStaleRunDirs({
      dataDir: this.options.dataDir,
      prefix: RUN_DIR_PREFIX,
      pidFile: PID_FILE,
      isOurs: (argv, runDir) => runs(argv, this.#binary, join(runDir, 'kamailio.cfg')),
    });
    if (stopped.length)
      this.options.onNotice?.(
        `Stopped a Kamailio left running by an earlier start that died (pid ${stopped.join(', ')}).`,
      );
  }

  #prepareRunDir(): string {
    const runDir = createRunDir(this.options.dataDir, RUN_DIR_PREFIX);
    this.#runDir = runDir;
    const settings: KamailioSettings = { ...this.options.settings, runDir };
    const configPath = join(runDir, 'kamailio.cfg');
    writeFileSync(configPath, renderKamailioConfig(settings));
    const tls = tlsCertificate(settings);
    if (tls) writeFileSync(join(runDir, 'tls.cfg'), renderTlsConfig(tls));
    return configPath;
  }

  #check(configPath: string): void {
    const result = spawnSync(this.#binary, ['-c', '-f', configPath], { encoding: 'utf8' });
    if (result.status !== 0) {
      const output = `${result.stdout}${result.stderr}`
        .split('\n')
        .filter((l) => /ERROR|CRITICAL|error/.test(l));
      throw new KamailioConfigError(
        configPath,
        output.join('\n') || `${result.stderr}${String(result.error ?? '')}`,
      );
    }
  }

  #spawn(configPath: string): void {
    this.#startFailure = null;
    const onLine = (line: string) => {
      // A child that fails init leaves the main process up but useless: give up at once.
      if (/init_child failed|error in init_child/.test(line)) this.#startFailure ??= line;
      this.#logTail.push(line);
      if (this.#logTail.length > 40) this.#logTail.shift();
      this.options.onLog?.(line);
    };
    // The trunk password reaches Kamailio through its environment ($env), never the config file.
    const password = this.options.settings.trunk?.password;
    const env: Record<string, string> = password ? { [TRUNK_PASSWORD_ENV]: password } : {};
    this.#daemon = spawnDaemon(this.#binary, foregroundArgs(configPath, this.#runDir ?? ''), onLine, env);
  }

  async #waitReady(): Promise<void> {
    const deadline = Date.now() + (this.options.readyTimeoutMs ?? 10_000);
    const rpc = new KamailioRpc(this.rpc.url, 500);
    while (Date.now() < deadline) {
      const daemon = this.#daemon;
      if (!daemon?.running || this.#startFailure) {
        throw new Error(`Kamailio failed to start:\n${this.logTail}`);
      }
      // Ready only when *our* process answers: another node on the same RPC port must not count.
      const pids = await rpc.processIds().catch((): number[] => []);
      if (daemon.pid !== undefined && pids.includes(daemon.pid)) return;
      await sleep(50);
    }
    throw new Error(`Kamailio did not answer JSON-RPC within the start timeout:\n${this.logTail}`);
  }
}
