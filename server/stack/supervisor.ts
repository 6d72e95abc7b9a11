// Keeps a child daemon of the stack running: when it dies, says why and starts it again, waiting
// longer after each crash in a row so a daemon that cannot start does not spin.
import { setTimeout as sleep } from 'node:timers/promises';
import { describeExit, type DaemonExit } from './daemon.ts';

/** What the supervisor drives: KamailioProcess, or any daemon wrapped the same way. */
export interface Supervisable {
  /** Starts the daemon; resolves once it is ready, rejects when it could not start. */
  start(): Promise<void>;
  /** Stops it and whatever it left behind; a no-op when nothing runs. */
  stop(): Promise<void>;
  /** Resolves when the running daemon exits. */
  readonly exited: Promise<DaemonExit>;
}

/** Restart delays: `initialMs`, times `factor` per crash in a row, at most `maxMs`. */
export interface Backoff {
  initialMs: number;
  factor: number;
  maxMs: number;
  /** A daemon that ran this long before dying starts the sequence again. */
  resetAfterMs: number;
}

/** 1 s, 2 s, 4 s, 8 s, 16 s, then 30 s; back to 1 s after a minute up. */
export const DEFAULT_BACKOFF: Backoff = { initialMs: 1000, factor: 2, maxMs: 30_000, resetAfterMs: 60_000 };

/** The wait before restart number `attempt` (1-based) of a crash series. */
export function backoffDelay(backoff: Backoff, attempt: number): number {
  return Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** Math.max(0, attempt - 1));
}

export interface SupervisorOptions {
  /** The daemon's name in log lines. */
  name: string;
  /** Receives one line per event (crash, restart, failed restart). */
  log: (line: string) => void;
  backoff?: Backoff;
  /** Waits `ms`, or rejects when `signal` aborts (tests inject one that records the delays). */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
}

const firstLine = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';

/** Starts a daemon and restarts it, with backoff, each time it dies until `stop()`. */
export class Supervisor {
  readonly #child: Supervisable;
  readonly #options: SupervisorOptions;
  readonly #stopping = new AbortController();
  #startedAt = 0;
  #crashes = 0;
  #loop: Promise<void> = Promise.resolve();

  constructor(child: Supervisable, options: SupervisorOptions) {
    this.#child = child;
    this.#options = options;
  }

  /** The first start: a failure here rejects (the stack does not come up half). */
  async start(): Promise<void> {
    await this.#child.start();
    this.#startedAt = this.#now();
    this.#loop = this.#watch();
  }

  /** Stops watching and stops the daemon. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.#loop;
    await this.#child.stop();
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  async #watch(): Promise<void> {
    const stopped = new Promise<null>((resolve) => {
      this.#stopping.signal.addEventListener('abort', () => {
        resolve(null);
      });
    });
    while (!this.#stopping.signal.aborted) {
      const exit = await Promise.race([this.#child.exited, stopped]);
      if (!exit) return;
      if (this.#now() - this.#startedAt >= (this.#options.backoff ?? DEFAULT_BACKOFF).resetAfterMs)
        this.#crashes = 0;
      await this.#restart(`stopped unexpectedly (${describeExit(exit)})`);
    }
  }

  /** Tries again, each time after a longer wait, until a start succeeds or the supervisor stops. */
  async #restart(reason: string): Promise<void> {
    const { name, log } = this.#options;
    for (let why = reason; !this.#stopping.signal.aborted;) {
      this.#crashes += 1;
      const delay = backoffDelay(this.#options.backoff ?? DEFAULT_BACKOFF, this.#crashes);
      log(`${name} ${why}; restarting in ${formatDelay(delay)} (attempt ${String(this.#crashes)}).`);
      if (!(await this.#wait(delay))) return;
      try {
        await this.#child.stop();
        await this.#child.start();
        this.#startedAt = this.#now();
        log(`${name} is running again.`);
        return;
      } catch (error) {
        why = `could not start: ${firstLine(error)}`;
      }
    }
  }

  /** False when the supervisor was stopped during the wait. */
  async #wait(ms: number): Promise<boolean> {
    const wait = this.#options.wait ?? ((delay, signal) => sleep(delay, undefined, { signal }));
    return wait(ms, this.#stopping.signal).then(
      () => !this.#stopping.signal.aborted,
      () => false,
    );
  }
}

function formatDelay(ms: number): string {
  return ms >= 1000 ? `${String(ms / 1000)} s` : `${String(ms)} ms`;
}
