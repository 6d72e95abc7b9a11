// The life of a daemon the stack runs from a config file of its own: stop what a dead run left,
// write the config into a fresh run dir (mode 0600: it may hold secrets), start, wait until a
// probe says it is ready, stop leaving nothing behind. coturn uses it; a daemon needs only its
// binary, its arguments, its config text and a readiness probe.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runs, spawnDaemon, type DaemonExit, type DaemonHandle } from './daemon.ts';
import { createRunDir, reapStaleRunDirs } from './run-dir.ts';

export interface DaemonSpec {
  /** The daemon's name in messages ("coturn"). */
  name: string;
  binary: string;
  /** Run dirs are `<dataDir>/<runDirPrefix>XXXXXX`. */
  runDirPrefix: string;
  configFile: string;
  pidFile: string;
  /** The command line for a config at `configPath`, which it carries as an argument of its own. */
  args(configPath: string): string[];
  /** The config file's text for a start in `runDir`. */
  config(runDir: string): string;
  /** Resolves to true once the daemon answers. */
  ready(): Promise<boolean>;
}

export interface ConfiguredDaemonOptions {
  dataDir: string;
  onLog?: (line: string) => void;
  onNotice?: (message: string) => void;
  readyTimeoutMs?: number;
}

/** One daemon: start (ready when its probe answers), stop (nothing left behind). */
export class ConfiguredDaemon {
  #daemon: DaemonHandle | null = null;
  #runDir: string | null = null;
  readonly #logTail: string[] = [];

  constructor(
    readonly spec: DaemonSpec,
    readonly options: ConfiguredDaemonOptions,
  ) {}

  get pid(): number | undefined {
    return this.#daemon?.pid;
  }

  get exited(): Promise<DaemonExit> {
    return this.#daemon?.exited ?? Promise.resolve({ code: null, signal: null });
  }

  /** The last lines the daemon logged (for error messages). */
  get logTail(): string {
    return this.#logTail.join('\n');
  }

  async start(): Promise<void> {
    if (this.#daemon) throw new Error(`${this.spec.name} is already running`);
    await this.#reapStaleRuns();
    const runDir = createRunDir(this.options.dataDir, this.spec.runDirPrefix);
    this.#runDir = runDir;
    const configPath = join(runDir, this.spec.configFile);
    writeFileSync(configPath, this.spec.config(runDir), { mode: 0o600 });
    this.#daemon = spawnDaemon(this.spec.binary, this.spec.args(configPath), (line) => {
      this.#logTail.push(line);
      if (this.#logTail.length > 40) this.#logTail.shift();
      this.options.onLog?.(line);
    });
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

  async #reapStaleRuns(): Promise<void> {
    const { spec } = this;
    const stopped = await reapStaleRunDirs({
      dataDir: this.options.dataDir,
      prefix: spec.runDirPrefix,
      pidFile: spec.pidFile,
      isOurs: (argv, runDir) => runs(argv, spec.binary, join(runDir, spec.configFile)),
    });
    if (stopped.length)
      this.options.onNotice?.(
        `Stopped a ${spec.name} left running by an earlier start that died (pid ${stopped.join(', ')}).`,
      );
  }

  async #waitReady(): Promise<void> {
    const deadline = Date.now() + (this.options.readyTimeoutMs ?? 10_000);
    while (Date.now() < deadline) {
      if (!this.#daemon?.running) throw new Error(`${this.spec.name} failed to start:\n${this.logTail}`);
      if (await this.spec.ready()) return;
      await sleep(50);
    }
    throw new Error(`${this.spec.name} did not answer within the start timeout:\n${this.logTail}`);
  }
}
