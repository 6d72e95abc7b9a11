/** The default longest wait for ICE gathering before the INVITE (or 200 OK) goes out. */
export const ICE_CUTOFF_MS = 2000;

/**
 * JsSIP waits for ICE gathering to complete before it sends the SDP, which stalls 10–40 s with an
 * unreachable STUN server (JsSIP #804). This cuts it short: right after a server-reflexive or relay
 * candidate (a usable set for most networks), else `cutoffMs` after the first candidate.
 */
export class IceCutoff {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #done = false;

  constructor(private readonly cutoffMs = ICE_CUTOFF_MS) {}

  /** Feed every `icecandidate` event of a session here. */
  onCandidate(candidate: RTCIceCandidate | null, ready: () => void): void {
    if (this.#done) return;
    const type = candidate?.type;
    if (type === 'srflx' || type === 'relay') {
      this.#finish(ready);
      return;
    }
    this.#timer ??= setTimeout(() => {
      this.#finish(ready);
    }, this.cutoffMs);
  }

  /** Stops the timer (call when the session ends first). */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#done = true;
  }

  #finish(ready: () => void): void {
    this.dispose();
    ready();
  }
}
