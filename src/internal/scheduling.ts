/**
 * How long a login the host starts with the page may take before the softphone first renders its
 * status line: a shorter one would only flash it, and rendering meanwhile (tens of ms of first
 * template and style work) would hold up the WebSocket and REGISTER answers.
 */
export const STATUS_DELAY_MS = 300;

/** Resolves when the browser is idle (at most `timeoutMs` later); a plain task where that cannot be told. */
export function whenIdle(timeoutMs = 500): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function')
      requestIdleCallback(() => resolve(), { timeout: timeoutMs });
    else setTimeout(resolve, 0);
  });
}

/** Resolves in the next task (a message on a fresh channel: no timer clamping). */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
