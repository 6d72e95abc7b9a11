// Keeps extensions.last_registered_at: polls every Kamailio node's registrations (one ul.dump each)
// and stamps the extensions that are registered, in one UPDATE per 5,000 numbers.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { RegistrarClient } from '../kamailio/types.ts';
import { chunked } from './batch.ts';

/** Default time between two polls. */
export const DEFAULT_WATCH_INTERVAL_MS = 30_000;

const UPDATE_CHUNK = 5_000;

export interface RegistrationWatcherOptions {
  db: Kysely<Database>;
  registrar: RegistrarClient;
  /** Between polls; default 30 s. */
  intervalMs?: number;
  now?: () => Date;
  /** A failed poll (Kamailio or the database down) is reported here and retried next time. */
  onError?: (error: unknown) => void;
}

/** Stamps `at` as the last registration time of every given extension; returns how many rows changed. */
export async function markRegistered(
  db: Kysely<Database>,
  numbers: readonly string[],
  at: Date,
): Promise<number> {
  let updated = 0;
  // Not a user edit: revision and updated_at stay, so an open edit dialog's ETag stays valid.
  for (const chunk of chunked(numbers, UPDATE_CHUNK)) {
    const result = await db
      .updateTable('extensions')
      .set({ last_registered_at: at.toISOString() })
      .where('number', 'in', chunk)
      .executeTakeFirst();
    updated += Number(result.numUpdatedRows);
  }
  return updated;
}

/** Polls the registrar on a timer; `start()` and `stop()` are for whatever starts the account service. */
export class RegistrationWatcher {
  readonly #options: RegistrationWatcherOptions;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<number> | null = null;

  constructor(options: RegistrationWatcherOptions) {
    this.#options = options;
  }

  /** One poll now: the numbers registered on any node get `last_registered_at = now`. */
  async pollOnce(): Promise<number> {
    const { db, registrar, now = () => new Date() } = this.#options;
    const at = now();
    const { registrations } = await registrar.listAll();
    return markRegistered(db, [...registrations.keys()], at);
  }

  /** Polls at once and then every interval; calling it twice does nothing more. */
  start(): void {
    if (this.#timer) return;
    const tick = () => {
      if (this.#running) return;
      this.#running = this.pollOnce()
        .catch((error: unknown) => {
          this.#options.onError?.(error);
          return 0;
        })
        .finally(() => {
          this.#running = null;
        });
    };
    this.#timer = setInterval(tick, this.#options.intervalMs ?? DEFAULT_WATCH_INTERVAL_MS);
    this.#timer.unref();
    tick();
  }

  /** Stops the timer and waits for a poll in flight, so the database can be closed afterwards. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }
}

/** Creates a watcher and starts it. */
export function startRegistrationWatcher(options: RegistrationWatcherOptions): RegistrationWatcher {
  const watcher = new RegistrationWatcher(options);
  watcher.start();
  return watcher;
}
