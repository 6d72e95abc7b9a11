/** Backoff for the retries JsSIP does not do itself: 2, 4, 8, 16, then every 30 seconds. */
export const RETRY_DELAYS_MS = [2000, 4000, 8000, 16000, 30000] as const;

/** One pending retry at a time, with its due time for a countdown. */
export class RetrySchedule {
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #pending: (() => void) | undefined;

  constructor(private readonly delays: readonly number[] = RETRY_DELAYS_MS) {}

  /** Schedules `action` after the next delay; returns when it will run (epoch ms). */
  schedule(action: () => void): number {
    this.cancel();
    const delay = this.delays[Math.min(this.#attempt, this.delays.length - 1)] ?? 30000;
    this.#attempt += 1;
    this.#pending = action;
    this.#timer = setTimeout(() => {
      this.runNow();
    }, delay);
    return Date.now() + delay;
  }

  /** Runs the pending retry at once (e.g. the browser came back online). */
  runNow(): void {
    const action = this.#pending;
    this.cancel();
    action?.();
  }

  /** Drops the pending retry. */
  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending = undefined;
  }

  /** Starts the backoff over after a success. */
  reset(): void {
    this.cancel();
    this.#attempt = 0;
  }
}
