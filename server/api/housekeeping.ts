// Periodic clean-up of the account service's short-lived rows: expired sessions, throttle counters
// that no longer count or block, known login sources past their time, and the caps that keep the
// throttle tables bounded whatever names an attacker makes up.
import type { FastifyInstance } from 'fastify';
import type { LoginThrottle } from './throttle.ts';
import type { PurgeCaps, PurgeCounts } from './throttle-store.ts';

/** Time between two purges. */
export const PURGE_EVERY_MS = 10 * 60_000;

/** At most this many rows stay in each throttle table after a purge (the newest). */
export const PURGE_CAPS: PurgeCaps = { throttleRows: 100_000, knownSources: 100_000 };

export interface HousekeepingOptions<T = PurgeCounts> {
  /** The periodic job (the purge, or another round of work such as sending alerts). */
  purge: () => Promise<T>;
  intervalMs?: number;
  /** After each round (tests wait for it). */
  onPurged?: (result: T) => void;
  /** A failed purge (the database down) is reported here and retried next time. */
  onError?: (error: unknown) => void;
}

/** Runs `purge` on an unref'd timer until `stop()`; never two at once. */
export class Housekeeping<T = PurgeCounts> {
  readonly #options: HousekeepingOptions<T>;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;

  constructor(options: HousekeepingOptions<T>) {
    this.#options = options;
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.#tick();
    }, this.#options.intervalMs ?? PURGE_EVERY_MS);
    this.#timer.unref();
  }

  /** Stops the timer and waits for a purge in flight, so the database can be closed afterwards. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  #tick(): void {
    if (this.#running) return;
    const { purge, onPurged, onError } = this.#options;
    this.#running = purge()
      .then((counts) => onPurged?.(counts))
      .catch((error: unknown) => onError?.(error))
      .finally(() => {
        this.#running = null;
      });
  }
}

/** Purges on a timer for the life of `app`: errors go to its log, closing the app stops it. */
export function startHousekeeping(app: FastifyInstance, throttle: LoginThrottle, intervalMs?: number): void {
  const housekeeping = new Housekeeping({
    purge: () => throttle.purge(PURGE_CAPS),
    ...(intervalMs ? { intervalMs } : {}),
    onError: (error) => {
      app.log.error(
        { err: { message: error instanceof Error ? error.message : String(error) } },
        'purge failed',
      );
    },
  });
  housekeeping.start();
  app.addHook('onClose', () => housekeeping.stop());
}
