import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { renderKamailioConfig, renderTlsConfig, type KamailioSettings } from './render.ts';
import { KamailioRpc } from './rpc.ts';

/** How to run one Kamailio node. */
export interface KamailioProcessOptions {
  /** Settings without the run dir: every start gets a fresh one under `dataDir`. */
  settings: Omit<KamailioSettings, 'runDir'>;
  dataDir: string;
  /** Receives every line Kamailio logs (it logs to stderr with -E). */
  onLog?: (line: string) => void;
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

function forwardLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  let pending = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) onLine(line);
  });
}

/** Kamailio in the foreground (-DD, logging to stderr) with its pid file and work files in `runDir`. */
export function foregroundArgs(configPath: string, runDir: string): string[] {
  return ['-DD', '-E', '-f', configPath, '-P', join(runDir, 'kamailio.pid'), '-Y', runDir, '-w', runDir];
}

/** True while any process of the group led by `pid` exists. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A Kamailio started in the foreground (-DD) as its own process group, so it can be stopped whole. */
export class KamailioProcess {
  #child: ChildProcess | null = null;
  #runDir: string | null = null;
  #exited: Promise<void> = Promise.resolve();
  #startFailure: string | null = null;
  readonly #logTail: string[] = [];

  constructor(readonly options: KamailioProcessOptions) {}

  /** The JSON-RPC client of this node. */
  get rpc(): KamailioRpc {
    return new KamailioRpc(`http://127.0.0.1:${this.options.settings.rpcPort}/RPC`);
  }

  /** The PID of the main Kamailio process, while it runs. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Renders and checks the config, starts Kamailio and resolves once JSON-RPC answers. */
  async start(): Promise<void> {
    if (this.#child) throw new Error('Kamailio is already running');
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
    const child = this.#child;
    if (!child?.pid) return;
    const pid = child.pid;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.race([this.#exited, sleep(5000)]);
    // With -DD a main process can wait forever on a child that failed; the group goes with it.
    for (let i = 0; i < 50 && groupAlive(pid); i += 1) {
      if (i === 10) process.kill(-pid, 'SIGKILL');
      await sleep(100);
    }
    this.#child = null;
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

  #prepareRunDir(): string {
    mkdirSync(this.options.dataDir, { recursive: true });
    const runDir = mkdtempSync(join(this.options.dataDir, 'kamailio-run-'));
    this.#runDir = runDir;
    const settings: KamailioSettings = { ...this.options.settings, runDir };
    const configPath = join(runDir, 'kamailio.cfg');
    writeFileSync(configPath, renderKamailioConfig(settings));
    if (settings.wss) writeFileSync(join(runDir, 'tls.cfg'), renderTlsConfig(settings.wss));
    return configPath;
  }

  #check(configPath: string): void {
    const result = spawnSync(this.options.binary ?? 'kamailio', ['-c', '-f', configPath], {
      encoding: 'utf8',
    });
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
    const child = spawn(this.options.binary ?? 'kamailio', foregroundArgs(configPath, this.#runDir ?? ''), {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    this.#exited = new Promise((resolve) =>
      child.once('exit', () => {
        resolve();
      }),
    );
    this.#startFailure = null;
    const onLine = (line: string) => {
      // A child that fails init leaves the main process up but useless: give up at once.
      if (/init_child failed|error in init_child/.test(line)) this.#startFailure ??= line;
      this.#logTail.push(line);
      if (this.#logTail.length > 40) this.#logTail.shift();
      this.options.onLog?.(line);
    };
    forwardLines(child.stdout, onLine);
    forwardLines(child.stderr, onLine);
  }

  async #waitReady(): Promise<void> {
    const deadline = Date.now() + (this.options.readyTimeoutMs ?? 10_000);
    const rpc = new KamailioRpc(this.rpc.url, 500);
    while (Date.now() < deadline) {
      const child = this.#child;
      if (!child || child.exitCode !== null || child.signalCode !== null || this.#startFailure) {
        throw new Error(`Kamailio failed to start:\n${this.logTail}`);
      }
      // Ready only when *our* process answers: another node on the same RPC port must not count.
      const pids = await rpc.processIds().catch((): number[] => []);
      if (child.pid !== undefined && pids.includes(child.pid)) return;
      await sleep(50);
    }
    throw new Error(`Kamailio did not answer JSON-RPC within the start timeout:\n${this.logTail}`);
  }
}
