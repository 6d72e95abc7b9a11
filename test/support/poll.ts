// Waiting for something that happens by itself (a retry, a restart, a timer) without a fixed sleep.
import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `condition` every `everyMs` until it holds; fails naming `what` after `timeoutMs`. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  { timeoutMs = 10_000, everyMs = 50 } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await sleep(everyMs);
  }
}
